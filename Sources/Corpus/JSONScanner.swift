/// A validating JSON scanner over UTF-8 bytes that records where things are instead of building values.
///
/// Reading a record costs one pass: string contents are skipped 8 bytes at a time (SWAR), and only the
/// fields a step asks for are ever decoded. Measured with `make bench`: see Benchmarks/results.
struct JSONScanner {
    /// Where a string's content lies (between the quotes) and whether it holds escapes.
    struct StringSpan {
        var start: Int
        var end: Int
        var hasEscapes: Bool
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
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> StringSpan {
        position += 1
        let start = position
        var hasEscapes = false
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while true {
            // Skip 8 bytes at a time while none is a quote, a backslash or a control character.
            while position + 8 <= end {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                let quote = word ^ (ones &* 0x22)
                let slash = word ^ (ones &* 0x5C)
                let special = ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((word &- ones &* 0x20) & ~word)
                let hit = special & highs
                if hit != 0 {
                    position += hit.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            while position < end {
                let c = base[position]
                if c == 0x22 || c == 0x5C || c < 0x20 { break }
                position += 1
            }
            guard position < end else { throw fail("unterminated string", at: start - 1) }
            let c = base[position]
            if c == 0x22 {
                let span = StringSpan(start: start, end: position, hasEscapes: hasEscapes)
                position += 1
                return span
            }
            if c == 0x5C {
                hasEscapes = true
                position += 1
                guard position < end else { throw fail("unterminated string", at: start - 1) }
                switch base[position] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    position += 1
                case 0x75:
                    guard position + 4 < end,
                          (1...4).allSatisfy({ Self.hexValue(base[position + $0]) != nil })
                    else { throw fail("invalid \\u escape") }
                    position += 5
                default:
                    throw fail("invalid escape character after backslash")
                }
            } else {
                throw fail("unescaped control character (byte \(c)) in string")
            }
        }
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
