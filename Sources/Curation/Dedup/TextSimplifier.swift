import Foundation

/// datatrove's `simplify_text` with its default settings, over Unicode scalars: lower-case; every number
/// (digits of any script, with at most one decimal separator) becomes `0`; datatrove's punctuation
/// characters become spaces; whitespace runs become one space, ends trimmed; canonical decomposition
/// (NFD) with nonspacing marks removed, so accents go. Near-duplicate detection hashes what is left.
///
/// Non-ASCII characters are looked up once per instance and cached, so one instance serves a task.
final class TextSimplifier {
    private var lowerCache: [UInt32: [UInt32]] = [:]
    private var foldCache: [UInt32: [UInt32]] = [:]
    private var lowered: [UInt32] = []

    /// The simplified text of `text` into `out` (cleared first).
    func simplify(_ text: UnsafeBufferPointer<UInt32>, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        // Python's str.lower() (full case mapping).
        lowered.removeAll(keepingCapacity: true)
        lowered.reserveCapacity(text.count)
        for c in text {
            if c < 0x80 {
                lowered.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c)
            } else {
                lowered.append(contentsOf: lower(c))
            }
        }
        lowered.withUnsafeBufferPointer { s in
            var i = 0
            let n = s.count
            var pendingSpace = false
            func emit(_ c: UInt32) {
                if pendingSpace {
                    if !out.isEmpty { out.append(0x20) }
                    pendingSpace = false
                }
                out.append(c)
            }
            while i < n {
                let c = s[i]
                if Self.isDecimalDigit(c) {
                    // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → 0
                    i += 1
                    while i < n && Self.isDecimalDigit(s[i]) { i += 1 }
                    if i + 1 < n && Self.isDecimalSeparator(s[i]) && Self.isDecimalDigit(s[i + 1]) {
                        i += 2
                        while i < n && Self.isDecimalDigit(s[i]) { i += 1 }
                    }
                    emit(0x30)
                    continue
                }
                i += 1
                if CharacterClasses.isSpace(c) || CharacterClasses.isMinHashPunctuation(c) {
                    pendingSpace = true
                    continue
                }
                if c < 0x80 {
                    emit(c)
                } else {
                    for folded in fold(c) { emit(folded) }
                }
            }
        }
        // A fold may leave nothing but spaces at the ends only through characters that decompose to
        // spaces, which none does canonically; the text is already trimmed.
    }

    private func lower(_ c: UInt32) -> [UInt32] {
        if let cached = lowerCache[c] { return cached }
        let mapped = Unicode.Scalar(c).map { $0.properties.lowercaseMapping.unicodeScalars.map(\.value) } ?? [c]
        lowerCache[c] = mapped
        return mapped
    }

    /// NFD without nonspacing marks (for one non-ASCII, non-space, non-punctuation character).
    private func fold(_ c: UInt32) -> [UInt32] {
        if let cached = foldCache[c] { return cached }
        var result: [UInt32] = []
        if let scalar = Unicode.Scalar(c) {
            for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            where part.properties.generalCategory != .nonspacingMark {
                result.append(part.value)
            }
        }
        foldCache[c] = result
        return result
    }

    @inline(__always)
    static func isDecimalDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        guard c >= 0x660, let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.generalCategory == .decimalNumber
    }

    @inline(__always)
    static func isDecimalSeparator(_ c: UInt32) -> Bool {
        c == 0x2E || c == 0x2C || c == 0x60C || c == 0x66B || c == 0x2396 || c == 0x2397 || c == 0x2398
    }
}
