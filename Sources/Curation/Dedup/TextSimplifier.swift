import Foundation

/// datatrove's `simplify_text` with its default settings, over Unicode scalars: lower-case; every number
/// (digits of any script, with at most one decimal separator) becomes `0`; datatrove's punctuation
/// characters become spaces; whitespace runs become one space, ends trimmed; canonical decomposition
/// (NFD) with nonspacing marks removed, so accents go. Near-duplicate detection hashes what is left.
///
/// Every character's fate is looked up once and kept in a table (a flat one for the Basic Multilingual
/// Plane), so one instance serves a task at table speed.
final class TextSimplifier {
    /// Per BMP character: 0 = not looked up yet, or one of the codes below.
    private var table: [UInt32]
    /// Outputs of more than one scalar, referenced from the table.
    private var pool: [UInt32] = []
    private var astral: [UInt32: UInt32] = [:]

    static let unknown: UInt32 = 0
    static let digit: UInt32 = 1
    static let separator: UInt32 = 2
    static let nothing: UInt32 = 3
    /// `single | scalar`: the character becomes one scalar.
    static let single: UInt32 = 0x8000_0000
    /// `multiple | start << 8 | count`: the character becomes `pool[start..<start+count]`.
    static let multiple: UInt32 = 0x4000_0000

    /// What becomes of character `c`: `digit`, `separator`, `nothing`, or `single`/`multiple` with its output.
    @inline(__always)
    func code(_ c: UInt32) -> UInt32 {
        if c < 0x10000 {
            let known = table[Int(c)]
            if known != Self.unknown { return known }
            let code = Self.classify(c, numbers: normalizesNumbers, pool: &pool)
            table[Int(c)] = code
            return code
        }
        if let known = astral[c] { return known }
        let code = Self.classify(c, numbers: normalizesNumbers, pool: &pool)
        astral[c] = code
        return code
    }

    /// The scalars a `multiple` code stands for.
    func outputs(_ code: UInt32) -> ArraySlice<UInt32> {
        let start = Int((code >> 8) & 0x3F_FFFF)
        return pool[start..<(start + Int(code & 0xFF))]
    }

    /// Whether numbers become `0` (datatrove's default); without it, digits stay as they are.
    let normalizesNumbers: Bool

    init(normalizesNumbers: Bool = true) {
        self.normalizesNumbers = normalizesNumbers
        table = [UInt32](repeating: Self.unknown, count: 0x10000)
        for c in UInt32(0)..<0x80 { table[Int(c)] = Self.classify(c, numbers: normalizesNumbers, pool: &pool) }
    }

    /// The simplified text of `text` into `out` (cleared first).
    func simplify(_ text: UnsafeBufferPointer<UInt32>, into out: inout [UInt32]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(text.count)
        var pendingSpace = false
        var i = 0
        let n = text.count
        while i < n {
            let c = text[i]
            var code: UInt32
            if c < 0x10000 {
                code = table[Int(c)]
                if code == Self.unknown {
                    code = Self.classify(c, numbers: normalizesNumbers, pool: &pool)
                    table[Int(c)] = code
                }
            } else if let known = astral[c] {
                code = known
            } else {
                code = Self.classify(c, numbers: normalizesNumbers, pool: &pool)
                astral[c] = code
            }
            i += 1
            switch code {
            case Self.separator:
                pendingSpace = true
                continue
            case Self.nothing:
                continue
            case Self.digit:
                // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → 0
                while i < n && isDigit(text[i]) { i += 1 }
                if i + 1 < n && Self.isDecimalSeparator(text[i]) && isDigit(text[i + 1]) {
                    i += 2
                    while i < n && isDigit(text[i]) { i += 1 }
                }
                code = Self.single | 0x30
            default:
                break
            }
            if pendingSpace {
                if !out.isEmpty { out.append(0x20) }
                pendingSpace = false
            }
            if code & Self.single != 0 {
                out.append(code & 0x1F_FFFF)
            } else {
                let start = Int((code >> 8) & 0x3F_FFFF)
                out.append(contentsOf: pool[start..<(start + Int(code & 0xFF))])
            }
        }
    }

    @inline(__always)
    private func isDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c &- 0x30 < 10 }
        if c < 0x10000 {
            if table[Int(c)] == Self.unknown { table[Int(c)] = Self.classify(c, numbers: normalizesNumbers, pool: &pool) }
            return table[Int(c)] == Self.digit
        }
        return Self.isDecimalDigit(c)
    }

    /// What happens to one character: Python's lower(), then the number, punctuation and whitespace
    /// rules, then NFD without nonspacing marks. (Lower-casing never makes a digit, a space or punctuation.)
    private static func classify(_ c: UInt32, numbers: Bool, pool: inout [UInt32]) -> UInt32 {
        if isDecimalDigit(c) { return numbers ? digit : single | c }
        if CharacterClasses.isSpace(c) || CharacterClasses.isMinHashPunctuation(c) { return separator }
        guard let scalar = Unicode.Scalar(c) else { return single | c }
        var result: [UInt32] = []
        if c < 0x80 {
            result = [c >= 0x41 && c <= 0x5A ? c + 0x20 : c]
        } else {
            for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                for part in String(lowered).decomposedStringWithCanonicalMapping.unicodeScalars
                where part.properties.generalCategory != .nonspacingMark {
                    result.append(part.value)
                }
            }
        }
        switch result.count {
        case 0: return nothing
        case 1: return single | result[0]
        default:
            let start = pool.count
            pool += result
            return multiple | UInt32(start) << 8 | UInt32(result.count)
        }
    }

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
