import CXXHash

/// Files of fixed-size binary records that one phase of a corpus-wide step writes and a later one reads
/// (hashes, signatures, decisions). Layout, little-endian:
///
/// ```
/// "SYLREC01"  magic (8 bytes)
/// UInt32      record size in bytes      UInt32  kind (a tag chosen by the step, to catch mix-ups)
/// records…    count × record size
/// UInt64      count                     UInt64  XXH64 of the records
/// ```
///
/// Files are written under a temporary name and renamed, so a killed phase leaves no half file; a reader
/// checks magic, kind, size and checksum and says which phase to run again when any is wrong.
public enum RecordFile {
    static let magic = Array("SYLREC01".utf8)
    static let headerSize = 16
    static let trailerSize = 16

    /// Writes `records` to `path` atomically.
    public static func write<Record: BitwiseCopyable>(_ records: [Record], kind: UInt32, to path: String) throws(CorpusError) {
        let stride = MemoryLayout<Record>.stride
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + records.count * stride + trailerSize)
        bytes += magic
        append(UInt32(stride), to: &bytes)
        append(kind, to: &bytes)
        let checksum = records.withUnsafeBytes { raw in
            bytes.append(contentsOf: raw)
            return XXH64(raw.baseAddress, raw.count, 0)
        }
        append(UInt64(records.count), to: &bytes)
        append(checksum, to: &bytes)
        try FileSystem.writeAtomically(bytes, to: path)
    }

    /// Reads a whole file written by `write`. `rerun` says what to run again if it is missing or damaged.
    public static func read<Record: BitwiseCopyable>(_ type: Record.Type = Record.self, kind: UInt32, from path: String,
                                                    rerun: String) throws(CorpusError) -> [Record] {
        guard FileSystem.exists(path) else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "missing", hint: rerun)
        }
        let bytes = try FileSystem.readFile(path)
        let stride = MemoryLayout<Record>.stride
        func damaged(_ what: String) -> CorpusError {
            CorpusError(.damagedPhaseFile, path: path, message: what, hint: rerun)
        }
        guard bytes.count >= headerSize + trailerSize, Array(bytes[0..<8]) == magic else {
            throw damaged("not a Syllabus record file (bad magic or too short)")
        }
        guard load(UInt32.self, bytes, at: 8) == UInt32(stride) else {
            throw damaged("records are \(load(UInt32.self, bytes, at: 8)) bytes, expected \(stride) (written by another version?)")
        }
        guard load(UInt32.self, bytes, at: 12) == kind else { throw damaged("holds another kind of records") }
        let payload = bytes.count - headerSize - trailerSize
        let count = Int(truncatingIfNeeded: load(UInt64.self, bytes, at: bytes.count - 16))
        guard payload % stride == 0, payload / stride == count else {
            throw damaged("truncated: \(payload) bytes of records for \(count) records of \(stride) bytes")
        }
        let checksum = bytes.withUnsafeBytes { XXH64($0.baseAddress! + headerSize, payload, 0) }
        guard checksum == load(UInt64.self, bytes, at: bytes.count - 8) else { throw damaged("checksum mismatch") }
        return [Record](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[headerSize..<(headerSize + payload)]))
            }
            initialized = count
        }
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func load<T: FixedWidthInteger>(_ type: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
