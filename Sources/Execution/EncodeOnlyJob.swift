import Corpus
import Dispatch
import Foundation
import Tokenization

/// `syllabus tokenize --encode-only`: the encoders' own throughput, the number to compare with another
/// tokenizer's in-process encode loop (tiktoken's `encode_ordinary`, Hugging Face's `encode_batch`) and
/// to size a cluster job by. The inputs are read into memory first (texts decoded, escapes resolved);
/// then each pass encodes every document on `workers` threads with fresh encoders (so nothing carries
/// over between passes: their piece caches start empty, as in a real run; `warm` keeps them instead) and
/// keeps only the token counts. Reading, formatting and writing are not timed; the encoders' set-up is.
///
/// With several `workerCounts`, each pass encodes once per count, the order alternating from pass to
/// pass (1, 2 then 2, 1): the speed-up of more threads is then a ratio of runs a second apart, not of
/// separate processes minutes apart on a machine whose speed drifts (`speedups`).
public struct EncodeOnlyJob {
    public var tokenizer: BPETokenizer
    public var inputs: [String]
    public var format = RecordFormat()
    public var allowSpecial = false
    /// Threads of each encoding run; a pass runs every count once.
    public var workerCounts: [Int]
    public var passes = 1
    /// Keep each thread count's encoders, and their piece caches, from pass to pass: after pass 1 the
    /// passes measure the steady state of a long job, whose encoders have long met the common pieces. Off,
    /// every pass starts with fresh encoders, as a new run does (their warm-up, merging every common piece
    /// once per thread, was a tenth of a one-worker pass on the 20 MB code sample with Qwen).
    public var warm = false
    /// Reading stops after the document that reaches this many bytes of text: the texts stay in memory
    /// for every pass, and a sample of a few hundred MB measures a tokenizer as well as a whole shard.
    public var maxTextBytes = 512_000_000
    /// Documents per batch handed to the encoders (`BatchEncoder`); every batch is queued at once.
    public var batchSize = 2048
    var partBytes = BatchEncoder.defaultPartBytes

    public init(tokenizer: BPETokenizer, inputs: [String], workers: Int) {
        self.init(tokenizer: tokenizer, inputs: inputs, workerCounts: [workers])
    }

    public init(tokenizer: BPETokenizer, inputs: [String], workerCounts: [Int]) {
        precondition(!workerCounts.isEmpty, "at least one worker count")
        self.tokenizer = tokenizer
        self.inputs = inputs
        self.workerCounts = workerCounts.map { max(1, $0) }
    }

    /// One encoding of every document with `workers` threads.
    public struct Pass: Sendable, Codable, Equatable {
        /// The pass (from 1) this run belongs to.
        public var pass = 1
        public var workers = 1
        public var seconds: Double
        /// CPU time of the whole process during the pass (all threads, user + system).
        public var cpuSeconds = 0.0
        public var documents = 0
        public var tokens = 0
        public var textBytes = 0
        /// Pieces the encoders merged in this run (not found in their piece caches).
        public var piecesMerged = 0
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

    /// Encodes `documents` `passes` times with each of `workerCounts` (in the order they ran); each run's
    /// time covers making the threads' encoders and encoding every document, until the last result is in.
    public func run(documents: [Document]) throws -> [Pass] {
        var batches: [[Document]] = []
        var start = 0
        while start < documents.count {
            let end = min(start + batchSize, documents.count)
            batches.append(Array(documents[start..<end]))
            start = end
        }
        var runs: [Pass] = []
        var kept: [Int: BatchEncoder] = [:]
        for pass in 1...max(1, passes) {
            for workers in pass % 2 == 1 ? workerCounts : workerCounts.reversed() {
                runs.append(try encode(batches, pass: pass, workers: workers, reusing: &kept))
            }
        }
        return runs
    }

    /// One run; with `warm`, its encoders are `kept` for the next pass (made in pass 1, its time included).
    private func encode(_ batches: [[Document]], pass number: Int, workers: Int, reusing kept: inout [Int: BatchEncoder]) throws -> Pass {
        let began = DispatchTime.now().uptimeNanoseconds
        let cpuBefore = Self.processCPUSeconds()
        let encoder = kept[workers] ?? BatchEncoder(tokenizer: tokenizer, threads: workers, allowSpecial: allowSpecial, partBytes: partBytes)
        if warm { kept[workers] = encoder }
        let mergedBefore = encoder.piecesMerged
        let pending = batches.map { encoder.start($0) { _, ids in ids.count } }
        var pass = Pass(pass: number, workers: workers, seconds: 0)
        for batch in pending {
            try batch.forEachResult { tokens, textBytes in
                pass.documents += 1
                pass.tokens += tokens
                pass.textBytes += textBytes
            }
        }
        pass.seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        pass.cpuSeconds = Self.processCPUSeconds() - cpuBefore
        pass.piecesMerged = encoder.piecesMerged - mergedBefore
        return pass
    }

    /// How much faster each worker count encoded than the first of `workerCounts`: per pass, the first
    /// count's time over this count's (runs of the same pass are a second or so apart), then the median
    /// over the passes. With more than one pass the first is left out: it warms up (the tokenizer
    /// image's pages, a sleeping core) and is slower by an amount that does not depend on the threads.
    public func speedups(_ runs: [Pass]) -> [Speedup] {
        guard let base = workerCounts.first else { return [] }
        let counted = Set(runs.map(\.pass)).count > 1 ? runs.filter { $0.pass > 1 } : runs
        let byPass = Dictionary(grouping: counted, by: \.pass)
        return workerCounts.dropFirst().map { workers in
            let ratios = byPass.values.compactMap { runs -> Double? in
                guard let first = runs.first(where: { $0.workers == base }), let this = runs.first(where: { $0.workers == workers }),
                      this.seconds > 0 else { return nil }
                return first.seconds / this.seconds
            }.sorted()
            return Speedup(workers: workers, baseWorkers: base, passes: ratios.count, median: Self.median(ratios),
                           lowest: ratios.first ?? 0, highest: ratios.last ?? 0)
        }
    }

    /// `workers` threads' speed over `baseWorkers` threads' (see `speedups`).
    public struct Speedup: Sendable, Equatable {
        public var workers: Int
        public var baseWorkers: Int
        /// Passes compared.
        public var passes: Int
        public var median: Double
        public var lowest: Double
        public var highest: Double
    }

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
