#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file with `read(2)`, optionally starting at an offset.
public final class FileByteSource: ByteSource {
    public let path: String
    private let fd: Int32
    public private(set) var fileBytesConsumed = 0

    public init(path: String, offset: Int = 0) throws(CorpusError) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CorpusError(.cannotOpen, path: path, message: "cannot open: \(String(cString: strerror(errno)))",
                              hint: "check that the file exists and is readable")
        }
        if offset > 0 {
            guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
                close(fd)
                throw CorpusError(.readFailed, path: path, message: "cannot seek to byte \(offset)",
                                  hint: "the file may have changed since the run was planned; re-plan the run")
            }
        }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
    }

    deinit { close(fd) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                fileBytesConsumed += n
                return n
            }
            if errno == EINTR { continue }
            throw CorpusError(.readFailed, path: path, message: "read failed: \(String(cString: strerror(errno)))",
                              hint: "check the disk and re-run; completed tasks are kept")
        }
    }
}
