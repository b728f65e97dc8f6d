import Foundation

/// Token amounts as people write them in plans (`40B`, `92.5B`, `1.2M`, `500K`, `7.5e9`, `1_000_000`) and
/// as reports print them.
public enum TokenCount {
    /// Parses a token amount; nil when the text is not one. `B` is 10^9 (billions, as in "40B tokens").
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        guard let last = trimmed.last else { return nil }
        let multipliers: [Character: Double] = ["K": 1e3, "k": 1e3, "M": 1e6, "m": 1e6, "B": 1e9, "b": 1e9,
                                                "G": 1e9, "T": 1e12, "t": 1e12]
        let (digits, multiplier): (Substring, Double) = multipliers[last].map { (trimmed.dropLast(), $0) } ?? (Substring(trimmed), 1)
        guard let number = Double(digits.trimmingCharacters(in: .whitespaces)), number.isFinite, number >= 0 else { return nil }
        return Int(exactly: (number * multiplier).rounded())
    }

    /// `40.18B`, `1.25M`, `873K`, `412`: three significant decimals at most, trailing zeros dropped.
    public static func format(_ tokens: Int) -> String {
        let magnitude = abs(tokens)
        let (value, unit): (Double, String) =
            magnitude >= 1_000_000_000 ? (Double(tokens) / 1e9, "B") :
            magnitude >= 1_000_000 ? (Double(tokens) / 1e6, "M") :
            magnitude >= 10_000 ? (Double(tokens) / 1e3, "K") : (Double(tokens), "")
        if unit.isEmpty { return "\(tokens)" }
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + unit
    }
}
