import CZlib

/// Decompresses gzip (including several concatenated members) from another source.
public final class GzipByteSource: ByteSource {
    private let upstream: any ByteSource
    private let path: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var upstreamDone = false
    private var memberComplete = true
    private var sawData = false

    public var fileBytesConsumed: Int { upstream.fileBytesConsumed }

    public init(upstream: any ByteSource, path: String) throws(CorpusError) {
        self.upstream = upstream
        self.path = path
        input = .allocate(byteCount: 1 << 18, alignment: 16)
        // 16 + MAX_WBITS: gzip wrapper only.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw CorpusError(.readFailed, path: path, message: "zlib could not start", hint: "out of memory?")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(stream.avail_out)
        while Int(stream.avail_out) == capacity {
            if stream.avail_in == 0 {
                if upstreamDone { break }
                let n = try upstream.read(into: input)
                if n == 0 {
                    upstreamDone = true
                    break
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
            }
            if memberComplete {
                // A new member starts (or trailing garbage): only reset after a finished one.
                if sawData { inflateReset(&stream) }
                memberComplete = false
                sawData = true
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberComplete = true
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw CorpusError(.corruptCompressedData, path: path, message: "gzip: \(detail)",
                                  hint: "the file is damaged; re-create or re-download it (test it with `gzip -t`)")
            }
        }
        let produced = capacity - Int(stream.avail_out)
        if produced == 0, upstreamDone, !memberComplete {
            throw CorpusError(.truncatedCompressedData, path: path, message: "gzip stream ends in the middle of a member",
                              hint: "the file is truncated; re-create or re-download it (test it with `gzip -t`)")
        }
        return produced
    }
}
