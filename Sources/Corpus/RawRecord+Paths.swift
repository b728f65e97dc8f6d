/// Reading one nested value of a record (`metadata.tokens`, `stats.perplexity`) without parsing the
/// objects on the way: the scanner skips every member but the one on the path, and only the value at
/// the end is parsed. The planner reads three such fields from millions of records.
extension RawRecord {
    /// The value at `path` (object keys, outermost first), or nil when a key is missing or a value on the
    /// way is not an object.
    public func value(atPath path: [String]) -> JSONValue? {
        guard let first = path.first, let index = fieldIndex(first) else { return nil }
        if path.count == 1 { return value(at: index) }
        let field = fields[index]
        return bytes.withUnsafeBufferPointer { buffer -> JSONValue? in
            var scanner = JSONScanner(base: buffer.baseAddress! + field.valueStart, count: field.valueEnd - field.valueStart)
            for key in path.dropFirst() {
                guard (try? Self.enterMember(key, scanner: &scanner)) == true else { return nil }
            }
            var scratch: [UInt8] = []
            return try? scanner.parseValue(scratch: &scratch)
        }
    }

    /// Moves `scanner` from the start of an object to the value of its member `key` (the last one wins).
    private static func enterMember(_ key: String, scanner: inout JSONScanner) throws(JSONSyntaxError) -> Bool {
        scanner.skipWhitespace()
        guard scanner.position < scanner.end, scanner.base[scanner.position] == 0x7B else { return false }
        scanner.position += 1
        var wanted = Array(key.utf8)
        var found: Int?
        while true {
            scanner.skipWhitespace()
            guard scanner.position < scanner.end else { return false }
            if scanner.base[scanner.position] == 0x7D { break }
            guard scanner.base[scanner.position] == 0x22 else { return false }
            let span = try scanner.scanString()
            var matches = false
            if span.hasEscapes {
                var scratch: [UInt8] = []
                matches = (try? JSONScanner.decodeString(base: scanner.base, span: span, scratch: &scratch)) == key
            } else if span.end - span.start == wanted.count {
                matches = wanted.withUnsafeMutableBufferPointer { bytes in
                    (0..<bytes.count).allSatisfy { scanner.base[span.start + $0] == bytes[$0] }
                }
            }
            scanner.skipWhitespace()
            guard scanner.position < scanner.end, scanner.base[scanner.position] == 0x3A else { return false }
            scanner.position += 1
            scanner.skipWhitespace()
            if matches { found = scanner.position }
            if scanner.position < scanner.end, scanner.base[scanner.position] == 0x22 {
                _ = try scanner.scanString()
            } else {
                try scanner.skipValue(depth: 1)
            }
            scanner.skipWhitespace()
            guard scanner.position < scanner.end else { return false }
            if scanner.base[scanner.position] == 0x2C { scanner.position += 1; continue }
            if scanner.base[scanner.position] == 0x7D { break }
            return false
        }
        guard let found else { return false }
        scanner.position = found
        return true
    }
}

extension Document {
    /// `value(at:)` for a path split once by the caller: the same lookup order (metadata added by steps,
    /// then the record's own fields, then its `metadata` object for a bare name), without parsing the
    /// objects on the way.
    public func value(atPath parts: [String]) -> JSONValue? {
        guard let head = parts.first else { return nil }
        switch head {
        case "id": return parts.count == 1 ? .string(id) : nil
        case "text": return parts.count == 1 ? .string(text) : nil
        case "metadata" where parts.count > 1:
            if let added = metadata[parts[1]] { return parts.count == 2 ? added : value(at: parts.joined(separator: ".")) }
            return record?.value(atPath: parts)
        default:
            if parts.count == 1, let added = metadata[head] { return added }
            if let found = record?.value(atPath: parts) { return found }
            if parts.count == 1 { return record?.value(atPath: ["metadata", head]) }
            return nil
        }
    }
}
