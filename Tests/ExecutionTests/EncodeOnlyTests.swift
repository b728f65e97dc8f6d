import Corpus
import Foundation
import Testing
@testable import Execution
@testable import Tokenization

/// `tokenize --encode-only`: every pass encodes every document to the ids `tokenize` writes.
@Suite struct EncodeOnlyTests {
    @Test(arguments: [1, 2])
    func eachPassCountsTheTokensTokenizeWrites(_ workers: Int) throws {
        let scratch = Scratch()
        // A long document too, so two workers encode it in parts.
        let long = #"{"id": "long", "text": "\#(String(repeating: "Der Satz hat 12 Wörter, 中文的句子\\n", count: 300))"}"#
        let lines = try String(contentsOfFile: Fixtures.examples + "/web/c4_en_sample.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(120).map(String.init) + [long]
        let input = scratch.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        var tokenize = TokenizeJob(tokenizer: PackTests.qwen, inputs: [input], output: scratch.path + "/ids.jsonl", workers: 1)
        tokenize.batchSize = 16
        let written = try tokenize.run()
        var job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [input], workers: workers)
        job.passes = 2
        job.batchSize = 16
        job.partBytes = 1000
        let (documents, complete) = try job.loadDocuments()
        #expect(documents.count == lines.count && complete)
        let passes = try job.run(documents: documents)
        #expect(passes.count == 2)
        for pass in passes {
            #expect(pass.documents == written.documents && pass.tokens == written.tokens && pass.textBytes == written.textBytes)
            #expect(pass.seconds > 0)
        }
    }

    /// Reading stops at the document that reaches the limit, and says so.
    @Test func readingStopsAtTheTextLimit() throws {
        let scratch = Scratch()
        let input = scratch.write("in.jsonl", (0..<10).map { #"{"id": "d\#($0)", "text": "ten bytes!"}"# }.joined(separator: "\n") + "\n")
        var job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [input], workers: 1)
        job.maxTextBytes = 35
        let (documents, complete) = try job.loadDocuments()
        #expect(documents.map(\.id) == ["d0", "d1", "d2", "d3"] && !complete)
        job.maxTextBytes = 100
        let all = try job.loadDocuments()
        #expect(all.documents.count == 10 && all.complete)
    }

    @Test func aLineThatIsNotADocumentIsNamed() throws {
        let scratch = Scratch()
        let input = scratch.write("in.jsonl", #"{"id": "a", "text": "fine"}"# + "\n" + #"{"id": "b", "text": 7}"# + "\n")
        let job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [input], workers: 1)
        do {
            _ = try job.loadDocuments()
            Issue.record("the bad line was not reported")
        } catch {
            #expect(error.path == input && error.line == 2, "\(error)")
        }
    }
}
