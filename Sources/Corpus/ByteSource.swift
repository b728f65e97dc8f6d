/// A stream of bytes read in chunks: a file, or a decompressor in front of one.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int

    /// Bytes consumed from the underlying file so far (compressed bytes for compressed streams).
    var fileBytesConsumed: Int { get }
}
