/// One step of cutting text into pieces before BPE, as `tokenizer.json` pre-tokenizers define them.
enum PreTokenizerStage: Sendable {
    /// Keep each match of the pattern as a piece (and the text between matches): `Split` with behavior
    /// `Isolated`, ByteLevel's GPT-2 regex, or tiktoken's pattern.
    case split(SplitPattern)
    /// `Digits`: numeric characters (Unicode N*) apart from the rest; one piece per digit when `individual`.
    case digits(individual: Bool)
    /// ByteLevel's `add_prefix_space`: a piece that does not start with a space gets one.
    case prefixSpace
}

extension PreTokenizerStage {
    /// Unicode general category N (Nd, Nl, No): Rust's `char::is_numeric`, which `Digits` uses.
    static func isNumeric(_ scalar: Unicode.Scalar) -> Bool { isNumeric(scalar, bmp: numericBMP.words) }

    /// `bmp`: `numericBMP.words` (read once per text: a global's lazy-initialization check per character
    /// showed in `perf`).
    @inline(__always)
    static func isNumeric(_ scalar: Unicode.Scalar, bmp: UnsafeMutablePointer<UInt64>) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v &- 0x30 < 10 }
        // The Basic Multilingual Plane from a bitmap: asking the general category per scalar was 13% of
        // SmolLM2's time on Chinese text (the Digits step sees every character).
        if v < 0x1_0000 { return bmp[Int(v) >> 6] & (1 &<< UInt64(v & 63)) != 0 }
        return isNumericByCategory(scalar)
    }

    static func isNumericByCategory(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// One bit per BMP scalar, from `isNumericByCategory` (8 KiB, built once, ~2 ms).
    static let numericBMP: FrozenBits = {
        let bits = FrozenBits(count: 0x1_0000)
        for v in 0..<UInt32(0x1_0000) {
            guard let scalar = Unicode.Scalar(v), isNumericByCategory(scalar) else { continue }
            bits.insert(Int(v))
        }
        return bits
    }()

    /// Cuts `text` at numeric characters: each numeric run (or each numeric character) is its own piece.
    static func splitDigits(_ text: UnsafeBufferPointer<UInt8>, individual: Bool, _ body: (Range<Int>) throws(TokenizerError) -> Void) throws(TokenizerError) {
        var pieceStart = 0
        var pieceIsNumeric = false
        var i = 0
        let n = text.count
        let bmp = numericBMP.words
        while i < n {
            let (scalar, length) = decodeScalar(text, at: i)
            let numeric = isNumeric(scalar, bmp: bmp)
            if i > pieceStart, numeric != pieceIsNumeric || (numeric && individual) {
                try body(pieceStart..<i)
                pieceStart = i
            }
            pieceIsNumeric = numeric
            i += length
        }
        if n > pieceStart { try body(pieceStart..<n) }
    }

    /// Whether `splitDigits` of a text holding `text` cuts at byte `i` (0 < `i` < count, a character start):
    /// the characters on either side differ in being numeric, or one is and each numeric one is a piece.
    static func isDigitsBoundary(_ text: UnsafeBufferPointer<UInt8>, _ i: Int, individual: Bool) -> Bool {
        var start = i - 1
        while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
        let bmp = numericBMP.words
        let before = isNumeric(decodeScalar(text, at: start).0, bmp: bmp)
        let after = isNumeric(decodeScalar(text, at: i).0, bmp: bmp)
        return before != after || (individual && before)
    }

    /// The first byte at or past `from` (≥ 1) and before the text's end where `splitDigits` cuts, or nil.
    static func firstDigitsBoundary(_ text: UnsafeBufferPointer<UInt8>, from: Int, individual: Bool) -> Int? {
        var i = from
        while i < text.count, text[i] & 0xC0 == 0x80 { i += 1 }
        while i < text.count {
            if isDigitsBoundary(text, i, individual: individual) { return i }
            i += decodeScalar(text, at: i).1
        }
        return nil
    }

    /// The scalar at `i` of valid UTF-8 and its length in bytes.
    @inline(__always)
    static func decodeScalar(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(s[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0 { return (Unicode.Scalar((b0 & 0x1F) << 6 | UInt32(s[i + 1] & 0x3F)) ?? "\u{FFFD}", 2) }
        if b0 < 0xF0 {
            let v = (b0 & 0x0F) << 12 | UInt32(s[i + 1] & 0x3F) << 6 | UInt32(s[i + 2] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        let v = (b0 & 0x07) << 18 | UInt32(s[i + 1] & 0x3F) << 12 | UInt32(s[i + 2] & 0x3F) << 6 | UInt32(s[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
    }
}
