#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one input record as read, with the positions of its top-level fields.
///
/// Fields a step never touches are written back from these bytes verbatim.
public struct RawRecord: Sendable {
    struct Field: Sendable {
        var keyStart: Int
        var keyEnd: Int
        var keyHasEscapes: Bool
        var valueStart: Int
        var valueEnd: Int
        /// For string values: whether the string holds escapes (so a plain one is used in place).
        var valueHasEscapes: Bool
        /// For string values: UTF-8 bytes once decoded, or -1 if not valid Unicode (see `StringSpan`).
        var valueDecodedLength: Int

        /// The content of a string value, between its quotes.
        var valueSpan: JSONScanner.StringSpan {
            JSONScanner.StringSpan(start: valueStart + 1, end: valueEnd - 1, hasEscapes: valueHasEscapes,
                                   decodedLength: valueDecodedLength)
        }
    }

    /// The record's JSON text, without the line terminator.
    public let bytes: [UInt8]
    let fields: [Field]

    /// Scans `line` as a JSON object and records its top-level fields (the bytes are copied).
    init(line: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        let base = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var scanner = JSONScanner(base: base, count: line.count)
        var fields: [Field] = []
        fields.reserveCapacity(8)
        scanner.skipWhitespace()
        guard scanner.position < scanner.end, base[scanner.position] == 0x7B else {
            throw scanner.fail("a record must be a JSON object starting with '{'")
        }
        scanner.position += 1
        scanner.skipWhitespace()
        if scanner.position < scanner.end, base[scanner.position] == 0x7D {
            scanner.position += 1
        } else {
            while true {
                guard scanner.position < scanner.end, base[scanner.position] == 0x22 else {
                    throw scanner.fail("expected a quoted key")
                }
                let key = try scanner.scanString()
                scanner.skipWhitespace()
                guard scanner.position < scanner.end, base[scanner.position] == 0x3A else {
                    throw scanner.fail("expected ':' after key")
                }
                scanner.position += 1
                scanner.skipWhitespace()
                let valueStart = scanner.position
                var valueHasEscapes = false
                var valueDecodedLength = 0
                if valueStart < scanner.end, base[valueStart] == 0x22 {
                    let span = try scanner.scanString()
                    valueHasEscapes = span.hasEscapes
                    valueDecodedLength = span.decodedLength
                } else {
                    try scanner.skipValue(depth: 1)
                }
                fields.append(Field(keyStart: key.start, keyEnd: key.end, keyHasEscapes: key.hasEscapes,
                                    valueStart: valueStart, valueEnd: scanner.position, valueHasEscapes: valueHasEscapes,
                                    valueDecodedLength: valueDecodedLength))
                scanner.skipWhitespace()
                guard scanner.position < scanner.end else { throw scanner.fail("unterminated object") }
                if base[scanner.position] == 0x2C {
                    scanner.position += 1
                    scanner.skipWhitespace()
                    continue
                }
                if base[scanner.position] == 0x7D { scanner.position += 1; break }
                throw scanner.fail("expected ',' or '}' after a field")
            }
        }
        scanner.skipWhitespace()
        guard scanner.position == scanner.end else { throw scanner.fail("unexpected text after the record") }
        self.bytes = Array(line)
        self.fields = fields
    }

    /// The index of the top-level field named `name`, if present (the last one wins, as in Python's json).
    func fieldIndex(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { key in
            bytes.withUnsafeBufferPointer { buffer in
                var found: Int?
                for (index, field) in fields.enumerated() {
                    if field.keyHasEscapes {
                        if keyString(field) == String(decoding: key, as: UTF8.self) { found = index }
                        continue
                    }
                    let length = field.keyEnd - field.keyStart
                    if length == key.count, memcmp(buffer.baseAddress! + field.keyStart, key.baseAddress!, length) == 0 {
                        found = index
                    }
                }
                return found
            }
        }
    }

    func keyString(_ field: Field) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            var scratch: [UInt8] = []
            let span = JSONScanner.StringSpan(start: field.keyStart, end: field.keyEnd, hasEscapes: field.keyHasEscapes)
            return (try? JSONScanner.decodeString(base: buffer.baseAddress!, span: span, scratch: &scratch))
                ?? String(decoding: buffer[field.keyStart..<field.keyEnd], as: UTF8.self)
        }
    }

    /// The names of the top-level fields, in record order.
    public var fieldNames: [String] { fields.map(keyString) }

    /// The parsed value of a top-level field.
    public func value(of name: String) -> JSONValue? {
        guard let index = fieldIndex(name) else { return nil }
        return value(at: index)
    }

    public func value(at index: Int) -> JSONValue {
        let field = fields[index]
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(base: buffer.baseAddress! + field.valueStart, count: field.valueEnd - field.valueStart)
            var scratch: [UInt8] = []
            return (try? scanner.parseValue(scratch: &scratch)) ?? .null
        }
    }
}
