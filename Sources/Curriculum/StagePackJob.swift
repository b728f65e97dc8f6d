import Corpus
import Foundation
import Tokenization

/// `syllabus pack --stage N`: a stage's manifest as a Megatron-LM indexed dataset, documents in manifest
/// order (the curriculum's order), each `[BOS] tokens EOS`.
///
/// Shards are read once each, front to back, tokenizing only the records the manifest names (a record
/// used twice is tokenized once); the token ids go to a scratch file, and the `.bin` is then written in
/// manifest order from it. Memory: the tokenizer, one batch, and ~24 bytes per manifest line. Every
/// record is checked against the manifest's id, so shards that changed since planning are caught.
public struct StagePackJob {
    public var tokenizer: BPETokenizer
    public var manifest: String
    public var outputPrefix: String
    public var eos: UInt32?
    public var bos: UInt32?
    public var dtype: MegatronDType
    public var workers: Int
    public var batchSize = 2048

    public init(tokenizer: BPETokenizer, manifest: String, outputPrefix: String, workers: Int) {
        self.tokenizer = tokenizer
        self.manifest = manifest
        self.outputPrefix = outputPrefix
        self.workers = max(1, workers)
        eos = DocumentFraming.defaultEOS(of: tokenizer)
        dtype = MegatronDType.optimal(vocabularySize: tokenizer.vocabularySize)
    }

    public struct Summary: Sendable, Codable {
        public var manifest: String
        public var tokenizer: String
        public var dtype: String
        public var documents = 0
        /// Distinct records tokenized (fewer than documents when the stage upsamples).
        public var distinctDocuments = 0
        /// Tokens written, BOS/EOS included.
        public var tokens = 0
        /// Tokens the manifest expected (the planner's counts, before BOS/EOS).
        public var manifestTokens = 0
        /// Documents whose token count differs from the manifest's (a different tokenizer than the
        /// `tokens` step used, or changed text).
        public var tokenCountMismatches = 0
        public var textBytes = 0

        enum CodingKeys: String, CodingKey {
            case manifest, tokenizer, dtype, documents, distinctDocuments = "distinct_documents", tokens
            case manifestTokens = "manifest_tokens", tokenCountMismatches = "token_count_mismatches", textBytes = "text_bytes"
        }
    }

    public func run(progress: ProgressCounters? = nil) throws -> Summary {
        let lines = try StageManifest.read(manifest)
        var summary = Summary(manifest: manifest, tokenizer: tokenizer.name, dtype: "\(dtype)")
        summary.documents = lines.count

        // Distinct records, and per file the positions to read in order.
        struct RecordKey: Hashable {
            var file: Int
            var position: Int
        }
        var fileIndex: [String: Int] = [:]
        var fileOrder: [String] = []
        var distinct: [RecordKey: Int] = [:]
        var lineRecord = [Int](repeating: 0, count: lines.count)
        var wanted: [[(position: Int, record: Int, id: String, tokens: Int)]] = []
        for (index, line) in lines.enumerated() {
            let file = fileIndex[line.file] ?? {
                fileIndex[line.file] = fileOrder.count
                fileOrder.append(line.file)
                wanted.append([])
                return fileOrder.count - 1
            }()
            let key = RecordKey(file: file, position: line.position)
            if let record = distinct[key] {
                lineRecord[index] = record
                continue
            }
            let record = distinct.count
            distinct[key] = record
            lineRecord[index] = record
            wanted[file].append((line.position, record, line.id, line.tokens))
        }
        summary.distinctDocuments = distinct.count
        summary.manifestTokens = lines.reduce(0) { $0 + $1.tokens }

        // Tokenize each needed record once, into the scratch file.
        let scratchPath = outputPrefix + ".scratch.tmp"
        let scratch = try FileByteSink(path: scratchPath)
        defer { FileSystem.remove(scratchPath) }
        var offsets = [Int](repeating: -1, count: distinct.count)
        var lengths = [Int32](repeating: 0, count: distinct.count)
        var written = 0
        let encoder = BatchEncoder(tokenizer: tokenizer, threads: workers)
        let framing = DocumentFraming(bos: bos, eos: eos)
        let wrap: (Document, [UInt32]) -> [UInt32] = { _, ids in framing.sequence(ids) }
        var queued: [(BatchEncoder.Pending<[UInt32]>, [(record: Int, tokens: Int)])] = []
        func consumeOldest() throws {
            let (batch, records) = queued.removeFirst()
            let results = try batch.wait()
            for ((sequence, _), entry) in zip(results, records) {
                offsets[entry.record] = written
                lengths[entry.record] = Int32(sequence.count)
                written += sequence.count
                if sequence.count != entry.tokens + framing.addedTokens { summary.tokenCountMismatches += 1 }
                try sequence.withUnsafeBytes { try scratch.write($0) }
            }
            progress?.documents.add(records.count, ordering: .relaxed)
            progress?.textBytes.add(results.reduce(0) { $0 + $1.textBytes }, ordering: .relaxed)
        }
        // Batches are queued ahead of the one waited for, so the threads go straight on to the next.
        func handOver(_ next: ([Document], [(record: Int, tokens: Int)])) throws {
            queued.append((encoder.start(next.0, wrap), next.1))
            if queued.count >= BatchEncoder.queuedBatches { try consumeOldest() }
        }
        for (index, file) in fileOrder.enumerated() {
            let needed = wanted[index].sorted { $0.position < $1.position }
            let reader: JSONLReader
            do {
                reader = try JSONLReader(path: file)
            } catch {
                throw PlanError("\(manifest): cannot read \(file), which the manifest lists: \(error)",
                                hint: "the shards moved or changed since planning; run `syllabus plan` again")
            }
            var position = 0
            var next = 0
            var batch: [Document] = []
            var records: [(record: Int, tokens: Int)] = []
            while next < needed.count, let entry = try reader.next() {
                defer { position += 1 }
                guard position == needed[next].position else { continue }
                guard case let .document(document) = entry else {
                    throw PlanError("\(file), record \(position + 1): not a valid document, but the manifest lists it",
                                    hint: "the shard changed since planning; run `syllabus plan` again")
                }
                guard document.id == needed[next].id else {
                    throw PlanError("\(file), record \(position + 1): id is '\(document.id)', the manifest says '\(needed[next].id)'",
                                    hint: "the shard changed since planning; run `syllabus plan` again")
                }
                summary.textBytes += document.textByteCount
                batch.append(document)
                records.append((needed[next].record, needed[next].tokens))
                next += 1
                if batch.count >= batchSize {
                    try handOver((batch, records))
                    batch = []
                    records = []
                }
            }
            guard next == needed.count else {
                throw PlanError("\(file) has \(position) records; the manifest wants record \(needed[next].position + 1)",
                                hint: "the shard changed since planning; run `syllabus plan` again")
            }
            if !batch.isEmpty { try handOver((batch, records)) }
            progress?.tasksDone.add(1, ordering: .relaxed)
        }
        while !queued.isEmpty { try consumeOldest() }
        try scratch.finish()

        // The training files, in manifest order.
        let tokens = try Data(contentsOf: URL(fileURLWithPath: scratchPath), options: .alwaysMapped)
        let writer = try MegatronDatasetWriter(prefix: outputPrefix, dtype: dtype)
        try tokens.withUnsafeBytes { raw throws in
            let ids = raw.bindMemory(to: UInt32.self)
            for record in lineRecord {
                let start = offsets[record]
                try writer.addDocument(UnsafeBufferPointer(rebasing: ids[start..<(start + Int(lengths[record]))]))
            }
        }
        summary.tokens = writer.tokens
        try writer.finish()
        try FileSystem.writeAtomically(try PlanJob.json(summary), to: outputPrefix + ".stats.json")
        return summary
    }

    /// Megatron-LM's arguments for this file: one dataset, weight 1. Megatron shuffles samples within a
    /// dataset unless told otherwise, which would undo a perplexity order.
    public static func megatronArguments(prefix: String) -> String {
        "--data-path 1.0 \(prefix) --split 100,0,0"
    }
}
