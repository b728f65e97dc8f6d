import Corpus
import Dispatch
import Foundation
import Tokenization

/// `syllabus tokenize --encode-only`: the encoders' own throughput, the number to compare with another
/// tokenizer's in-process encode loop (tiktoken's `encode_ordinary`, Hugging Face's `encode_batch`) and
/// to size a cluster job by. The inputs are read into memory first (texts decoded, escapes resolved);
/// then each pass encodes every document on `workers` threads with fresh encoders (so nothing carries
/// over between passes: their piece caches start empty, as in a real run) and keeps only the token
/// counts. Reading, formatting and writing are not timed; the encoders' set-up is.
public struct EncodeOnlyJob {
    public var tokenizer: BPETokenizer
    public var inputs: [String]
    public var format = RecordFormat()
    public var allowSpecial = false
    public var workers: Int
    public var passes = 1
    /// Reading stops after the document that reaches this many bytes of text: the texts stay in memory
    /// for every pass, and a sample of a few hundred MB measures a tokenizer as well as a whole shard.
    public var maxTextBytes = 512_000_000
    /// Documents per batch handed to the encoders (`BatchEncoder`); every batch is queued at once.
    public var batchSize = 2048
    var partBytes = BatchEncoder.defaultPartBytes

    public init(tokenizer: BPETokenizer, inputs: [String], workers: Int) {
        self.tokenizer = tokenizer
        self.inputs = inputs
        self.workers = max(1, workers)
    }

    public struct Pass: Sendable, Codable, Equatable {
        public var seconds: Double
        /// CPU time of the whole process during the pass (all threads, user + system).
        public var cpuSeconds = 0.0
        public var documents = 0
        public var tokens = 0
        public var textBytes = 0
        public var megabytesPerSecond: Double { Double(textBytes) / 1e6 / max(seconds, 1e-9) }
        public var tokensPerSecond: Double { Double(tokens) / max(seconds, 1e-9) }
    }

    /// The documents of the inputs in order, texts ready to encode, up to `maxTextBytes` of text
    /// (`complete` is false when reading stopped there). A line that is not a document is an error naming
    /// its file and line (as `tokenize` would stop there).
    public func loadDocuments() throws(CorpusError) -> (documents: [Document], complete: Bool) {
        var documents: [Document] = []
        var textBytes = 0
        for path in inputs {
            let reader = try JSONLReader(path: path, format: format)
            while let entry = try reader.next() {
                if textBytes >= maxTextBytes { return (documents, false) }
                switch entry {
                case let .document(document):
                    // Resolves the text's escapes now (kept with the document), so no pass pays for them.
                    textBytes += document.withTextUTF8 { $0.count }
                    documents.append(document)
                case let .problem(problem, line, _):
                    throw CorpusError(.invalidRecord, path: path, line: line, message: problem.message,
                                      hint: "fix or remove that line (curate with `on_error: skip` drops such lines with a count)")
                }
            }
        }
        return (documents, true)
    }

    /// Encodes `documents` `passes` times; each pass's time covers making the threads' encoders and
    /// encoding every document, until the last result is in.
    public func run(documents: [Document]) throws -> [Pass] {
        var batches: [[Document]] = []
        var start = 0
        while start < documents.count {
            let end = min(start + batchSize, documents.count)
            batches.append(Array(documents[start..<end]))
            start = end
        }
        var passes: [Pass] = []
        for _ in 0..<max(1, self.passes) {
            let began = DispatchTime.now().uptimeNanoseconds
            let cpuBefore = Self.processCPUSeconds()
            let encoder = BatchEncoder(tokenizer: tokenizer, threads: workers, allowSpecial: allowSpecial, partBytes: partBytes)
            let pending = batches.map { encoder.start($0) { _, ids in ids.count } }
            var pass = Pass(seconds: 0)
            for batch in pending {
                try batch.forEachResult { tokens, textBytes in
                    pass.documents += 1
                    pass.tokens += tokens
                    pass.textBytes += textBytes
                }
            }
            pass.seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            pass.cpuSeconds = Self.processCPUSeconds() - cpuBefore
            passes.append(pass)
        }
        return passes
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
