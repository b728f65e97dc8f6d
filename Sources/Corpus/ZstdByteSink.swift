import CZstd

/// Compresses into a zstd frame on its way to another sink.
public final class ZstdByteSink: ByteSink {
    private let downstream: any ByteSink
    private let context: OpaquePointer
    private var output: UnsafeMutableRawBufferPointer

    public var fileBytesWritten: Int { downstream.fileBytesWritten }

    public init(downstream: any ByteSink, level: Int) throws(CorpusError) {
        self.downstream = downstream
        context = ZSTD_createCCtx()
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        output = .allocate(byteCount: ZSTD_CStreamOutSize(), alignment: 64)
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(CorpusError) {
        var input = ZSTD_inBuffer(src: bytes.baseAddress, size: bytes.count, pos: 0)
        while input.pos < input.size {
            try step(&input, ZSTD_e_continue)
        }
    }

    public func finish() throws(CorpusError) {
        var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try step(&input, ZSTD_e_end) != 0 {}
        try downstream.finish()
    }

    @discardableResult
    private func step(_ input: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective) throws(CorpusError) -> Int {
        var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &out, &input, directive)
        if ZSTD_isError(remaining) != 0 {
            throw CorpusError(.cannotWrite, path: "(zstd)", message: String(cString: ZSTD_getErrorName(remaining)),
                              hint: "report this as a bug")
        }
        if out.pos > 0 { try downstream.write(UnsafeRawBufferPointer(rebasing: output[..<out.pos])) }
        return remaining
    }
}
