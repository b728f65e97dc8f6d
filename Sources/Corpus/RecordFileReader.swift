import CXXHash

/// Streams the records of a `RecordFile` through a small buffer, for merges over many files at once.
/// Header and size are checked on opening; the checksum when the last record has been read.
public final class RecordFileReader<Record: BitwiseCopyable> {
    public let path: String
    public let count: Int
    private let source: FileByteSource
    private let rerun: String
    private var buffer: [Record] = []
    private var position = 0
    private var delivered = 0
    private let hashState: OpaquePointer
    private let expectedChecksum: UInt64

    /// - Parameter rerun: what to run again if the file is missing or damaged (goes into the error's hint).
    public init(path: String, kind: UInt32, rerun: String, bufferRecords: Int = 1 << 14) throws(CorpusError) {
        self.path = path
        self.rerun = rerun
        guard let size = FileSystem.fileSize(path) else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "missing", hint: rerun)
        }
        let stride = MemoryLayout<Record>.stride
        let headerSize = RecordFile.headerSize, trailerSize = RecordFile.trailerSize
        guard size >= headerSize + trailerSize else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "too short to be a record file", hint: rerun)
        }
        // The trailer first: count and checksum.
        let tail = try FileByteSource(path: path, offset: size - trailerSize)
        let trailer = try Self.readBytes(tail, count: trailerSize)
        count = Int(truncatingIfNeeded: UInt64(littleEndian: trailer.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        expectedChecksum = UInt64(littleEndian: trailer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) })

        source = try FileByteSource(path: path)
        let header = try Self.readBytes(source, count: headerSize)
        let recordSize = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        let fileKind = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) }
        guard Array(header[0..<8]) == RecordFile.magic else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "not a Syllabus record file (bad magic)", hint: rerun)
        }
        guard recordSize == UInt32(stride), fileKind == kind else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "holds records of another kind or size", hint: rerun)
        }
        let payload = size - headerSize - trailerSize
        guard payload % stride == 0, payload / stride == count else {
            throw CorpusError(.damagedPhaseFile, path: path,
                              message: "truncated: \(size - headerSize - trailerSize) bytes of records for \(count) records", hint: rerun)
        }
        hashState = XXH64_createState()
        XXH64_reset(hashState, 0)
        buffer.reserveCapacity(max(1, bufferRecords))
        self.bufferCapacity = max(1, bufferRecords)
    }

    private let bufferCapacity: Int

    deinit { XXH64_freeState(hashState) }

    /// The next record, or nil after the last (when the checksum is verified).
    @inline(__always)
    public func next() throws(CorpusError) -> Record? {
        if position == buffer.count {
            try refill()
            if buffer.isEmpty { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private func refill() throws(CorpusError) {
        let wanted = min(bufferCapacity, count - delivered)
        buffer.removeAll(keepingCapacity: true)
        position = 0
        guard wanted > 0 else {
            if delivered == count, XXH64_digest(hashState) != expectedChecksum {
                delivered += 1  // report once
                throw CorpusError(.damagedPhaseFile, path: path, message: "checksum mismatch", hint: rerun)
            }
            return
        }
        let stride = MemoryLayout<Record>.stride
        var failure: CorpusError?
        buffer = [Record](unsafeUninitializedCapacity: wanted) { out, initialized in
            let raw = UnsafeMutableRawBufferPointer(out)
            do throws(CorpusError) {
                let got = try Self.readFully(source, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<(wanted * stride)]))
                guard got == wanted * stride else {
                    throw CorpusError(.damagedPhaseFile, path: path, message: "ended early", hint: rerun)
                }
                XXH64_update(hashState, raw.baseAddress, got)
                initialized = wanted
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        delivered += wanted
    }

    private static func readBytes(_ source: FileByteSource, count: Int) throws(CorpusError) -> [UInt8] {
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        defer { raw.deallocate() }
        let got = try readFully(source, into: raw)
        return Array(raw[..<got]) + [UInt8](repeating: 0, count: count - got)
    }

    private static func readFully(_ source: FileByteSource, into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
