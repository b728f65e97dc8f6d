import Corpus
import Foundation
import Testing
@testable import Execution
@testable import Tokenization

@Suite struct PackTests {
    static let qwenPath = Fixtures.repository + "/Tests/Fixtures/tokenizers/qwen.tiktoken.zst"
    static let smolPath = Fixtures.repository + "/Tests/Fixtures/tokenizers/smollm2.tokenizer.json.zst"
    nonisolated(unsafe) static var qwen: BPETokenizer = try! BPETokenizer.load(path: qwenPath)

    static var inputs: [String] {
        [Fixtures.examples + "/web/c4_en_sample.jsonl", Fixtures.examples + "/zh/cmrc2018_zhwiki_paragraphs.jsonl.gz"]
    }

    @Test func packedFilesReadBackToTheTokenizersIdsPlusEOS() throws {
        let scratch = Scratch()
        let job = PackJob(tokenizer: Self.qwen, inputs: Self.inputs, outputPrefix: scratch.path + "/data", workers: 2)
        let summary = try job.run()
        let dataset = try MegatronDataset(prefix: scratch.path + "/data")
        #expect(dataset.dtype == .int32)  // 151,646 ids do not fit uint16
        #expect(dataset.documentCount == summary.documentsPacked)
        #expect(dataset.tokenCount == summary.tokens)
        let encoder = Self.qwen.makeEncoder()
        var index = 0
        for path in Self.inputs {
            let reader = try JSONLReader(path: path)
            while let entry = try reader.next() {
                guard case let .document(document) = entry else { continue }
                let expected = try encoder.encode(document.text).map(Int64.init) + [151643]
                #expect(try dataset.document(index) == expected, "document \(index) (\(document.id))")
                index += 1
            }
        }
        #expect(index == summary.documentsIn)
        let stats = try JSONDecoder().decode(PackJob.Summary.self, from: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/data.stats.json")))
        #expect(stats == summary)
    }

    @Test func outputIsTheSameForAnyNumberOfWorkers() throws {
        let scratch = Scratch()
        var outputs: [Data] = []
        for workers in [1, 2, 3] {
            var job = PackJob(tokenizer: Self.qwen, inputs: Self.inputs, outputPrefix: scratch.path + "/w\(workers)", workers: workers)
            job.batchSize = 97
            _ = try job.run()
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/w\(workers).bin")) + Data(contentsOf: URL(fileURLWithPath: scratch.path + "/w\(workers).idx")))
        }
        #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
    }

    /// Long documents are encoded in parts on both workers; the ids are those of one worker.
    @Test(arguments: [qwenPath, smolPath])
    func longDocumentsInPartsGiveTheSameIDs(_ tokenizerPath: String) throws {
        let scratch = Scratch()
        let unit = "The 2 cats   sat.\n\n中文的句子，还有数字 12345 和空格   \t"
        var lines: [String] = []
        for i in 0..<12 {
            let text = String(repeating: unit, count: i % 3 == 0 ? 400 : 3)
            lines.append(#"{"id": "d\#(i)", "text": "\#(text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t"))"}"#)
        }
        // Long, but one piece: no cut inside it, so a single part.
        lines.append(#"{"id": "one-piece", "text": "\#(String(repeating: "a", count: 1600))"}"#)
        let input = scratch.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let tokenizer = try BPETokenizer.load(path: tokenizerPath)
        var outputs: [Data] = []
        for workers in [1, 2] {
            var job = TokenizeJob(tokenizer: tokenizer, inputs: [input], output: scratch.path + "/w\(workers).jsonl", workers: workers)
            job.partBytes = 500
            job.batchSize = 5
            _ = try job.run()
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/w\(workers).jsonl")))
        }
        #expect(outputs[0] == outputs[1])
        // And the same as encoding each document whole.
        let encoder = tokenizer.makeEncoder()
        let reader = try JSONLReader(path: input)
        var expected: [UInt8] = []
        while let entry = try reader.next() {
            guard case let .document(document) = entry else { continue }
            expected += TokenizeJob.line(id: document.id, ids: try encoder.encode(document.text)).bytes
        }
        #expect(outputs[1] == Data(expected))
    }

    /// The encoding threads decode the lines; a bad one still stops the job with its file and line,
    /// whatever the number of workers, and no output replaces the old one.
    @Test(arguments: [1, 2])
    func aLineThatIsNotADocumentIsNamed(_ workers: Int) throws {
        let scratch = Scratch()
        var lines = (0..<9).map { #"{"id": "d\#($0)", "text": "document number \#($0)"}"# }
        lines[6] = #"{"id": "d6", "text": "unterminated"#
        let input = scratch.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        var job = TokenizeJob(tokenizer: try BPETokenizer.load(path: Self.qwenPath), inputs: [input], output: scratch.path + "/ids.jsonl", workers: workers)
        job.batchSize = 2
        do {
            _ = try job.run()
            Issue.record("the bad line was not reported")
        } catch let error as CorpusError {
            #expect(error.path == input && error.line == 7, "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/ids.jsonl"))
    }

    @Test func shortDocumentsAreCountedNotLost() throws {
        let scratch = Scratch()
        let input = scratch.write("in.jsonl", """
            {"id": "a", "text": "one two three four five six seven eight nine ten eleven twelve"}
            {"id": "b", "text": "hi"}
            {"id": "c", "text": "another document that is long enough to keep, surely"}
            """)
        var job = PackJob(tokenizer: try BPETokenizer.load(path: Self.smolPath), inputs: [input], outputPrefix: scratch.path + "/p", workers: 1)
        job.minTokens = 5
        job.bos = 1
        let summary = try job.run()
        #expect(summary.documentsIn == 3 && summary.documentsPacked == 2)
        #expect(summary.dropped == ["too_few_tokens": 1])
        let dataset = try MegatronDataset(prefix: scratch.path + "/p")
        #expect(dataset.dtype == .uint16)  // 49,152 ids
        let first = try dataset.document(0)
        #expect(first.first == 1 && first.last == 0)  // BOS <|im_start|>, EOS <|endoftext|> (id 0)
    }

    /// `encode` packs ids in bulk; the bytes are each id little-endian in the dtype's width, framed, for
    /// every token type, and an id the type cannot hold is named when the sequence is added.
    @Test func encodedSequencesAreLittleEndianIDsInTheDtype() throws {
        let ids: [UInt32] = [0, 1, 126, 127, 200, 255]
        for dtype in [MegatronDType.uint8, .int8, .uint16, .int16, .int32, .int64] {
            for framing in [DocumentFraming(eos: nil), DocumentFraming(bos: 3, eos: 2)] {
                let limit = UInt32(clamping: dtype.maxTokenID!)
                let fitting = ids.filter { $0 <= limit }
                let framed = [framing.bos].compactMap { $0 } + fitting + [framing.eos].compactMap { $0 }
                let sequence = fitting.withUnsafeBufferPointer { MegatronDatasetWriter.encode($0, framing: framing, as: dtype) }
                var expected: [UInt8] = []
                for id in framed { expected += (0..<dtype.byteSize).map { UInt8(truncatingIfNeeded: UInt64(id) >> (8 * $0)) } }
                #expect(sequence.bytes == expected && sequence.count == framed.count && sequence.unfit == nil, "\(dtype)")
            }
        }
        let empty = [UInt32]().withUnsafeBufferPointer { MegatronDatasetWriter.encode($0, framing: DocumentFraming(eos: 7), as: .uint16) }
        #expect(empty.bytes == [7, 0] && empty.count == 1)
        let scratch = Scratch()
        let writer = try MegatronDatasetWriter(prefix: scratch.path + "/x", dtype: .uint16)
        let tooLarge = [UInt32]([5, 70_000, 80_000]).withUnsafeBufferPointer { MegatronDatasetWriter.encode($0, as: .uint16) }
        #expect(tooLarge.unfit == 70_000)
        do {
            try writer.add(tooLarge)
            Issue.record("an id over 65,535 was packed as uint16")
        } catch {
            #expect(error.path == scratch.path + "/x.bin" && error.message.contains("70000"), "\(error)")
        }
        #expect(writer.documents == 0)
    }

    /// The byte-exact example of FORMATS.md §1.5 (checked there against Megatron's builder).
    @Test func writerMatchesTheWorkedExampleByteForByte() throws {
        let scratch = Scratch()
        let writer = try MegatronDatasetWriter(prefix: scratch.path + "/x", dtype: .uint16)
        try writer.addDocument([10, 11, 12])
        try writer.addDocument([20, 21, 22])
        try writer.finish()
        let idx = [UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/x.idx")))
        let bin = [UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/x.bin")))
        #expect(bin == [0x0A, 0, 0x0B, 0, 0x0C, 0, 0x14, 0, 0x15, 0, 0x16, 0])
        // One sequence per document here (§1.5's B has two); header and arrays laid out the same way.
        var expected: [UInt8] = Array("MMIDIDX".utf8) + [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 8]
        expected += [2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]  // S = 2, D = 3
        expected += [3, 0, 0, 0, 3, 0, 0, 0]  // lengths
        expected += [0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]  // byte pointers
        expected += [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]  // document indices
        #expect(idx == expected)
    }

    /// `tokenize … /dev/null` (count tokens, keep nothing) or into a named pipe: the ids go into the
    /// existing device or pipe. Writing `OUT.tmp` and renaming it over `OUT` would replace it with a file.
    @Test func tokenizeWritesIntoANamedPipeWithoutReplacingIt() throws {
        let scratch = Scratch()
        let input = scratch.writeBytes("in.jsonl", Array("{\"id\":\"a\",\"text\":\"hello world\"}\n".utf8))
        let pipe = scratch.path + "/ids.pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        // Both ends open here (Linux opens a FIFO read-write without waiting), so the job's open does not
        // wait for a reader; its few bytes stay in the pipe's buffer until read back below.
        let fd = open(pipe, O_RDWR | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        let summary = try TokenizeJob(tokenizer: Self.qwen, inputs: [input], output: pipe, workers: 1).run()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
        let received = Array(buffer[0..<max(0, n)])
        var info = stat()
        #expect(stat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(!FileManager.default.fileExists(atPath: pipe + ".tmp"))
        let expected = TokenizeJob.line(id: "a", ids: try Self.qwen.makeEncoder().encode("hello world"))
        #expect(received == expected.bytes && summary.tokens == expected.tokens)
    }

    @Test func tokenizeNamesTheFileAndLineOfABadRecord() throws {
        let scratch = Scratch()
        let input = scratch.writeBytes("bad.jsonl", Array("{\"id\":\"a\",\"text\":\"ok\"}\n{\"id\":\"b\",\"text\":\"".utf8) + [0xFF] + Array("\"}\n".utf8))
        let job = TokenizeJob(tokenizer: Self.qwen, inputs: [input], output: scratch.path + "/out.jsonl", workers: 1)
        do {
            _ = try job.run()
            Issue.record("a record with invalid UTF-8 was tokenized")
        } catch let error as CorpusError {
            #expect(error.path == input && error.line == 2)
        }
    }

    @Test func tokensStepCountsWithTheRealTokenizer() throws {
        let scratch = Scratch()
        let yaml = """
            inputs:
              web: {paths: ["\(Fixtures.examples)/web/c4_en_sample.jsonl"]}
            steps:
              - tokens: {tokenizer: "\(Self.qwenPath)", min_tokens: 100}
            output: {path: \(scratch.path)/run, compression: none, keep_dropped: true}
            """
        let summary = try runPipeline(yaml, folder: scratch.path, workers: 2)
        let kept = try records(under: scratch.path + "/run/output")
        let dropped = try records(under: scratch.path + "/run/dropped")
        #expect(kept.count + dropped.count == 500)
        #expect(summary.total.steps[0].dropped["too_few_tokens"]?.documents == dropped.count)
        let encoder = Self.qwen.makeEncoder()
        for line in kept.prefix(50) {
            let record = try JSONValue(parsing: Array(line.utf8))
            let count = try encoder.encode(record["text"]!.stringValue!).count
            #expect(record["metadata"]?["tokens"]?.intValue == count)
            #expect(count >= 100)
        }
    }
}
