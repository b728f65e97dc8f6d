import Corpus
import Foundation
import Testing
@testable import Execution

@Suite struct ConfigErrorTests {
    func configError(_ yaml: String) -> ConfigError? {
        do {
            let config = try PipelineLoader.parse(yaml, file: "p.yaml", baseFolder: Fixtures.examples)
            _ = try TaskPlanner.plan(config)
            return nil
        } catch {
            return error
        }
    }

    @Test func unknownStepNamesTheKeyPathAndSuggests() throws {
        let error = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            steps:
              - length: {min_words: 3}
              - lenght: {min_words: 3}
            output: /tmp/x
            """))
        #expect(error.keyPath == "steps[1]")
        #expect(error.message.contains("unknown step 'lenght'"))
        #expect(error.message.contains("did you mean 'length'"))
        #expect(error.location?.line == 4)
    }

    @Test func unknownOptionNamesTheKeyPath() throws {
        let error = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            steps:
              - length: {min_wrds: 3}
            output: /tmp/x
            """))
        #expect(error.keyPath == "steps[0].length.min_wrds")
        #expect(error.message.contains("did you mean 'min_words'"))
    }

    @Test func wrongTypesAndRangesAreExplained() throws {
        let notNumber = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            steps: [{sample: {fraction: lots}}]
            output: /tmp/x
            """))
        #expect(notNumber.keyPath == "steps[0].sample.fraction")
        let outOfRange = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            steps: [{sample: {fraction: 1.5}}]
            output: /tmp/x
            """))
        #expect(outOfRange.message.contains("between 0"))
        let badPolicy = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            output: /tmp/x
            on_error: ignore
            """))
        #expect(badPolicy.keyPath == "on_error")
        #expect(badPolicy.message.contains("fail, skip"))
        let unknownTop = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl]}}
            output: /tmp/x
            wokers: 2
            """))
        #expect(unknownTop.keyPath == "wokers")
        #expect(unknownTop.message.contains("did you mean 'workers'"))
    }

    @Test func missingInputsOutputAndGlobs() throws {
        #expect(configError("output: /tmp/x")?.keyPath == "inputs")
        #expect(configError("inputs: {web: {paths: [web/*.jsonl]}}")?.keyPath == "output")
        let glob = try #require(configError("""
            inputs: {web: {paths: [web/*.jsonl, nowhere/*.jsonl]}}
            output: /tmp/x
            """))
        #expect(glob.keyPath == "inputs.web.paths[1]")
        #expect(glob.message.contains("matches no file"))
        let invalidYAML = try #require(configError("inputs: [unclosed"))
        #expect(invalidYAML.message.contains("not valid YAML"))
    }
}

@Suite struct BadInputTests {
    func pipeline(_ scratch: Scratch, policy: String) -> String {
        """
        inputs: {src: {paths: ["in/*.jsonl*"]}}
        output: {path: out-\(policy), compression: none, keep_dropped: true}
        on_error: \(policy)
        """
    }

    @Test func invalidLinesFailWithFileAndLine() throws {
        let scratch = Scratch()
        scratch.write("in/a.jsonl", "{\"id\":\"1\",\"text\":\"fine\"}\n\n{\"id\":\"2\",\"text\":\"oops\"\n")
        do {
            try runPipeline(pipeline(scratch, policy: "fail"), folder: scratch.path)
            Issue.record("expected a failure")
        } catch let ExecutionError.tasksFailed(failures) {
            let message = "\(failures[0].error)"
            #expect(message.contains("a.jsonl:3"), "names file and line: \(message)")
            #expect(message.contains("invalid JSON"))
            #expect(message.contains("on_error: skip"))
        }
    }

    @Test func skipPolicyCountsEveryBadLineUnderItsReason() throws {
        let scratch = Scratch()
        var bytes: [UInt8] = Array("{\"id\":\"ok\",\"text\":\"good\"}\n".utf8)
        bytes += Array("not json\n".utf8)
        bytes += Array("{\"id\":\"m\",\"body\":\"no text\"}\n".utf8)
        bytes += Array("{\"id\":\"n\",\"text\":42}\n".utf8)
        bytes += Array("{\"id\":\"u\",\"text\":\"bad ".utf8) + [0xFF, 0xFE] + Array("\"}\n".utf8)
        bytes += Array("   \n\n".utf8)
        bytes += Array("{\"id\":{\"x\":1},\"text\":\"weird id\"}\n".utf8)
        bytes += Array("{\"id\":\"last\",\"text\":\"no newline at end\"}".utf8)
        _ = scratch.writeBytes("in/a.jsonl", bytes)
        let summary = try runPipeline(pipeline(scratch, policy: "skip"), folder: scratch.path)
        let read = summary.total.read
        #expect(read.documents.documents == 2)
        #expect(read.problems.mapValues(\.documents) == [
            "invalid_json": 1, "missing_text": 1, "text_not_string": 1, "invalid_utf8": 1, "invalid_id": 1,
        ])
        #expect(read.blankLines == 2)
        #expect(summary.total.written.documents == 2)
        // The bad lines are in dropped/, each with its reason and line number.
        let dropped = try records(under: scratch.path + "/out-skip/dropped")
        #expect(dropped.count == 5)
        #expect(dropped.contains { $0.contains("\"drop_reason\":\"invalid_utf8\"") && $0.contains("\"line\":5") })
    }

    @Test func emptyFilesAndBlankLinesAreFine() throws {
        let scratch = Scratch()
        scratch.write("in/empty.jsonl", "")
        scratch.write("in/blank.jsonl", "\n\n  \n")
        let summary = try runPipeline(pipeline(scratch, policy: "fail"), folder: scratch.path)
        #expect(summary.total.read.documents.documents == 0)
        #expect(summary.total.read.blankLines == 3)
        #expect(summary.tasks == 2)
    }

    @Test func truncatedCompressedInputFailsTheTaskNamingTheFile() throws {
        let scratch = Scratch()
        let sink = try ByteSinks.create(path: scratch.path + "/full.jsonl.zst", compression: .zstd)
        try sink.write(Array(Fixtures.syntheticJSONL(count: 2000).utf8))
        try sink.finish()
        let full = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/full.jsonl.zst"))
        _ = scratch.writeBytes("in/cut.jsonl.zst", Array(full.prefix(full.count - 50)))
        do {
            try runPipeline(pipeline(scratch, policy: "skip"), folder: scratch.path)
            Issue.record("expected a failure")
        } catch let ExecutionError.tasksFailed(failures) {
            let message = "\(failures[0].error)"
            #expect(message.contains("cut.jsonl.zst"))
            #expect(message.contains("truncated") || message.contains("zstd"))
        }
        // No partial output and no completion marker are left for the failed task.
        #expect(FileSystem.contents(of: scratch.path + "/out-skip/completions/src").isEmpty)
        #expect(FileSystem.contents(of: scratch.path + "/out-skip/output/src").allSatisfy { $0.hasSuffix(".tmp") })
    }

    @Test func unwritableOutputFolderIsAClearError() throws {
        let scratch = Scratch()
        scratch.write("in/a.jsonl", "{\"id\":\"1\",\"text\":\"x\"}\n")
        scratch.write("blocker", "a file where a folder should be")
        let yaml = """
            inputs: {src: {paths: ["in/*.jsonl"]}}
            output: {path: blocker/run}
            """
        do {
            try runPipeline(yaml, folder: scratch.path)
            Issue.record("expected a failure")
        } catch let error as CorpusError {
            #expect(error.kind == .cannotWrite)
            #expect(error.description.contains("blocker"))
        }
    }
}
