import Corpus

/// Reads the items of one benchmark file (JSONL, optionally compressed): each record's id and the text of
/// its configured fields, joined by newlines (a list field contributes each element).
///
/// A record without some of the fields contributes the ones it has. A field that no record of the file
/// has is an error (a misspelled name would otherwise index nothing), naming the fields the file does have.
enum BenchmarkReader {
    static func read(_ source: BenchmarkIndex.Source, _ body: (String, String) -> Void) throws(BenchmarkIndexError) {
        var seen = Set<String>()
        var fieldsSeen = [Bool](repeating: false, count: source.fields.count)
        var records = 0
        do throws(CorpusError) {
            try JSONObjectLines.forEach(path: source.path) { (lineNumber, value) throws(CorpusError) in
                records += 1
                if records <= 1000, case let .object(members) = value { for (key, _) in members { seen.insert(key) } }
                var parts: [String] = []
                for (index, field) in source.fields.enumerated() {
                    guard let found = Self.lookup(value, field) else { continue }
                    fieldsSeen[index] = true
                    Self.append(found, to: &parts)
                }
                let id = Self.lookup(value, source.idField).map(Self.plain) ?? "\(source.name)@\(lineNumber)"
                body(id, parts.joined(separator: "\n"))
            }
        } catch {
            throw BenchmarkIndexError(path: source.path, line: error.line, message: "\(error.message) (\(error.hint))")
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
