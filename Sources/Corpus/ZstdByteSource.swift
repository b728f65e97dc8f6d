import CZstd

/// Decompresses a zstd stream (any number of frames) from another source.
public final class ZstdByteSource: ByteSource {
    private let upstream: any ByteSource
    private let path: String
    private let stream: OpaquePointer
    private var input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var upstreamDone = false
    /// Whether the last frame ended cleanly (ZSTD_decompressStream returned 0).
    private var frameComplete = true

    public var fileBytesConsumed: Int { upstream.fileBytesConsumed }

    public init(upstream: any ByteSource, path: String) {
        self.upstream = upstream
        self.path = path
        stream = ZSTD_createDStream()
        ZSTD_initDStream(stream)
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
        inBuffer.src = UnsafeRawPointer(input.baseAddress)
    }

    deinit {
        ZSTD_freeDStream(stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while output.pos == 0 {
            if inBuffer.pos == inBuffer.size {
                if upstreamDone { break }
                let n = try upstream.read(into: input)
                if n == 0 {
                    upstreamDone = true
                    break
                }
                inBuffer.size = n
                inBuffer.pos = 0
            }
            let result = ZSTD_decompressStream(stream, &output, &inBuffer)
            if ZSTD_isError(result) != 0 {
                throw CorpusError(.corruptCompressedData, path: path,
                                  message: "zstd: \(String(cString: ZSTD_getErrorName(result)))",
                                  hint: "the file is damaged; re-create or re-download it (test it with `zstd -t`)")
            }
            frameComplete = result == 0
        }
        if output.pos == 0, upstreamDone, !frameComplete {
            throw CorpusError(.truncatedCompressedData, path: path, message: "zstd stream ends in the middle of a frame",
                              hint: "the file is truncated; re-create or re-download it (test it with `zstd -t`)")
        }
        return output.pos
    }
}
