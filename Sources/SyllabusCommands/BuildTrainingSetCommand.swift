import ArgumentParser
import Corpus
import Curation
import Foundation
import Models

/// `syllabus build-training-set`: one labeled JSONL for `train-classifier` from several labeled sources,
/// their own labels turned into one label set (e.g. the topic taxonomy) by a committed table.
struct BuildTrainingSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-training-set",
        abstract: "Map the labels of labeled JSONL sources through a table into one training JSONL.",
        discussion: """
            The table (--map) is tab-separated, one row a line: file, field, value, label, comment. `file` is \
            a JSONL file under --data, `field` the record field holding its label, `value` one value of it \
            and `label` what it becomes; the comment says why where the choice is debatable. A header row \
            starting with `file`, blank lines and lines starting with # are skipped. Every record of every \
            file in the table is read; a value the table lacks is an error listing all missing values with \
            the first line of each, so the table always covers its data. Each output record is \
            {"text", "label", "source_file", "source_label", "id"}, sources in table order, records in file \
            order. --taxonomy en|zh checks that the table's labels are topics of SPEC §4.

            Example:
              syllabus build-training-set --map examples/topics/map-en.tsv --data ../shared/data \\
                  --taxonomy en --output runs/topics/en.jsonl
            """)

    @Option(help: "The label table (TSV: file, field, value, label, comment).")
    var map: String

    @Option(help: "The folder the table's file paths are relative to.")
    var data = "."

    @Option(help: "Where to write the training JSONL.")
    var output: String

    @Option(help: "Check the table's labels against a built-in topic label set: en or zh.")
    var taxonomy: String?

    @Option(help: "The field holding the text in the sources.")
    var textField = "text"

    func validate() throws {
        if let taxonomy, TopicTaxonomy(rawValue: taxonomy) == nil {
            throw ValidationError("--taxonomy must be en or zh (got \(taxonomy))")
        }
    }

    func run() throws {
        do {
            let table = try LabelMapTable.read(path: map)
            if let taxonomy = taxonomy.flatMap(TopicTaxonomy.init(rawValue:)) {
                let known = Set(taxonomy.labels)
                let unknown = table.rows.filter { !known.contains($0.label) }
                if let first = unknown.first {
                    let list = unknown.map { "\"\($0.label)\" (line \($0.line))" }.joined(separator: ", ")
                    throw CorpusError(.invalidRecord, path: map, line: first.line,
                                      message: "labels not in the \(taxonomy.rawValue) taxonomy: \(list)",
                                      hint: "the \(taxonomy.rawValue) topics are " + taxonomy.labels.joined(separator: ", "))
                }
            }
            var out: [UInt8] = []
            var perLabel: [String: Int] = [:]
            var lines: [String] = []
            for source in table.sources {
                let records = try table.mappedRecords(of: source, root: data, textField: textField)
                var labels: [String: Int] = [:]
                for record in records {
                    var members: [(String, JSONValue)] = [("text", .string(record.text)), ("label", .string(record.label)),
                                                          ("source_file", .string(source.file)), ("source_label", .string(record.sourceLabel))]
                    if let id = record.id { members.append(("id", .string(id))) }
                    JSONValue.object(members).write(to: &out)
                    out.append(UInt8(ascii: "\n"))
                    labels[record.label, default: 0] += 1
                    perLabel[record.label, default: 0] += 1
                }
                lines.append("\(source.file) (\(source.field)): \(records.count) records → \(labels.count) labels")
            }
            let directory = (output as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileSystem.createDirectory(directory) }
            try FileSystem.writeAtomically(out, to: output)
            for line in lines { print(line) }
            let total = perLabel.values.reduce(0, +)
            let order = taxonomy.flatMap(TopicTaxonomy.init(rawValue:))?.labels ?? table.labels
            let width = max(5, order.map(\.count).max() ?? 0)
            print("\n" + "label".padding(toLength: width, withPad: " ", startingAt: 0) + "  records  share")
            for label in order {
                let count = perLabel[label] ?? 0
                print(label.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %7d  %5.1f%%", count, 100 * Double(count) / Double(max(total, 1))))
            }
            print("wrote \(total) records to \(output)")
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}
