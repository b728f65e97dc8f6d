import Foundation
import Testing
@testable import Corpus
@testable import Execution
@testable import SyllabusCommands

/// Runs the built `syllabus` binary; returns exit code, stdout and stderr.
func syllabus(_ arguments: [String], in folder: String? = nil) throws -> (code: Int32, out: String, err: String) {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syllabus")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

final class TemporaryFolder {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-cli-\(UUID().uuidString)").path
    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ name: String, _ text: String) { try! text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
}

let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("examples/data").path

@Suite struct CommandLineTests {
    @Test func curateRunsTheExampleAndStatsAgreesWithIt() throws {
        let folder = TemporaryFolder()
        folder.write("p.yaml", """
            inputs:
              web: {paths: ["\(examples)/web/*.jsonl"]}
              zh: {paths: ["\(examples)/zh/*.jsonl.gz"]}
            steps:
              - length: {min_words: 30}
              - language: {model: "\(examples)/../../Tests/Fixtures/models/lid.176.ftz"}
            output: {path: run}
            """)
        let run = try syllabus(["curate", "p.yaml", "--json"], in: folder.path)
        #expect(run.code == 0, "\(run.err)")
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(run.out.utf8))
        #expect(summary.total.read.documents.documents == 520 + 848)

        let stats = try syllabus(["stats", "run", "--json"], in: folder.path)
        #expect(stats.code == 0, "\(stats.err)")
        let report = try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as! [String: Any]
        let profile = report["profile"] as! [String: Any]
        let groups = profile["groups"] as! [String: [String: Int]]
        #expect(groups["web"]?["documents"] == summary.sources["web"]?.written.documents)
        #expect(groups["zh"]?["documents"] == summary.sources["zh"]?.written.documents)
        #expect(groups["zh"]?["bytes"] == summary.sources["zh"]?.written.bytes)

        let table = try syllabus(["stats", "run"], in: folder.path)
        #expect(table.out.contains("length-v1"))
        #expect(table.out.contains("too_few_words"))
        #expect(table.out.contains("ccnet_perplexity"), "per-field summary of the record's fields")
        // Scores (mostly fractions, a few exactly 1) are summarized as numbers, not listed as values.
        let scoreLine = table.out.split(separator: "\n").first { $0.hasPrefix("metadata.language_score") }
        #expect(scoreLine?.contains("mean") == true, "\(scoreLine ?? "no metadata.language_score line")")
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() throws {
        let folder = TemporaryFolder()
        folder.write("p.yaml", """
            inputs: {qa: {paths: ["\(examples)/qa/*.jsonl.zst"]}}
            output: run
            """)
        let result = try syllabus(["curate", "p.yaml", "--dry-run"], in: folder.path)
        #expect(result.code == 0)
        #expect(result.out.contains("qa/00001-stackexchange_math_physics_stats"))
        #expect(result.out.contains("2 tasks"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"))
    }

    @Test func configErrorsExitWithTwoAndNameTheKey() throws {
        let folder = TemporaryFolder()
        folder.write("p.yaml", """
            inputs: {qa: {paths: ["\(examples)/qa/*.jsonl.zst"]}}
            steps: [{sample: {fration: 0.5}}]
            output: run
            """)
        let result = try syllabus(["curate", "p.yaml"], in: folder.path)
        #expect(result.code == 2)
        #expect(result.err.contains("steps[0].sample.fration"))
        #expect(result.err.contains("p.yaml:2"))
    }

    @Test func failedTasksExitWithOne() throws {
        let folder = TemporaryFolder()
        folder.write("bad.jsonl", "{\"id\": 1, \"text\": \"ok\"}\n{broken\n")
        folder.write("p.yaml", "inputs: {x: {paths: [bad.jsonl]}}\noutput: run\n")
        let result = try syllabus(["curate", "p.yaml"], in: folder.path)
        #expect(result.code == 1)
        #expect(result.err.contains("bad.jsonl:2"))
    }

    @Test func statsOnAMissingPathIsAnError() throws {
        let result = try syllabus(["stats", "/nonexistent/folder"])
        #expect(result.code == 1)
        #expect(result.err.contains("/nonexistent/folder"))
    }

    /// `tokenize --encode-only` writes nothing and counts the tokens `tokenize` writes, once per pass.
    @Test func tokenizeEncodeOnlyCountsWhatTokenizeWrites() throws {
        let folder = TemporaryFolder()
        let tokenizer = URL(fileURLWithPath: examples).deletingLastPathComponent().deletingLastPathComponent().path
            + "/Tests/Fixtures/tokenizers/qwen.tiktoken.zst"
        let input = examples + "/web/c4_en_sample.jsonl"
        let written = try syllabus(["tokenize", "--tokenizer", tokenizer, "--workers", "1", input, "ids.jsonl"], in: folder.path)
        #expect(written.code == 0, "\(written.err)")
        let total = written.err.split(separator: ",").first { $0.hasSuffix(" tokens") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(total != nil, "\(written.err)")
        let measured = try syllabus(["tokenize", "--tokenizer", tokenizer, "--encode-only", "--passes", "2", "--workers", "2", input], in: folder.path)
        #expect(measured.code == 0, "\(measured.err)")
        let passes = measured.err.split(separator: "\n").filter { $0.hasPrefix("encode-only pass ") }
        #expect(passes.count == 2, "\(measured.err)")
        for pass in passes { #expect(pass.contains(", \(total ?? "?"), ") && pass.hasSuffix("2 workers"), "\(pass)") }
        // Nothing written: the input is not taken for an output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ids.jsonl"])
        let misused = try syllabus(["tokenize", "--tokenizer", tokenizer, "--passes", "2", input, "out.jsonl"], in: folder.path)
        #expect(misused.code == 64 && misused.err.contains("--encode-only"), "\(misused.err)")
        // Worker counts side by side: a line per count per pass, then the speed-up line.
        let compared = try syllabus(["tokenize", "--tokenizer", tokenizer, "--encode-only", "--passes", "2", "--worker-counts", "1,2", input], in: folder.path)
        #expect(compared.code == 0, "\(compared.err)")
        let lines = compared.err.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("encode-only pass ") }.map { $0.split(separator: ",").last! }
                    == [" 1 workers", " 2 workers", " 2 workers", " 1 workers"], "\(compared.err)")
        #expect(lines.last?.hasPrefix("encode-only speed-up of 2 workers over 1: ") == true && lines.last?.contains("median of 1 passes") == true,
                "\(compared.err)")
        // Warm encoders: the passes after the first merge fewer pieces, and the speed-up line says so.
        let warm = try syllabus(["tokenize", "--tokenizer", tokenizer, "--encode-only", "--passes", "2", "--worker-counts", "1,2", "--warm", input], in: folder.path)
        #expect(warm.code == 0, "\(warm.err)")
        let merged = warm.err.split(separator: "\n").filter { $0.hasPrefix("encode-only pass ") }.compactMap { line in
            line.split(separator: ",").first { $0.hasSuffix(" pieces merged") }.flatMap { Int($0.split(separator: " ")[0]) }
        }
        #expect(merged.count == 4 && merged[0] > merged[3] && merged[1] > merged[2], "\(warm.err)")
        #expect(warm.err.contains("encoders kept warm from pass to pass"), "\(warm.err)")
        let warmMisused = try syllabus(["tokenize", "--tokenizer", tokenizer, "--warm", input, "out.jsonl"], in: folder.path)
        #expect(warmMisused.code == 64 && warmMisused.err.contains("--warm"), "\(warmMisused.err)")
        for bad in [["--worker-counts", "1,1"], ["--worker-counts", "0,2"], ["--worker-counts", "1,x"], ["--worker-counts", "1,2", "--workers", "2"]] {
            let refused = try syllabus(["tokenize", "--tokenizer", tokenizer, "--encode-only"] + bad + [input], in: folder.path)
            #expect(refused.code == 64 && refused.err.contains("--worker"), "\(bad): \(refused.err)")
        }
    }

    @Test func helpListsCommandsWithExamples() throws {
        let result = try syllabus(["--help"])
        #expect(result.out.contains("curate"))
        #expect(result.out.contains("stats"))
        for command in ["curate", "stats", "tokenize", "pack", "plan", "adjust", "import-recipe"] {
            let help = try syllabus([command, "--help"])
            #expect(result.out.contains(command))
            #expect(help.out.contains("Example"), "\(command) --help has no example")
        }
    }
}

@Suite struct FormatTests {
    @Test func numbersAndDurations() {
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1000) == "-1,000")
        #expect(Format.bytes(999) == "999 B")
        #expect(Format.bytes(1_500_000) == "1.5 MB")
        #expect(Format.duration(3725) == "1:02:05")
        #expect(Format.duration(65) == "1:05")
    }

    @Test func progressLineShowsRatesAndETA() {
        let snapshot = ProgressCounters.Snapshot(documents: 10_000, textBytes: 50_000_000, fileBytes: 25, tasksDone: 1,
                                                 tasksSkipped: 0, tasksFailed: 0, totalTasks: 4, totalFileBytes: 100)
        let line = ProgressDisplay.line(snapshot, label: "curate", elapsed: 10)
        #expect(line.contains("1/4 tasks"))
        #expect(line.contains("1,000 docs/s"))
        #expect(line.contains("5.0 MB/s"))
        #expect(line.contains("25%"))
        #expect(line.contains("ETA 0:30"))
    }
}
