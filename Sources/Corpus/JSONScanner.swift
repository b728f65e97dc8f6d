/// A validating JSON scanner over UTF-8 bytes that records where things are instead of building values.
///
/// Reading a record costs one pass: string contents are skipped 8 bytes at a time (SWAR), and only the
/// fields a step asks for are ever decoded. Measured with `make bench`: see Benchmarks/results.
struct JSONScanner {
    /// Where a string's content lies (between the quotes), whether it holds escapes, and its decoded size.
    struct StringSpan {
        var start: Int
        var end: Int
        var hasEscapes: Bool
        /// UTF-8 bytes of the decoded string, or -1 when it is not valid Unicode (invalid UTF-8, or a `\u`
        /// escape of a lone surrogate). Spans built by hand are assumed valid and unescaped.
        var decodedLength: Int

        init(start: Int, end: Int, hasEscapes: Bool, decodedLength: Int? = nil) {
            self.start = start
            self.end = end
            self.hasEscapes = hasEscapes
            self.decodedLength = decodedLength ?? (end - start)
        }

        var isValidUnicode: Bool { decodedLength >= 0 }
    }

    static let maxDepth = 512

    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
        self.position = 0
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            position += 1
        }
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    /// Scans a string starting at the opening quote; leaves `position` after the closing quote.
    ///
    /// One pass does the JSON syntax and the Unicode check: plain ASCII runs are skipped 16 bytes at a
    /// time (SSE2 compares; Swift's SIMD16 lowers to pcmpgtb/pcmpeqb/pmovmskb), multi-byte sequences are
    /// validated where they stand (RFC 3629), escapes are checked and their decoded size counted.
    /// Invalid UTF-8 does not stop the scan (the record's structure is still sound); it is reported through
    /// `decodedLength == -1` so the caller can name the field. Measured in `make bench` (passthrough).
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> StringSpan {
        position += 1
        let start = position
        var hasEscapes = false
        var valid = true
        var savedByEscapes = 0
        let controlOrHigh = SIMD16<UInt8>(repeating: 0x20)
        let quote = SIMD16<UInt8>(repeating: 0x22)
        let backslash = SIMD16<UInt8>(repeating: 0x5C)
        while true {
            var c: UInt8 = 0
            var found = false
            while position &+ 16 <= end {
                let v = UnsafeRawPointer(base + position).loadUnaligned(as: SIMD16<UInt8>.self)
                // Signed compare: bytes >= 0x80 are negative, so one compare finds controls and non-ASCII.
                let special = (Self.asSigned(v) .< Self.asSigned(controlOrHigh)) .| (v .== quote) .| (v .== backslash)
                if any(special) {
                    // Which byte: SWAR on the two halves (the lowest flagged byte is exact).
                    let low = Self.specialBytes(UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                    if low != 0 {
                        position &+= low.trailingZeroBitCount &>> 3
                    } else {
                        let high = Self.specialBytes(UnsafeRawPointer(base + (position &+ 8)).loadUnaligned(as: UInt64.self))
                        position &+= 8 &+ (high.trailingZeroBitCount &>> 3)
                    }
                    c = base[position]
                    found = true
                    break
                }
                position &+= 16
            }
            if !found {
                // Fewer than 16 bytes left in the line.
                while position < end {
                    c = base[position]
                    if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                    position &+= 1
                }
            }
            guard position < end else { throw fail("unterminated string", at: start - 1) }
            if c == 0x22 {
                let span = StringSpan(start: start, end: position, hasEscapes: hasEscapes,
                                      decodedLength: valid ? position - start - savedByEscapes : -1)
                position &+= 1
                return span
            }
            if c >= 0x80 {
                // A run of multi-byte characters (CJK text is one long run), checked in a tight loop.
                repeat {
                    let length = Self.utf8SequenceLength(base + position, available: end &- position)
                    if length == 0 {
                        valid = false
                        position &+= 1
                    } else {
                        position &+= length
                    }
                } while position < end && base[position] >= 0x80
                continue
            }
            if c == 0x5C {
                hasEscapes = true
                position &+= 1
                guard position < end else { throw fail("unterminated string", at: start - 1) }
                switch base[position] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    position &+= 1
                    savedByEscapes &+= 1
                case 0x75:
                    guard let unit = hex4Checked(at: position + 1) else { throw fail("invalid \\u escape") }
                    position &+= 5
                    switch unit {
                    case 0xD800...0xDBFF:
                        if position + 6 <= end, base[position] == 0x5C, base[position + 1] == 0x75,
                           let low = hex4Checked(at: position + 2), (0xDC00...0xDFFF).contains(low) {
                            position &+= 6
                            savedByEscapes &+= 8  // 12 escaped bytes, 4 decoded
                        } else {
                            valid = false  // a lone high surrogate; the next escape is scanned on its own
                        }
                    case 0xDC00...0xDFFF: valid = false
                    case 0..<0x80: savedByEscapes &+= 5
                    case 0x80..<0x800: savedByEscapes &+= 4
                    default: savedByEscapes &+= 3
                    }
                default:
                    throw fail("invalid escape character after backslash")
                }
            } else {
                throw fail("unescaped control character (byte \(c)) in string")
            }
        }
    }

    /// High bit set in each byte of `word` that is a quote, a backslash, a control or non-ASCII byte.
    /// Bytes above the lowest flagged one may be flagged wrongly (borrows); the lowest is exact.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let word = UInt64(littleEndian: word)
        let quote = word ^ (ones &* 0x22)
        let slash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((word &- ones &* 0x20) & ~word) | word) & highs
    }

    @inline(__always)
    static func asSigned(_ v: SIMD16<UInt8>) -> SIMD16<Int8> {
        SIMD16<Int8>(truncatingIfNeeded: v)
    }

    /// The four hex digits at `offset` as a UTF-16 unit, or nil if they are not four hex digits.
    @inline(__always)
    func hex4Checked(at offset: Int) -> UInt32? {
        guard offset + 4 <= end,
              let a = Self.hexValue(base[offset]), let b = Self.hexValue(base[offset + 1]),
              let c = Self.hexValue(base[offset + 2]), let d = Self.hexValue(base[offset + 3]) else { return nil }
        return a << 12 | b << 8 | c << 4 | d
    }

    /// The length of the well-formed UTF-8 sequence starting with the non-ASCII byte at `p`, or 0 if it is
    /// not one (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
    @inline(__always)
    static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        let c = p[0]
        if c < 0xE0 {
            guard c >= 0xC2, available >= 2, p[1] & 0xC0 == 0x80 else { return 0 }
            return 2
        }
        if c < 0xF0 {
            guard available >= 3 else { return 0 }
            let b1 = p[1], b2 = p[2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, c != 0xE0 || b1 >= 0xA0, c != 0xED || b1 <= 0x9F else { return 0 }
            return 3
        }
        guard c <= 0xF4, available >= 4 else { return 0 }
        let b1 = p[1], b2 = p[2], b3 = p[3]
        guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80,
              c != 0xF0 || b1 >= 0x90, c != 0xF4 || b1 <= 0x8F else { return 0 }
        return 4
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Validates one value of any kind and leaves `position` after it.
    mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) {
        guard position < end else { throw fail("expected a value, found end of line") }
        switch base[position] {
        case 0x22:
            _ = try scanString()
        case 0x7B:
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            skipWhitespace()
            if position < end, base[position] == 0x7D { position += 1; return }
            while true {
                guard position < end, base[position] == 0x22 else { throw fail("expected a quoted key") }
                _ = try scanString()
                skipWhitespace()
                guard position < end, base[position] == 0x3A else { throw fail("expected ':' after key") }
                position += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard position < end else { throw fail("unterminated object") }
                if base[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if base[position] == 0x7D { position += 1; return }
                throw fail("expected ',' or '}' in object")
            }
        case 0x5B:
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            skipWhitespace()
            if position < end, base[position] == 0x5D { position += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard position < end else { throw fail("unterminated array") }
                if base[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if base[position] == 0x5D { position += 1; return }
                throw fail("expected ',' or ']' in array")
            }
        case 0x74: try expectLiteral("true")
        case 0x66: try expectLiteral("false")
        case 0x6E: try expectLiteral("null")
        case 0x2D, 0x30...0x39: try skipNumber()
        default:
            throw fail("unexpected character '\(Character(Unicode.Scalar(base[position])))'")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let n = literal.utf8CodeUnitCount
        guard position + n <= end, memcmp(base + position, literal.utf8Start, n) == 0 else {
            throw fail("invalid literal")
        }
        position += n
    }

    mutating func skipNumber() throws(JSONSyntaxError) {
        let start = position
        if base[position] == 0x2D { position += 1 }
        guard position < end else { throw fail("invalid number", at: start) }
        if base[position] == 0x30 {
            position += 1
        } else if (0x31...0x39).contains(base[position]) {
            while position < end, (0x30...0x39).contains(base[position]) { position += 1 }
        } else {
            throw fail("invalid number", at: start)
        }
        if position < end, base[position] == 0x2E {
            position += 1
            let digits = position
            while position < end, (0x30...0x39).contains(base[position]) { position += 1 }
            guard position > digits else { throw fail("invalid number", at: start) }
        }
        if position < end, base[position] | 0x20 == 0x65 {
            position += 1
            if position < end, base[position] == 0x2B || base[position] == 0x2D { position += 1 }
            let digits = position
            while position < end, (0x30...0x39).contains(base[position]) { position += 1 }
            guard position > digits else { throw fail("invalid number", at: start) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
