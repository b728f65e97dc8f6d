#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `RecordFile` mapped into memory for random access (a merge that looks records up by position).
/// Header, kind and size are checked on opening; the checksum is not (that would read every page).
public final class MappedRecordFile<Record: BitwiseCopyable>: @unchecked Sendable {
    public let path: String
    public let records: UnsafeBufferPointer<Record>
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    public init(path: String, kind: UInt32, rerun: String) throws(CorpusError) {
        self.path = path
        guard let size = FileSystem.fileSize(path) else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "missing", hint: rerun)
        }
        let stride = MemoryLayout<Record>.stride
        guard size >= RecordFile.headerSize + RecordFile.trailerSize else {
            throw CorpusError(.damagedPhaseFile, path: path, message: "too short to be a record file", hint: rerun)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CorpusError(.cannotOpen, path: path, message: String(cString: strerror(errno)), hint: rerun)
        }
        defer { close(fd) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw CorpusError(.cannotOpen, path: path, message: "cannot map: \(String(cString: strerror(errno)))", hint: rerun)
        }
        base = mapped
        length = size
        let raw = UnsafeRawPointer(mapped)
        let magicMatches = (0..<8).allSatisfy { raw.load(fromByteOffset: $0, as: UInt8.self) == RecordFile.magic[$0] }
        let recordSize = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let fileKind = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let count = Int(truncatingIfNeeded: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: size - 16, as: UInt64.self)))
        let payload = size - RecordFile.headerSize - RecordFile.trailerSize
        guard magicMatches, recordSize == UInt32(stride), fileKind == kind, payload % stride == 0, payload / stride == count else {
            munmap(mapped, size)
            throw CorpusError(.damagedPhaseFile, path: path, message: "not a record file of the expected kind and size", hint: rerun)
        }
        // The header is 16 bytes, so records of up to 16-byte alignment are aligned in the page-aligned map.
        records = UnsafeBufferPointer(start: (raw + RecordFile.headerSize).assumingMemoryBound(to: Record.self), count: count)
    }

    deinit {
        if let base { munmap(base, length) }
    }
}
