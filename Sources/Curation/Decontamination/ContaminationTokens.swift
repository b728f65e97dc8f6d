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
    private static let bmpFoldTable: [UInt16] = (0..<0x10000).map { UInt16(folded(UInt32($0))) }

    /// What a word scalar is compared as: its lower case (when that is one BMP scalar); fullwidth ASCII
    /// letters and digits fold to ASCII (what NFKC does for them). Other scalars are themselves.
    static func folded(_ c: UInt32) -> UInt32 {
        guard c < 0x10000, let scalar = Unicode.Scalar(c), kind(of: c) == .word else { return c }
        if c < 0x80 { return UInt32(asciiFoldValue(UInt8(c))) }
        if (0xFF10...0xFF19).contains(c) || (0xFF21...0xFF3A).contains(c) || (0xFF41...0xFF5A).contains(c) {
            return UInt32(asciiFoldValue(UInt8(c - 0xFEE0)))
        }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        guard lower.count == 1, let first = lower.first, first.value < 0x10000 else { return c }
        return first.value
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

    /// A token's hash: its folded scalars as UTF-8, taken 8 bytes at a time (little-endian, the last chunk
    /// zero-padded), each chunk mixed in, then the byte length; the same whichever path of `scan` read it.
    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    static func mixChunk(_ h: UInt64, _ chunk: UInt64) -> UInt64 {
        let x = (h ^ chunk) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    @inline(__always)
    static func finish(_ h: UInt64, length: Int) -> UInt64 {
        var x = h ^ UInt64(truncatingIfNeeded: length)
        x ^= x >> 31
        x = x &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 30)
    }

    /// The hash of a token made of folded scalars appended one by one (the scalar path of `scan`).
    struct Hasher {
        private var h = seed
        private var chunk: UInt64 = 0
        private var filled: UInt64 = 0
        private var length = 0

        @inline(__always)
        mutating func append(byte: UInt8) {
            if filled == 8 {
                h = mixChunk(h, chunk)
                chunk = 0
                filled = 0
            }
            chunk |= UInt64(byte) &<< (filled &* 8)
            filled &+= 1
            length &+= 1
        }

        /// Appends a folded scalar's UTF-8 bytes.
        @inline(__always)
        mutating func append(scalar c: UInt32) {
            if c < 0x80 {
                append(byte: UInt8(c))
            } else if c < 0x800 {
                append(byte: UInt8(0xC0 | c >> 6))
                append(byte: UInt8(0x80 | c & 0x3F))
            } else if c < 0x10000 {
                append(byte: UInt8(0xE0 | c >> 12))
                append(byte: UInt8(0x80 | c >> 6 & 0x3F))
                append(byte: UInt8(0x80 | c & 0x3F))
            } else {
                append(byte: UInt8(0xF0 | c >> 18))
                append(byte: UInt8(0x80 | c >> 12 & 0x3F))
                append(byte: UInt8(0x80 | c >> 6 & 0x3F))
                append(byte: UInt8(0x80 | c & 0x3F))
            }
        }

        /// The hash (at least one byte appended).
        @inline(__always)
        func value() -> UInt64 { ContaminationTokens.finish(mixChunk(h, chunk), length: length) }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func load8(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Bit k set when byte k of `x` (all bytes ASCII) is an ASCII letter or digit.
    @inline(__always)
    private static func wordBits(_ x: UInt64) -> UInt64 {
        let t = x | 0x2020_2020_2020_2020  // letters to lower case; digits unchanged
        let letter = (t &+ 0x1F &* ones) & ~(t &+ 0x05 &* ones)  // 0x61 ≤ t ≤ 0x7A, in bit 7 of each byte
        let digit = (x &+ 0x50 &* ones) & ~(x &+ 0x46 &* ones)  // 0x30 ≤ x ≤ 0x39
        return ((((letter | digit) & highBits) >> 7) &* 0x0102_0408_1020_4080) >> 56
    }

    /// The hash of the ASCII word at `p[start..<end]` (letters and digits only) in a text of `n` bytes: what
    /// `Hasher` gives for its folded bytes, 8 at a time.
    @inline(__always)
    private static func asciiWordHash(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ n: Int) -> UInt64 {
        var h = seed
        var q = start
        while end &- q > 8 {
            h = mixChunk(h, load8(p + q) | 0x2020_2020_2020_2020)
            q &+= 8
        }
        let last: UInt64
        if q &+ 8 <= n {
            last = load8(p + q)
        } else {
            var c: UInt64 = 0
            for k in 0..<(end &- q) { c |= UInt64(p[q &+ k]) &<< UInt64(k &* 8) }
            last = c
        }
        let keep = ~UInt64(0) &>> UInt64(64 &- (end &- q) &* 8)
        h = mixChunk(h, (last | 0x2020_2020_2020_2020) & keep)
        return finish(h, length: end &- start)
    }

    /// Calls `body(hash, start, end)` for each token of valid UTF-8 `text`, in order; `start..<end` is its
    /// byte range.
    ///
    /// Text is read in blocks of 64 bytes. A block of ASCII is classified 8 bytes at a time into a bit mask
    /// of word bytes, and its words come from the mask's edges (no branch per byte); each word is then
    /// hashed 8 bytes at a time. A block with a non-ASCII byte, and the text's last bytes, are read scalar by
    /// scalar, to the end of the word open there.
    @inline(__always)
    static func scan(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Int, Int) -> Void) {
        guard let p = text.baseAddress else { return }
        let n = text.count
        let kinds = bmpKind, folds = bmpFold, ascii = asciiFold
        var i = 0
        var start = -1  // the open word's first byte
        while true {
            // ASCII blocks.
            while i &+ 64 <= n {
                var mask: UInt64 = 0, any: UInt64 = 0
                for k in 0..<8 {
                    let x = load8(p + (i &+ k &* 8))
                    any |= x
                    mask |= wordBits(x) &<< UInt64(k &* 8)
                }
                if any & highBits != 0 { break }
                let open: UInt64 = start >= 0 ? 1 : 0
                let previous = mask &<< 1 | open
                var starts = mask & ~previous
                var ends = ~mask & previous
                if start >= 0 {
                    if ends == 0 {
                        i &+= 64
                        continue
                    }
                    let end = i &+ ends.trailingZeroBitCount
                    ends &= ends &- 1
                    body(asciiWordHash(p, start, end, n), start, end)
                    start = -1
                }
                while starts != 0 {
                    let first = i &+ starts.trailingZeroBitCount
                    starts &= starts &- 1
                    if ends == 0 {
                        start = first
                        break
                    }
                    let end = i &+ ends.trailingZeroBitCount
                    ends &= ends &- 1
                    body(asciiWordHash(p, first, end, n), first, end)
                }
                i &+= 64
            }
            if i >= n { break }
            // Scalar by scalar, to the end of this block (or of the text), then to the end of the open word.
            let limit = min(n, i &+ 64)
            var hasher = Hasher()
            if start >= 0 {
                for k in start..<i { hasher.append(byte: p[k] | 0x20) }
            }
            while i < n && (i < limit || start >= 0) {
                let b = p[i]
                if b < 0x80 {
                    let f = ascii[Int(b)]
                    if f != 0 {
                        if start < 0 { start = i }
                        hasher.append(byte: f)
                    } else if start >= 0 {
                        body(hasher.value(), start, i)
                        start = -1
                        hasher = Hasher()
                    }
                    i &+= 1
                    continue
                }
                let c: UInt32, width: Int
                if b < 0xE0 {
                    c = UInt32(b & 0x1F) << 6 | UInt32(p[i &+ 1] & 0x3F)
                    width = 2
                } else if b < 0xF0 {
                    let b1 = p[i &+ 1], b2 = p[i &+ 2]
                    c = UInt32(b & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
                    if kinds[Int(c)] == Kind.single.rawValue {
                        // A CJK character: folds to itself, so its folded UTF-8 is its own 3 bytes.
                        if start >= 0 {
                            body(hasher.value(), start, i)
                            start = -1
                            hasher = Hasher()
                        }
                        let chunk = UInt64(b) | UInt64(b1) &<< 8 | UInt64(b2) &<< 16
                        body(finish(mixChunk(seed, chunk), length: 3), i, i &+ 3)
                        i &+= 3
                        continue
                    }
                    width = 3
                } else {
                    c = UInt32(b & 0x07) << 18 | UInt32(p[i &+ 1] & 0x3F) << 12 | UInt32(p[i &+ 2] & 0x3F) << 6
                        | UInt32(p[i &+ 3] & 0x3F)
                    width = 4
                }
                let kind: UInt8, folded: UInt32
                if c < 0x10000 {
                    kind = kinds[Int(c)]
                    folded = UInt32(folds[Int(c)])
                } else {
                    kind = Self.kind(of: c).rawValue
                    folded = c
                }
                if kind == Kind.word.rawValue {
                    if start < 0 { start = i }
                    hasher.append(scalar: folded)
                } else {
                    if start >= 0 {
                        body(hasher.value(), start, i)
                        start = -1
                        hasher = Hasher()
                    }
                    if kind == Kind.single.rawValue {
                        var single = Hasher()
                        single.append(scalar: folded)
                        body(single.value(), i, i &+ width)
                    }
                }
                i &+= width
            }
            if i >= n {
                if start >= 0 { body(hasher.value(), start, n) }
                return
            }
        }
        // The text ended after an ASCII block, in a word or not.
        if start >= 0 { body(asciiWordHash(p, start, n, n), start, n) }
    }
}
