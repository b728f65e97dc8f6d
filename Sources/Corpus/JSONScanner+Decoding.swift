#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONScanner {
    /// Why a string's bytes could not become a Swift string.
    enum StringDecodingError: Error {
        case invalidUTF8
        case loneSurrogate
    }

    /// Decodes the content of a scanned string (escapes resolved) into a validated Swift string.
    /// With `repair`, lone surrogate escapes and invalid UTF-8 become U+FFFD instead of throwing.
    static func decodeString(
        base: UnsafePointer<UInt8>, span: StringSpan, scratch: inout [UInt8], repair: Bool = false
    ) throws(StringDecodingError) -> String {
        if !span.hasEscapes {
            let bytes = UnsafeBufferPointer(start: base + span.start, count: span.end - span.start)
            if repair { return String(decoding: bytes, as: UTF8.self) }
            guard let s = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
            return s
        }
        scratch.removeAll(keepingCapacity: true)
        try appendUnescaped(base: base, span: span, repair: repair, to: &scratch)
        if repair { return String(decoding: scratch, as: UTF8.self) }
        guard let s = String(validating: scratch, as: UTF8.self) else { throw .invalidUTF8 }
        return s
    }

    /// Appends the UTF-8 bytes of a scanned string's content, escapes resolved (a lone surrogate escape
    /// throws, or becomes U+FFFD with `repair`). The bytes are not validated here.
    static func appendUnescaped(
        base: UnsafePointer<UInt8>, span: StringSpan, repair: Bool, to scratch: inout [UInt8]
    ) throws(StringDecodingError) {
        var i = span.start
        var runStart = i
        while i < span.end {
            // Jump to the next backslash; everything before it is copied as it is.
            guard let hit = memchr(base + i, 0x5C, span.end - i) else { break }
            i = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            if runStart < i { scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
            let c = base[i + 1]
            i += 2
            switch c {
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x6E: scratch.append(0x0A)
            case 0x72: scratch.append(0x0D)
            case 0x74: scratch.append(0x09)
            case 0x75:
                var scalar = hex4(base + i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 6 <= span.end, base[i] == 0x5C, base[i + 1] == 0x75,
                       case let low = hex4(base + i + 2), (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if repair {
                        scalar = 0xFFFD
                    } else {
                        throw .loneSurrogate
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    guard repair else { throw .loneSurrogate }
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &scratch)
            default: scratch.append(c)  // \" \\ \/
            }
            runStart = i
        }
        if runStart < span.end {
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: span.end - runStart))
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Parses one value into a `JSONValue` (validating as it goes); invalid UTF-8 in strings is repaired.
    mutating func parseValue(depth: Int = 0, scratch: inout [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        guard position < end else { throw fail("expected a value, found end of line") }
        switch base[position] {
        case 0x22:
            return .string(try parseStringRepairing(scratch: &scratch))
        case 0x7B:
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            skipWhitespace()
            var members: [(String, JSONValue)] = []
            if position < end, base[position] == 0x7D { position += 1; return .object(members) }
            while true {
                guard position < end, base[position] == 0x22 else { throw fail("expected a quoted key") }
                let key = try parseStringRepairing(scratch: &scratch)
                skipWhitespace()
                guard position < end, base[position] == 0x3A else { throw fail("expected ':' after key") }
                position += 1
                skipWhitespace()
                members.append((key, try parseValue(depth: depth + 1, scratch: &scratch)))
                skipWhitespace()
                guard position < end else { throw fail("unterminated object") }
                if base[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if base[position] == 0x7D { position += 1; return .object(members) }
                throw fail("expected ',' or '}' in object")
            }
        case 0x5B:
            guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
            position += 1
            skipWhitespace()
            var items: [JSONValue] = []
            if position < end, base[position] == 0x5D { position += 1; return .array(items) }
            while true {
                items.append(try parseValue(depth: depth + 1, scratch: &scratch))
                skipWhitespace()
                guard position < end else { throw fail("unterminated array") }
                if base[position] == 0x2C { position += 1; skipWhitespace(); continue }
                if base[position] == 0x5D { position += 1; return .array(items) }
                throw fail("expected ',' or ']' in array")
            }
        case 0x74: try expectLiteral("true"); return .bool(true)
        case 0x66: try expectLiteral("false"); return .bool(false)
        case 0x6E: try expectLiteral("null"); return .null
        default:
            let start = position
            try skipNumber()
            return .number(String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self))
        }
    }

    /// Escapes are decoded as usual; only a lone surrogate escape or invalid UTF-8 becomes U+FFFD,
    /// so the rest of the string keeps its meaning.
    private mutating func parseStringRepairing(scratch: inout [UInt8]) throws(JSONSyntaxError) -> String {
        let span = try scanString()
        do {
            return try Self.decodeString(base: base, span: span, scratch: &scratch, repair: true)
        } catch {
            return String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start), as: UTF8.self)
        }
    }
}

extension JSONValue {
    /// Parses a complete JSON text (one value, surrounded by optional whitespace).
    public init(parsing bytes: some Collection<UInt8>) throws(JSONSyntaxError) {
        let array = Array(bytes)
        let result: Result<JSONValue, JSONSyntaxError> = array.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .failure(JSONSyntaxError(offset: 0, message: "empty input")) }
            var scanner = JSONScanner(base: base, count: buffer.count)
            var scratch: [UInt8] = []
            do throws(JSONSyntaxError) {
                scanner.skipWhitespace()
                let value = try scanner.parseValue(scratch: &scratch)
                scanner.skipWhitespace()
                guard scanner.position == scanner.end else { throw scanner.fail("unexpected text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }
}
