/// The tokens decontamination compares: text is case-folded, punctuation and spaces separate tokens,
/// a word is a run of letters, digits and marks, and each CJK character (Han, kana) is a token of its
/// own, so that Chinese and Japanese text, written without spaces, is compared by characters.
///
/// Each token is reduced to a 64-bit hash of its folded scalars; `scan` reports it with its UTF-8 byte
/// range. Benchmarks and documents go through the same function, so formatting differences (`(A)` vs
/// `A.`, curly vs straight quotes, line breaks, case) do not matter, while words and numbers do.
enum ContaminationTokens {
    /// What a scalar is to the tokenizer.
    enum Kind: UInt8 {
        case separator = 0
        case word = 1
        /// A token by itself (CJK ideographs, kana).
        case single = 2
    }

    /// For bytes below 0x80: 0 for a separator, otherwise the case-folded byte.
    private static let asciiFoldTable: [UInt8] = (0..<128).map { b in
        switch b {
        case 0x30...0x39, 0x61...0x7A: return UInt8(b)
        case 0x41...0x5A: return UInt8(b + 0x20)
        default: return 0
        }
    }

    /// Kind and folded value of every BMP scalar: kind in the top 2 bits of the UInt32 is wasteful, so
    /// two tables. Built once, on first use (~20 ms).
    private static let bmpKindTable: [UInt8] = (0..<0x10000).map { kind(of: UInt32($0)).rawValue }
    private static let bmpFoldTable: [UInt16] = (0..<0x10000).map { c in
        guard let scalar = Unicode.Scalar(UInt32(c)), kind(of: UInt32(c)) == .word else { return UInt16(c) }
        // Fullwidth ASCII letters and digits fold to ASCII (what NFKC does for them).
        if (0xFF10...0xFF19).contains(c) || (0xFF21...0xFF3A).contains(c) || (0xFF41...0xFF5A).contains(c) {
            return UInt16(asciiFoldValue(UInt8(c - 0xFEE0)))
        }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let first = lower.first, first.value < 0x10000 else { return UInt16(c) }
        return UInt16(first.value)
    }

    /// The tables in memory of their own, read through plain pointers in the loop (kept for the process).
    nonisolated(unsafe) private static let asciiFold = pinned(asciiFoldTable)
    nonisolated(unsafe) private static let bmpKind = pinned(bmpKindTable)
    nonisolated(unsafe) private static let bmpFold = pinned(bmpFoldTable)

    private static func pinned<T>(_ table: [T]) -> UnsafePointer<T> {
        let memory = UnsafeMutablePointer<T>.allocate(capacity: table.count)
        memory.initialize(from: table, count: table.count)
        return UnsafePointer(memory)
    }

    private static func asciiFoldValue(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The kind of any scalar (the tables cache this for the BMP).
    static func kind(of c: UInt32) -> Kind {
        if c < 0x80 { return asciiFoldTable[Int(c)] == 0 ? .separator : .word }
        if isSingle(c) { return .single }
        guard let scalar = Unicode.Scalar(c) else { return .separator }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return .word }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: return .word
        default: return .separator
        }
    }

    static func isSingle(_ c: UInt32) -> Bool {
        switch c {
        case 0x3040...0x30FF,  // Hiragana, Katakana
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,  // CJK ideographs
             0x20000...0x3134F:  // CJK extensions B–H
            return true
        default: return false
        }
    }

    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    static func finish(_ h: UInt64) -> UInt64 {
        var x = h ^ (h >> 31)
        x = x &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    /// Calls `body(hash, start, end)` for each token of valid UTF-8 `text`, in order; `start..<end` is its
    /// byte range.
    @inline(__always)
    static func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Int, Int) -> Void) {
        guard let p = text.baseAddress else { return }
        let n = text.count
        let kinds = bmpKind, folds = bmpFold, ascii = asciiFold
        var i = 0
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var start = -1
        while i < n {
            let b = p[i]
            if b < 0x80 {
                let f = ascii[Int(b)]
                if f != 0 {
                    if start < 0 { start = i }
                    h = (h ^ UInt64(f)) &* prime
                    i &+= 1
                    // The rest of an ASCII word in a tight loop.
                    while i < n {
                        let c = p[i]
                        if c >= 0x80 { break }
                        let g = ascii[Int(c)]
                        if g == 0 { break }
                        h = (h ^ UInt64(g)) &* prime
                        i &+= 1
                    }
                    continue
                } else if start >= 0 {
                    body(finish(h), start, i)
                    start = -1
                    h = 0xCBF2_9CE4_8422_2325
                }
                i &+= 1
                continue
            }
            // A multi-byte scalar.
            let c: UInt32, width: Int
            if b < 0xE0 {
                c = UInt32(b & 0x1F) << 6 | UInt32(p[i &+ 1] & 0x3F)
                width = 2
            } else if b < 0xF0 {
                c = UInt32(b & 0x0F) << 12 | UInt32(p[i &+ 1] & 0x3F) << 6 | UInt32(p[i &+ 2] & 0x3F)
                width = 3
            } else {
                c = UInt32(b & 0x07) << 18 | UInt32(p[i &+ 1] & 0x3F) << 12 | UInt32(p[i &+ 2] & 0x3F) << 6
                    | UInt32(p[i &+ 3] & 0x3F)
                width = 4
            }
            let kind: Kind, folded: UInt32
            if c < 0x10000 {
                kind = Kind(rawValue: kinds[Int(c)])!
                folded = UInt32(folds[Int(c)])
            } else {
                kind = Self.kind(of: c)
                folded = c
            }
            switch kind {
            case .word:
                if start < 0 { start = i }
                h = (h ^ UInt64(folded)) &* prime
            case .single:
                if start >= 0 {
                    body(finish(h), start, i)
                    start = -1
                }
                body(finish((0xCBF2_9CE4_8422_2325 ^ UInt64(folded)) &* prime), i, i &+ width)
                h = 0xCBF2_9CE4_8422_2325
            case .separator:
                if start >= 0 {
                    body(finish(h), start, i)
                    start = -1
                    h = 0xCBF2_9CE4_8422_2325
                }
            }
            i &+= width
        }
        if start >= 0 { body(finish(h), start, n) }
    }
}
