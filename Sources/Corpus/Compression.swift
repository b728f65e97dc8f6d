/// How a JSONL file is compressed, known from its name.
public enum Compression: String, Sendable, CaseIterable, Codable {
    case none
    case gzip
    case zstd

    /// The compression a path's extension says (`.gz`, `.zst`/`.zstd`, anything else: none).
    public init(inferredFrom path: String) {
        if path.hasSuffix(".gz") {
            self = .gzip
        } else if path.hasSuffix(".zst") || path.hasSuffix(".zstd") {
            self = .zstd
        } else {
            self = .none
        }
    }

    /// The file name suffix for JSONL written with this compression.
    public var jsonlSuffix: String {
        switch self {
        case .none: return ".jsonl"
        case .gzip: return ".jsonl.gz"
        case .zstd: return ".jsonl.zst"
        }
    }

    /// Opens `path` for reading, decompressing as its name says. `offset` is only for uncompressed files.
    public static func openForReading(_ path: String, offset: Int = 0) throws(CorpusError) -> any ByteSource {
        let compression = Compression(inferredFrom: path)
        precondition(offset == 0 || compression == .none, "byte ranges apply to uncompressed files only")
        let file = try FileByteSource(path: path, offset: offset)
        switch compression {
        case .none: return file
        case .gzip: return ReadAheadByteSource(upstream: try GzipByteSource(upstream: file, path: path))
        case .zstd: return ReadAheadByteSource(upstream: ZstdByteSource(upstream: file, path: path))
        }
    }
}
