#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system operations the engine needs, with errors that name the path.
public enum FileSystem {
    /// Creates a directory and its parents (like `mkdir -p`).
    public static func createDirectory(_ path: String) throws(CorpusError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw CorpusError(.cannotWrite, path: current, message: "cannot create folder: \(String(cString: strerror(errno)))",
                                  hint: "check permissions, or choose another `output.path`")
            }
        }
        guard isDirectory(path) else {
            throw CorpusError(.cannotWrite, path: path, message: "exists and is not a folder", hint: "choose another `output.path`")
        }
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    public static func isWritableDirectory(_ path: String) -> Bool {
        isDirectory(path) && access(path, W_OK) == 0
    }

    /// The size of a file in bytes, or nil if it cannot be read.
    public static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Atomically replaces `destination` with `source` (same file system).
    public static func rename(_ source: String, to destination: String) throws(CorpusError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw CorpusError(.cannotWrite, path: destination, message: "cannot rename \(source): \(String(cString: strerror(errno)))",
                              hint: "check permissions on the output folder")
        }
    }

    public static func remove(_ path: String) {
        unlink(path)
    }

    /// The names in a directory (not recursive), sorted; empty if it does not exist.
    public static func contents(of directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Where to write what will become `path`: `path + ".tmp"`, renamed into place by `commit` (a reader
    /// never sees half a file), or `path` itself when it already exists and is not a regular file — a
    /// device such as `/dev/null` or `/dev/stdout`, or a named pipe — which a rename would replace.
    public static func stagingPath(for path: String) -> String {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG { return path }
        return path + ".tmp"
    }

    /// Moves a file written at `stagingPath(for: path)` into place. A file already at `path` is removed
    /// first, not replaced by the rename: on ext4, renaming over an existing file makes the renaming
    /// process write the new file's pages out there and then (`auto_da_alloc`), which was ~18 ms at the
    /// very end of a 0.4 s `tokenize`, with every other thread done; removed first, the pages are written
    /// back by the kernel in its own time, as for any new file. `path` is never half written; between the
    /// two calls it does not exist.
    public static func commit(_ staging: String, to path: String) throws(CorpusError) {
        guard staging != path else { return }
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        try rename(staging, to: path)
    }

    /// Writes `bytes` to `path` atomically: to a temporary name, then renamed (a reader never sees half a file).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(CorpusError) {
        let temporary = stagingPath(for: path)
        let sink = try FileByteSink(path: temporary)
        try sink.write(bytes)
        try sink.finish()
        try commit(temporary, to: path)
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(CorpusError) -> [UInt8] {
        try readAll(FileByteSource(path: path), expectedSize: fileSize(path) ?? 0)
    }

    /// Everything `source` yields. The first `expectedSize` bytes (a plain file's size; a start for a
    /// compressed one) are read straight into the array's storage; whatever comes after (a file that
    /// grew, decompressed data) is appended in chunks. (Appending 1 MB chunks to a growing array took 1.2 ms
    /// of lid.176's 6 ms load and a tenth of `tokenize`'s start-up.)
    public static func readAll(_ source: any ByteSource, expectedSize: Int) throws(CorpusError) -> [UInt8] {
        var failure: CorpusError?
        var atEnd = false
        var bytes = [UInt8](unsafeUninitializedCapacity: max(0, expectedSize)) { buffer, count in
            count = 0
            while count < buffer.count {
                do throws(CorpusError) {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[count...]))
                    if n == 0 {
                        atEnd = true
                        return
                    }
                    count += n
                } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
        if atEnd { return bytes }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<n])
        }
    }
}
