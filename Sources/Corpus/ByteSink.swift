/// A destination for bytes: a file, or a compressor in front of one.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws(CorpusError)
    /// Flushes everything (ending the compressed stream) and closes the file.
    func finish() throws(CorpusError)
    /// Bytes written to the file so far.
    var fileBytesWritten: Int { get }
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws(CorpusError) {
        let result: Result<Void, CorpusError> = bytes.withUnsafeBytes { raw in
            do throws(CorpusError) { try write(raw); return .success(()) } catch { return .failure(error) }
        }
        try result.get()
    }
}

/// Opens sinks by compression.
public enum ByteSinks {
    /// Opens a sink writing `path` with `compression` (`level`: zstd 1-19, default 3; gzip 1-9, default 6).
    public static func create(path: String, compression: Compression, level: Int? = nil) throws(CorpusError) -> any ByteSink {
        let file = try FileByteSink(path: path)
        switch compression {
        case .none: return file
        case .zstd: return try ZstdByteSink(downstream: file, level: level ?? 3)
        case .gzip: return try GzipByteSink(downstream: file, level: level ?? 6)
        }
    }
}
