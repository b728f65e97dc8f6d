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

    /// Each pass runs every worker count, the order alternating, and each run encodes every document.
    @Test func workerCountsAlternateWithinEachPass() throws {
        let scratch = Scratch()
        let lines = try String(contentsOfFile: Fixtures.examples + "/web/c4_en_sample.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(40).map(String.init)
        let input = scratch.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        var job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [input], workerCounts: [1, 2, 3])
        job.passes = 3
        job.batchSize = 8
        let runs = try job.run(documents: job.loadDocuments().documents)
        #expect(runs.map(\.pass) == [1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(runs.map(\.workers) == [1, 2, 3, 3, 2, 1, 1, 2, 3])
        #expect(Set(runs.map(\.tokens)).count == 1 && runs[0].documents == 40 && runs[0].tokens > 0)
        let speedups = job.speedups(runs)
        #expect(speedups.map(\.workers) == [2, 3] && speedups.allSatisfy { $0.baseWorkers == 1 && $0.passes == 2 })
    }

    /// Every pass starts with fresh encoders, which merge the same pieces again; with `warm` the encoders
    /// are kept, and the passes after the first merge only what their caches have let go of.
    @Test(arguments: [false, true])
    func warmEncodersAreKeptFromPassToPass(_ warm: Bool) throws {
        let scratch = Scratch()
        let lines = try String(contentsOfFile: Fixtures.examples + "/web/c4_en_sample.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(80).map(String.init)
        let input = scratch.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        var job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [input], workerCounts: [1, 2])
        job.passes = 3
        job.batchSize = 8
        job.warm = warm
        let runs = try job.run(documents: job.loadDocuments().documents)
        #expect(Set(runs.map(\.tokens)).count == 1)
        let one = runs.filter { $0.workers == 1 }.map(\.piecesMerged)
        #expect(one[0] > 100, "\(one)")
        if warm {
            // 80 documents fit the cache: later passes merge only the pieces no cache keeps (long ones),
            // the same every pass.
            #expect(one[1] == one[2] && one[1] * 4 < one[0], "\(one)")
            // Which thread takes which document is the scheduler's choice (one may take them all in a
            // pass), but each of the two kept encoders merges a cached piece at most once over all passes:
            // at most 2 × the cached pieces plus the uncached ones each pass. Fresh encoders would merge
            // at least one[0] every pass, which is more.
            let two = runs.filter { $0.workers == 2 }.map(\.piecesMerged)
            #expect(two.reduce(0, +) <= 2 * one[0] + one[1], "\(two)")
        } else {
            // One thread meets the pieces in the same order every pass.
            #expect(one[1] == one[0] && one[2] == one[0], "\(one)")
            #expect(runs.filter { $0.workers == 2 }.allSatisfy { $0.piecesMerged >= one[0] }, "\(runs)")
        }
    }

    /// A speed-up is the median over passes of the time ratio within a pass; the first pass (warm-up)
    /// counts only when it is the only one.
    @Test func speedUpsAreMediansOfRatiosWithinPasses() {
        let job = EncodeOnlyJob(tokenizer: PackTests.qwen, inputs: [], workerCounts: [1, 2])
        func run(_ pass: Int, _ workers: Int, _ seconds: Double) -> EncodeOnlyJob.Pass {
            EncodeOnlyJob.Pass(pass: pass, workers: workers, seconds: seconds)
        }
        // Pass 1 (warm-up) would give 3.0; passes 2-4 give 1.5, 2.0, 1.8 (the slow drift of the machine
        // between passes does not enter: only times within a pass are compared).
        let runs = [run(1, 1, 3.0), run(1, 2, 1.0), run(2, 2, 2.0), run(2, 1, 3.0), run(3, 1, 1.0), run(3, 2, 0.5),
                    run(4, 2, 1.0), run(4, 1, 1.8)]
        let speedup = job.speedups(runs)
        #expect(speedup.count == 1)
        #expect(speedup.first.map { ($0.workers, $0.baseWorkers, $0.passes) } ?? (0, 0, 0) == (2, 1, 3))
        #expect(abs((speedup.first?.median ?? 0) - 1.8) < 1e-9)
        #expect(speedup.first?.lowest == 1.5 && speedup.first?.highest == 2.0)
        let single = job.speedups(Array(runs.prefix(2)))
        #expect(single.first?.median == 3.0 && single.first?.passes == 1)
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
