#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file mapped read-only, for readers that hand its lines to other threads without copying them
/// (`JSONLReader(mapping: true)`, `LineBatch`).
///
/// Pages are read ahead sequentially; `release(_:)` drops a consumed range's pages from this process
/// (they stay in the page cache), so a reader that releases what it is done with keeps its resident
/// memory bounded however large the file. The file must not shrink while mapped (a read past its new
/// end would stop the process): input files of a job are not written during it.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Maps `path`; nil when it is not a regular file (a pipe or device is read, not mapped).
    public init?(path: String) throws(CorpusError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CorpusError(.cannotOpen, path: path, message: "cannot open: \(String(cString: strerror(errno)))",
                              hint: "check that the file exists and is readable")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else { return nil }
        _ = madvise(mapped, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: mapped, count: size)
    }

    /// Drops the whole pages inside `range` from this process's memory (a later read maps them again).
    public func release(_ range: Range<Int>) {
        guard let base = bytes.baseAddress else { return }
        let start = (range.lowerBound + Self.pageSize - 1) / Self.pageSize * Self.pageSize
        let end = min(range.upperBound, bytes.count) / Self.pageSize * Self.pageSize
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
