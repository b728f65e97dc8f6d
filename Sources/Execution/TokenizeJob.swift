import Corpus
import Dispatch
import Tokenization

/// `syllabus tokenize`: each input document's token ids as JSONL (`{"id":…,"ids":[…]}`), in input order,
/// so anyone can check Syllabus against another tokenizer. Documents are encoded in batches on all
/// workers; the output does not depend on the number of workers.
public struct TokenizeJob {
    public var tokenizer: BPETokenizer
    public var inputs: [String]
    public var output: String
    public var format = RecordFormat()
    public var allowSpecial = false
    public var workers: Int
    public var batchSize = 2048

    public init(tokenizer: BPETokenizer, inputs: [String], output: String, workers: Int) {
        self.tokenizer = tokenizer
        self.inputs = inputs
        self.output = output
        self.workers = max(1, workers)
    }

    public struct Summary: Sendable, Codable {
        public var documents = 0
        public var tokens = 0
        public var textBytes = 0
    }

    public func run(progress: ProgressCounters? = nil) throws -> Summary {
        let sink = try ByteSinks.create(path: output + ".tmp", compression: Compression(inferredFrom: output))
        var summary = Summary()
        let encoders = (0..<workers).map { _ in tokenizer.makeEncoder() }
        for path in inputs {
            let reader = try JSONLReader(path: path, format: format)
            var batch: [Document] = []
            batch.reserveCapacity(batchSize)
            var done = false
            while !done {
                batch.removeAll(keepingCapacity: true)
                while batch.count < batchSize, let entry = try reader.next() {
                    switch entry {
                    case let .document(document): batch.append(document)
                    case let .problem(problem, line, _):
                        throw CorpusError(.invalidRecord, path: path, line: line, message: problem.message,
                                          hint: "fix or remove that line; tokenize reads every record")
                    }
                }
                done = batch.count < batchSize
                if batch.isEmpty { break }
                let lines = try encode(batch, encoders: encoders)
                for (document, line) in zip(batch, lines) {
                    try sink.write(line.bytes)
                    summary.documents += 1
                    summary.tokens += line.tokens
                    summary.textBytes += document.textByteCount
                }
                progress?.documents.add(batch.count, ordering: .relaxed)
                progress?.textBytes.add(batch.reduce(0) { $0 + $1.textByteCount }, ordering: .relaxed)
            }
        }
        try sink.finish()
        try FileSystem.rename(output + ".tmp", to: output)
        return summary
    }

    private struct EncodedLine: Sendable {
        var bytes: [UInt8] = []
        var tokens = 0
        var error: TokenizerError?
    }

    /// Encodes a batch on `encoders.count` threads, each a contiguous slice; lines come back in order.
    private func encode(_ batch: [Document], encoders: [TokenEncoder]) throws(TokenizerError) -> [EncodedLine] {
        let lines = UnsafeMutableBufferPointer<EncodedLine>.allocate(capacity: batch.count)
        lines.initialize(repeating: EncodedLine())
        defer { lines.deinitialize(); lines.deallocate() }
        let slices = min(encoders.count, batch.count)
        nonisolated(unsafe) let shared = lines
        nonisolated(unsafe) let encoders = encoders
        let allowSpecial = self.allowSpecial
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let encoder = encoders[slice]
            var ids: [UInt32] = []
            for index in stride(from: slice * batch.count / slices, to: (slice + 1) * batch.count / slices, by: 1) {
                let document = batch[index]
                ids.removeAll(keepingCapacity: true)
                var line = EncodedLine()
                do throws(TokenizerError) {
                    try document.withTextUTF8 { (text) throws(TokenizerError) in
                        try encoder.encode(utf8: text, allowSpecial: allowSpecial, into: &ids)
                    }
                } catch {
                    line.error = error
                }
                line.tokens = ids.count
                line.bytes.reserveCapacity(ids.count * 7 + document.id.utf8.count + 16)
                line.bytes.append(contentsOf: #"{"id":"#.utf8)
                JSONEscaping.appendQuoted(document.id, to: &line.bytes)
                line.bytes.append(contentsOf: #","ids":["#.utf8)
                for (i, id) in ids.enumerated() {
                    if i > 0 { line.bytes.append(0x2C) }
                    appendDecimal(id, to: &line.bytes)
                }
                line.bytes.append(contentsOf: "]}\n".utf8)
                shared[index] = line
            }
        }
        if let failed = lines.first(where: { $0.error != nil }) { throw failed.error! }
        return Array(lines)
    }
}

@inline(__always)
func appendDecimal(_ value: UInt32, to out: inout [UInt8]) {
    if value < 10 {
        out.append(0x30 &+ UInt8(value))
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var v = value
    var n = 0
    withUnsafeMutableBytes(of: &digits) { d in
        while v > 0 {
            d[n] = 0x30 &+ UInt8(v % 10)
            v /= 10
            n += 1
        }
        while n > 0 {
            n -= 1
            out.append(d[n])
        }
    }
}
