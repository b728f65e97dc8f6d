import Corpus

/// Reads the items of one benchmark file (JSONL, optionally compressed): each record's id and the text of
/// its configured fields, joined by newlines (a list field contributes each element).
///
/// A record without some of the fields contributes the ones it has. A field that no record of the file
/// has is an error (a misspelled name would otherwise index nothing), naming the fields the file does have.
enum BenchmarkReader {
    static func read(_ source: BenchmarkIndex.Source, _ body: (String, String) -> Void) throws(BenchmarkIndexError) {
        let lines: LineReader
        do {
            lines = LineReader(source: try Compression.openForReading(source.path))
        } catch {
            throw BenchmarkIndexError(path: source.path, line: nil, message: "cannot read the benchmark file: \(error)")
        }
        var seen = Set<String>()
        var fieldsSeen = [Bool](repeating: false, count: source.fields.count)
        var lineNumber = 0
        var records = 0
        while true {
            let next: LineReader.Line?
            do { next = try lines.next() } catch {
                throw BenchmarkIndexError(path: source.path, line: lineNumber + 1, message: "cannot read: \(error)")
            }
            guard let line = next else { break }
            lineNumber += 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: line.bytes) } catch {
                throw BenchmarkIndexError(path: source.path, line: lineNumber, message: "not valid JSON: \(error)")
            }
            guard case let .object(members) = value else {
                throw BenchmarkIndexError(path: source.path, line: lineNumber, message: "expected a JSON object per line")
            }
            records += 1
            if records <= 1000 { for (key, _) in members { seen.insert(key) } }
            var parts: [String] = []
            for (index, field) in source.fields.enumerated() {
                guard let found = Self.lookup(value, field) else { continue }
                fieldsSeen[index] = true
                Self.append(found, to: &parts)
            }
            let id = Self.lookup(value, source.idField).map(Self.plain) ?? "\(source.name)@\(lineNumber)"
            body(id, parts.joined(separator: "\n"))
        }
        guard records > 0 else {
            throw BenchmarkIndexError(path: source.path, line: nil, message: "has no records")
        }
        for (index, field) in source.fields.enumerated() where !fieldsSeen[index] {
            var message = "no record has the field '\(field)'"
            if let close = ConfigReader.closest(to: field, in: Array(seen)) { message += "; did you mean '\(close)'?" }
            message += " Fields of its records: \(seen.sorted().joined(separator: ", "))"
            throw BenchmarkIndexError(path: source.path, line: nil, message: message)
        }
    }

    private static func lookup(_ value: JSONValue, _ path: String) -> JSONValue? {
        var current: JSONValue? = value
        for part in path.split(separator: ".") {
            switch current {
            case .object?: current = current?[String(part)]
            case let .array(items)?:
                guard let index = Int(part), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        if case .null? = current { return nil }
        return current
    }

    private static func append(_ value: JSONValue, to parts: inout [String]) {
        switch value {
        case .null: return
        case let .array(items): for item in items { append(item, to: &parts) }
        case let .object(members): for (_, member) in members { append(member, to: &parts) }
        default: parts.append(plain(value))
        }
    }

    private static func plain(_ value: JSONValue) -> String {
        if case let .string(text) = value { return text }
        return value.textForMatching
    }
}
