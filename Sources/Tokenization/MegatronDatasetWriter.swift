import Corpus

/// Writes a Megatron-LM indexed dataset (`PREFIX.bin` + `PREFIX.idx`, "MMIDIDX" version 1) — the files
/// Megatron-LM, NeMo and Megatron-DeepSpeed train from. One sequence per document; layout in
/// ../shared/FORMATS.md §1 (little-endian header, then sequence lengths i32, byte pointers i64, document
/// indices i64). Both files are written under `.tmp` names and renamed when complete.
public final class MegatronDatasetWriter {
    public static let magic: [UInt8] = Array("MMIDIDX".utf8) + [0, 0]

    public let prefix: String
    public let dtype: MegatronDType
    private let bin: any ByteSink
    private var lengths: [Int32] = []
    public private(set) var tokens = 0

    public init(prefix: String, dtype: MegatronDType) throws(CorpusError) {
        guard dtype.maxTokenID != nil else {
            throw CorpusError(.cannotWrite, path: prefix + ".bin", message: "\(dtype) cannot hold token ids", hint: "use uint16 or int32")
        }
        self.prefix = prefix
        self.dtype = dtype
        bin = try ByteSinks.create(path: prefix + ".bin.tmp", compression: .none)
    }

    public var documents: Int { lengths.count }

    /// One document's sequence in a dataset's dtype, made by `encode` where the ids are (an encoding
    /// thread), so the thread that writes the files only appends bytes (`add`).
    public struct EncodedSequence: Sendable {
        public let dtype: MegatronDType
        /// Tokens in the sequence, framing included.
        public let count: Int
        /// `count` tokens, little-endian, `dtype.byteSize` bytes each (empty when `unfit` is set).
        public let bytes: [UInt8]
        /// The first id the dtype cannot hold, if any: `add` reports it.
        public let unfit: UInt32?
    }

    /// `[framing.bos] ids [framing.eos]` in `dtype` (a token type). A sequence longer than 2^31-1 tokens
    /// or an id the type cannot hold is refused by `add`, which names the file.
    ///
    /// In bulk, not per id: the per-id loop behind a generic `Collection` parameter (unspecialized across
    /// modules: an iterator witness call per id) was the writing thread's whole time in `pack`, which
    /// then ran no faster with two workers than with one.
    public static func encode(_ ids: UnsafeBufferPointer<UInt32>, framing: DocumentFraming = DocumentFraming(eos: nil),
                              as dtype: MegatronDType) -> EncodedSequence {
        let limit = dtype.maxTokenID!
        var largest = max(framing.bos ?? 0, framing.eos ?? 0)
        for id in ids { largest = max(largest, id) }
        let count = ids.count + framing.addedTokens
        if UInt64(largest) > limit {
            let unfit = ([framing.bos].compactMap { $0 } + ids + [framing.eos].compactMap { $0 }).first { UInt64($0) > limit }
            return EncodedSequence(dtype: dtype, count: count, bytes: [], unfit: unfit)
        }
        // One loop per token type, so each is a plain conversion the compiler vectorizes.
        func fill<T: FixedWidthInteger>(_: T.Type) -> [UInt8] {
            let width = MemoryLayout<T>.size
            return [UInt8](unsafeUninitializedCapacity: count * width) { buffer, written in
                guard let out = UnsafeMutableRawPointer(buffer.baseAddress) else { return }
                var at = 0
                if let bos = framing.bos { out.storeBytes(of: T(truncatingIfNeeded: bos).littleEndian, as: T.self); at = width }
                for (i, id) in ids.enumerated() { out.storeBytes(of: T(truncatingIfNeeded: id).littleEndian, toByteOffset: at + i * width, as: T.self) }
                at += ids.count * width
                if let eos = framing.eos { out.storeBytes(of: T(truncatingIfNeeded: eos).littleEndian, toByteOffset: at, as: T.self); at += width }
                written = at
            }
        }
        let bytes: [UInt8]
        switch dtype {
        case .uint8, .int8: bytes = fill(UInt8.self)
        case .uint16, .int16: bytes = fill(UInt16.self)
        case .int32: bytes = fill(UInt32.self)
        case .int64: bytes = fill(UInt64.self)
        case .float32, .float64: preconditionFailure("not a token type")
        }
        return EncodedSequence(dtype: dtype, count: count, bytes: bytes, unfit: nil)
    }

    /// Appends one document's tokens as one sequence.
    public func addDocument(_ ids: [UInt32]) throws(CorpusError) {
        try ids.withUnsafeBufferPointer { (ids) throws(CorpusError) in try addDocument(ids) }
    }

    public func addDocument(_ ids: UnsafeBufferPointer<UInt32>) throws(CorpusError) {
        try add(Self.encode(ids, as: dtype))
    }

    /// Appends a sequence `encode` made for this writer's dtype.
    public func add(_ sequence: EncodedSequence) throws(CorpusError) {
        precondition(sequence.dtype == dtype, "a sequence encoded as \(sequence.dtype) for a \(dtype) dataset")
        guard sequence.count <= Int(Int32.max) else {
            throw CorpusError(.cannotWrite, path: prefix + ".bin", message: "a document of \(sequence.count) tokens is longer than a sequence can be (2^31-1)", hint: "split long documents first")
        }
        if let id = sequence.unfit {
            throw CorpusError(.cannotWrite, path: prefix + ".bin", message: "token id \(id) does not fit \(dtype)", hint: "pack with a wider dtype (int32)")
        }
        try bin.write(sequence.bytes)
        lengths.append(Int32(sequence.count))
        tokens += sequence.count
    }

    @inline(__always)
    static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// Writes the index and renames both files into place.
    public func finish() throws(CorpusError) {
        try bin.finish()
        var idx: [UInt8] = []
        idx.reserveCapacity(34 + lengths.count * 20 + 8)
        idx += Self.magic
        Self.append(UInt64(1), to: &idx)
        idx.append(dtype.rawValue)
        Self.append(UInt64(lengths.count), to: &idx)
        Self.append(UInt64(lengths.count + 1), to: &idx)
        for length in lengths { Self.append(length, to: &idx) }
        var pointer: Int64 = 0
        for length in lengths {
            Self.append(pointer, to: &idx)
            pointer += Int64(length) * Int64(dtype.byteSize)
        }
        for document in 0...lengths.count { Self.append(Int64(document), to: &idx) }
        let sink = try ByteSinks.create(path: prefix + ".idx.tmp", compression: .none)
        try sink.write(idx)
        try sink.finish()
        try FileSystem.rename(prefix + ".bin.tmp", to: prefix + ".bin")
        try FileSystem.rename(prefix + ".idx.tmp", to: prefix + ".idx")
    }
}
