import ArgumentParser
import Corpus
import Foundation
import Synchronization

/// `syllabus stats PATH…`: documents, bytes and characters per source, and what the metadata holds.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count documents, bytes and characters per source and per metadata field.",
        discussion: """
            PATH is a JSONL file (.jsonl, .jsonl.gz, .jsonl.zst), a folder (searched recursively), or a run folder
            made by `syllabus curate` (its output/ is read, grouped by source, and its step statistics are shown).

            Examples:
              syllabus stats runs/example
              syllabus stats ../shared/data/web --json
            """)

    @Argument(help: "Files, folders or run folders.")
    var paths: [String]

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    @Option(help: "How many values to show per field.")
    var top = 8

    func run() throws {
        do {
            let report = try CorpusStatistics.collect(paths: paths)
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(report), as: UTF8.self))
            } else {
                print(CorpusStatistics.render(report, top: top))
            }
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}
