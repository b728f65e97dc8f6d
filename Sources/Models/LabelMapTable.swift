import Corpus
import Foundation

/// A committed table that turns the labels of several labeled sources into one label set (e.g. benchmark
/// subjects and news categories into topics): tab-separated, one row a line,
/// `file  field  value  label  comment`. `file` is a JSONL path (relative to a data folder), `field` the
/// record field holding the source's label there, `value` one value of it, `label` what it becomes; the
/// comment says why where the choice is debatable (may be empty or missing). A first row starting with
/// `file` is the header; blank lines and lines starting with `#` are skipped.
public struct LabelMapTable: Sendable {
    public struct Row: Sendable, Equatable {
        public var file: String
        public var field: String
        public var value: String
        public var label: String
        public var comment: String
        /// 1-based line in the table.
        public var line: Int
    }

    /// One source file of the table and the field holding its labels.
    public struct Source: Sendable, Equatable {
        public var file: String
        public var field: String
    }

    public let path: String
    public let rows: [Row]
    private let index: [String: [String: Row]]

    /// Parses a table; errors name the table and line.
    public init(text: String, path: String) throws(CorpusError) {
        self.path = path
        var rows: [Row] = []
        var index: [String: [String: Row]] = [:]
        var fieldOfFile: [String: (field: String, line: Int)] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if rows.isEmpty && columns.first == "file" { continue }
            func problem(_ message: String, _ hint: String) -> CorpusError {
                CorpusError(.invalidRecord, path: path, line: lineNumber, message: message, hint: hint)
            }
            guard columns.count >= 4, columns.count <= 5 else {
                throw problem("\(columns.count) tab-separated columns, not 4 or 5",
                              "each row is file<TAB>field<TAB>value<TAB>label[<TAB>comment]")
            }
            let row = Row(file: columns[0], field: columns[1], value: columns[2], label: columns[3],
                          comment: columns.count > 4 ? columns[4] : "", line: lineNumber)
            for (name, text) in [("file", row.file), ("field", row.field), ("value", row.value), ("label", row.label)] where text.isEmpty {
                throw problem("the \(name) column is empty", "each row is file<TAB>field<TAB>value<TAB>label[<TAB>comment]")
            }
            if row.label.contains(where: { $0 == " " }) {
                throw problem("label \"\(row.label)\" has a space", "labels are single words (snake_case)")
            }
            if let earlier = fieldOfFile[row.file], earlier.field != row.field {
                throw problem("\(row.file) reads field \"\(row.field)\" here but \"\(earlier.field)\" on line \(earlier.line)",
                              "use one label field per file")
            }
            fieldOfFile[row.file] = fieldOfFile[row.file] ?? (row.field, lineNumber)
            if let earlier = index[row.file]?[row.value] {
                throw problem("\(row.file) \"\(row.value)\" is mapped again (first on line \(earlier.line))", "keep one row per file and value")
            }
            index[row.file, default: [:]][row.value] = row
            rows.append(row)
        }
        guard !rows.isEmpty else {
            throw CorpusError(.invalidRecord, path: path, message: "no rows", hint: "each row is file<TAB>field<TAB>value<TAB>label[<TAB>comment]")
        }
        self.rows = rows
        self.index = index
    }

    public static func read(path: String) throws(CorpusError) -> LabelMapTable {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CorpusError(.cannotOpen, path: path, message: "cannot read the label table", hint: "check the path")
        }
        return try LabelMapTable(text: text, path: path)
    }

    /// The source files, in the order they first appear, each with its label field.
    public var sources: [Source] {
        var seen = Set<String>()
        return rows.compactMap { seen.insert($0.file).inserted ? Source(file: $0.file, field: $0.field) : nil }
    }

    /// The target labels, in the order they first appear.
    public var labels: [String] {
        var seen = Set<String>()
        return rows.compactMap { seen.insert($0.label).inserted ? $0.label : nil }
    }

    /// The row mapping `value` of `file`, if any.
    public func row(file: String, value: String) -> Row? { index[file]?[value] }

    /// One record of a source, mapped.
    public struct MappedRecord: Sendable {
        public var label: String
        /// The source's own label value.
        public var sourceLabel: String
        public var text: String
        /// The record's `id`, when it has a string one.
        public var id: String?
        /// 1-based line in the source file.
        public var line: Int
    }

    /// Reads every record of `source` (its path is `root` + "/" + `source.file`) and maps its label. A
    /// record without the field, with a non-string label or a value the table lacks is an error; every
    /// missing value is listed at once, each with the first line holding it.
    public func mappedRecords(of source: Source, root: String, textField: String = "text") throws(CorpusError) -> [MappedRecord] {
        let path = root.isEmpty ? source.file : root + "/" + source.file
        var records: [MappedRecord] = []
        var unmapped: [(value: String, line: Int, count: Int)] = []
        var unmappedIndex: [String: Int] = [:]
        try JSONObjectLines.forEach(path: path) { (lineNumber, value) throws(CorpusError) in
            func problem(_ message: String, _ hint: String) -> CorpusError {
                CorpusError(.invalidRecord, path: path, line: lineNumber, message: message, hint: hint)
            }
            guard let labelValue = value[source.field] else {
                throw problem("no \"\(source.field)\" field", "\(self.path) reads the label of \(source.file) from \"\(source.field)\"")
            }
            guard case let .string(sourceLabel) = labelValue else {
                throw problem("\"\(source.field)\" is \(labelValue.serialized().prefix(40)), not a string",
                              "map a field holding string labels (\(self.path))")
            }
            guard case let .string(text)? = value[textField] else {
                throw problem("no string \"\(textField)\" field", "each record needs its text")
            }
            guard let row = index[source.file]?[sourceLabel] else {
                if let at = unmappedIndex[sourceLabel] {
                    unmapped[at].count += 1
                } else {
                    unmappedIndex[sourceLabel] = unmapped.count
                    unmapped.append((sourceLabel, lineNumber, 1))
                }
                return
            }
            records.append(MappedRecord(label: row.label, sourceLabel: sourceLabel, text: text, id: value["id"]?.stringValue, line: lineNumber))
        }
        if let first = unmapped.first {
            let list = unmapped.map { "\"\($0.value)\" (line \($0.line), \($0.count) record\($0.count == 1 ? "" : "s"))" }.joined(separator: ", ")
            throw CorpusError(.invalidRecord, path: path, line: first.line,
                              message: "\(unmapped.count) value\(unmapped.count == 1 ? "" : "s") of \"\(source.field)\" not in \(self.path): \(list)",
                              hint: "add a row \(source.file)<TAB>\(source.field)<TAB>VALUE<TAB>LABEL for each (LABEL `others` where nothing fits)")
        }
        return records
    }
}
