#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file through a 1 MiB buffer with `write(2)`.
public final class FileByteSink: ByteSink {
    public let path: String
    private var fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var used = 0
    public private(set) var fileBytesWritten = 0

    public init(path: String) throws(CorpusError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CorpusError(.cannotWrite, path: path, message: "cannot create: \(String(cString: strerror(errno)))",
                              hint: "check that the output folder exists and is writable, or choose another `output.path`")
        }
        buffer = .allocate(byteCount: 1 << 20, alignment: 64)
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(CorpusError) {
        if used + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count {
            try writeFully(bytes)
            return
        }
        UnsafeMutableRawBufferPointer(rebasing: buffer[used...]).copyMemory(from: bytes)
        used += bytes.count
    }

    public func finish() throws(CorpusError) {
        try flush()
        guard fd >= 0 else { return }
        let status = close(fd)
        fd = -1
        guard status == 0 else {
            throw CorpusError(.cannotWrite, path: path, message: "close failed: \(String(cString: strerror(errno)))",
                              hint: "the disk may be full; free space and re-run")
        }
    }

    private func flush() throws(CorpusError) {
        guard used > 0 else { return }
        try writeFully(UnsafeRawBufferPointer(rebasing: buffer[..<used]))
        used = 0
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws(CorpusError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CorpusError(.cannotWrite, path: path, message: "write failed: \(String(cString: strerror(errno)))",
                                  hint: "the disk may be full; free space and re-run (completed tasks are kept)")
            }
            offset += n
        }
        fileBytesWritten += bytes.count
    }
}
