import Corpus
import Foundation
import Tokenization

/// `syllabus pack`: tokenize documents into a Megatron-LM indexed dataset (`PREFIX.bin` + `PREFIX.idx`)
/// with EOS appended per document (BOS optional), plus `PREFIX.stats.json`.
///
/// Documents are encoded in batches on all workers and written in input order: the files are
/// byte-identical for any number of workers. Memory: the tokenizer, one batch, and 4 bytes per
/// document for the index. The files appear (renamed from `.tmp`) only when complete; a killed pack
/// is run again from the start.
public struct PackJob {
    public var tokenizer: BPETokenizer
    public var inputs: [String]
    public var outputPrefix: String
    public var format = RecordFormat()
    public var eos: UInt32?
    public var bos: UInt32?
    public var dtype: MegatronDType
    /// Documents with fewer tokens (before BOS/EOS) are left out and counted (Llama-3-SynE drops < 20).
    public var minTokens = 0
    public var workers: Int
    public var batchSize = 2048
    /// Long documents are encoded in parts of about this many bytes on all workers (tests make it small).
    var partBytes = BatchEncoder.defaultPartBytes

    public init(tokenizer: BPETokenizer, inputs: [String], outputPrefix: String, workers: Int) {
        self.tokenizer = tokenizer
        self.inputs = inputs
        self.outputPrefix = outputPrefix
        self.workers = max(1, workers)
        eos = DocumentFraming.defaultEOS(of: tokenizer)
        dtype = MegatronDType.optimal(vocabularySize: tokenizer.vocabularySize)
    }

    public struct Summary: Sendable, Codable, Equatable {
        public struct FileCounts: Sendable, Codable, Equatable {
            public var path: String
            public var documents = 0
            public var packed = 0
            public var tokens = 0
        }

        public var tokenizer: String
        public var dtype: String
        public var eos: UInt32?
        public var bos: UInt32?
        public var documentsIn = 0
        public var documentsPacked = 0
        /// Documents left out, by reason (`too_few_tokens`).
        public var dropped: [String: Int] = [:]
        /// Tokens written, BOS/EOS included.
        public var tokens = 0
        public var textBytes = 0
        public var files: [FileCounts] = []
    }

    public func run(progress: ProgressCounters? = nil) throws -> Summary {
        let writer = try MegatronDatasetWriter(prefix: outputPrefix, dtype: dtype)
        var summary = Summary(tokenizer: tokenizer.name, dtype: "\(dtype)", eos: eos, bos: bos)
        let encoder = BatchEncoder(tokenizer: tokenizer, threads: workers, partBytes: partBytes)
        let (framing, minTokens, dtype) = (DocumentFraming(bos: bos, eos: eos), self.minTokens, self.dtype)
        summary.files = inputs.map { Summary.FileCounts(path: $0) }
        // The sequence's bytes are made on the encoding threads: this thread only writes them.
        let wrap: (Document, [UInt32]) -> MegatronDatasetWriter.EncodedSequence? = { _, ids in
            guard ids.count >= minTokens else { return nil }
            return ids.withUnsafeBufferPointer { MegatronDatasetWriter.encode($0, framing: framing, as: dtype) }
        }
        try encoder.encodeInOrder(inputs: inputs, format: format, batchSize: batchSize, progress: progress,
                                  transform: wrap) { file, sequence, textBytes in
            summary.files[file].documents += 1
            summary.textBytes += textBytes
            guard let sequence else {
                summary.dropped[DropReason.tooFewTokens.rawValue, default: 0] += 1
                return
            }
            try writer.add(sequence)
            summary.files[file].packed += 1
            summary.files[file].tokens += sequence.count
        }
        for file in summary.files {
            summary.documentsIn += file.documents
            summary.documentsPacked += file.packed
            summary.tokens += file.tokens
        }
        // Conservation: every document read is packed or counted as dropped.
        precondition(summary.documentsIn == summary.documentsPacked + summary.dropped.values.reduce(0, +))
        try writer.finish()
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try FileSystem.writeAtomically(Array(try json.encode(summary)), to: outputPrefix + ".stats.json")
        return summary
    }
}
