import Corpus
import Foundation
import Testing
@testable import Execution

@Suite struct DeterminismTests {
    @Test func sameOutputForOneAndTwoWorkers() throws {
        let scratch = Scratch()
        let one = try runPipeline(Fixtures.examplePipeline(output: scratch.path + "/one"), folder: scratch.path, workers: 1)
        let two = try runPipeline(Fixtures.examplePipeline(output: scratch.path + "/two"), folder: scratch.path, workers: 2)
        #expect(one.total == two.total)
        let a = snapshot(scratch.path + "/one")
        let b = snapshot(scratch.path + "/two")
        #expect(a.keys.sorted() == b.keys.sorted())
        for key in a.keys where key != "run.json" {
            #expect(a[key] == b[key], "\(key) differs between 1 and 2 workers")
        }
        #expect(one.total.written.documents > 0)
        #expect(one.total.written.documents < one.total.read.documents.documents)
    }

    @Test func byteRangesGiveTheSameDocumentsAsWholeFiles() throws {
        let scratch = Scratch()
        scratch.write("in/a.jsonl", Fixtures.syntheticJSONL(count: 3000, seed: 5))
        scratch.write("in/b.jsonl", Fixtures.syntheticJSONL(count: 1200, seed: 6, prefix: "b"))
        func pipeline(_ name: String, split: String) -> String {
            """
            inputs: {src: {paths: ["in/*.jsonl"]}}
            steps:
              - length: {min_words: 10}
            output: {path: \(name), compression: none}
            split_bytes: \(split)
            """
        }
        let whole = try runPipeline(pipeline("whole", split: "1GB"), folder: scratch.path, workers: 2)
        let split = try runPipeline(pipeline("split", split: "64KiB"), folder: scratch.path, workers: 2)
        let config = try PipelineLoader.parse(pipeline("split", split: "64KiB"), baseFolder: scratch.path)
        let tasks = try TaskPlanner.plan(config)
        #expect(tasks.count > 4, "the small split size must produce range tasks")
        #expect(tasks.allSatisfy { $0.range != nil || $0.inputBytes <= 65536 })
        #expect(whole.total.read.documents == split.total.read.documents)
        #expect(whole.total.read.fileBytes == split.total.read.fileBytes)
        #expect(whole.total.steps == split.total.steps)
        #expect(whole.total.written == split.total.written)
        #expect(try records(under: scratch.path + "/whole/output") == records(under: scratch.path + "/split/output"))
        #expect(split.total.read.documents.documents == 4200)
    }
}
