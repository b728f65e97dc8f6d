import CZlib

/// Compresses into a gzip member on its way to another sink.
public final class GzipByteSink: ByteSink {
    private let downstream: any ByteSink
    private var stream = z_stream()
    private var output: UnsafeMutableRawBufferPointer

    public var fileBytesWritten: Int { downstream.fileBytesWritten }

    public init(downstream: any ByteSink, level: Int) throws(CorpusError) {
        self.downstream = downstream
        output = .allocate(byteCount: 1 << 17, alignment: 64)
        let status = deflateInit2_(&stream, Int32(level), Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            output.deallocate()
            throw CorpusError(.cannotWrite, path: "(gzip)", message: "zlib could not start (\(status))",
                              hint: "check `compression_level` (1-9)")
        }
    }

    deinit {
        deflateEnd(&stream)
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(CorpusError) {
        guard bytes.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(bytes.count)
        while stream.avail_in > 0 {
            try step(Z_NO_FLUSH)
        }
    }

    public func finish() throws(CorpusError) {
        stream.avail_in = 0
        while try step(Z_FINISH) != Z_STREAM_END {}
        try downstream.finish()
    }

    @discardableResult
    private func step(_ flush: Int32) throws(CorpusError) -> Int32 {
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = deflate(&stream, flush)
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw CorpusError(.cannotWrite, path: "(gzip)", message: "deflate failed (\(status))", hint: "report this as a bug")
        }
        let produced = output.count - Int(stream.avail_out)
        if produced > 0 { try downstream.write(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
        return status
    }
}
