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
    private var scratch: [UInt8] = []
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

    /// Appends one document's tokens as one sequence.
    public func addDocument(_ ids: some Collection<UInt32>) throws(CorpusError) {
        guard ids.count <= Int(Int32.max) else {
            throw CorpusError(.cannotWrite, path: prefix + ".bin", message: "a document of \(ids.count) tokens is longer than a sequence can be (2^31-1)", hint: "split long documents first")
        }
        scratch.removeAll(keepingCapacity: true)
        let limit = dtype.maxTokenID!
        for id in ids {
            guard UInt64(id) <= limit else {
                throw CorpusError(.cannotWrite, path: prefix + ".bin", message: "token id \(id) does not fit \(dtype)", hint: "pack with a wider dtype (int32)")
            }
            switch dtype {
            case .uint8, .int8: scratch.append(UInt8(truncatingIfNeeded: id))
            case .uint16, .int16: Self.append(UInt16(truncatingIfNeeded: id), to: &scratch)
            case .int32: Self.append(UInt32(id), to: &scratch)
            case .int64: Self.append(UInt64(id), to: &scratch)
            case .float32, .float64: break
            }
        }
        try bin.write(scratch)
        lengths.append(Int32(ids.count))
        tokens += ids.count
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
