#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines with bounded memory: the buffer only grows to the longest line.
///
/// Reading a byte range `[start, end)` of a file: the reader owns exactly the lines whose first byte lies
/// in the range, so adjacent ranges together yield every line once. Open the source at `start - 1`
/// (or 0) and pass `skipFirstPartialLine: start > 0`.
public final class LineReader {
    /// One line, valid until the next call to `next()`.
    public struct Line {
        /// The bytes without `\n` (and without a `\r` before it).
        public let bytes: UnsafeRawBufferPointer
        /// Offset of the line's first byte in the (decompressed) stream, counted from the source's start.
        public let offset: Int
    }

    private let source: (any ByteSource)?
    private var buffer: UnsafeMutableRawBufferPointer
    /// A mapped file whose bytes are the buffer (nothing to read or free); lines stay valid while it lives.
    public let mapping: MappedFile?
    private var start = 0  // first unconsumed byte
    private var filled = 0  // bytes in buffer
    private var streamOffsetOfBuffer = 0  // stream offset of buffer[0]
    private var atEnd = false
    private let limit: Int?
    private var skipPartial: Bool

    /// Lines returned so far (a skipped partial first line is not counted).
    public private(set) var linesRead = 0

    /// - Parameters:
    ///   - limit: stop before a line whose first byte is at or beyond this stream offset.
    ///   - skipFirstPartialLine: discard bytes up to and including the first newline.
    public init(source: any ByteSource, bufferSize: Int = 1 << 20, limit: Int? = nil, skipFirstPartialLine: Bool = false) {
        self.source = source
        self.buffer = .allocate(byteCount: bufferSize, alignment: 64)
        self.limit = limit
        self.skipPartial = skipFirstPartialLine
        mapping = nil
    }

    /// The lines of a whole mapped file, read in place: each line's bytes point into `mapping`.
    public init(mapping: MappedFile) {
        source = nil
        self.mapping = mapping
        buffer = UnsafeMutableRawBufferPointer(mutating: mapping.bytes)
        filled = buffer.count
        atEnd = true
        limit = nil
        skipPartial = false
    }

    /// Bytes of the stream consumed so far (lines returned and their line ends).
    public var consumedBytes: Int { streamOffsetOfBuffer + start }

    deinit { if mapping == nil { buffer.deallocate() } }

    public func next() throws(CorpusError) -> Line? {
        while true {
            guard let line = try nextRaw() else { return nil }
            if skipPartial {
                skipPartial = false
                continue
            }
            if let limit, line.offset >= limit { return nil }
            linesRead += 1
            return line
        }
    }

    private func nextRaw() throws(CorpusError) -> Line? {
        var searchFrom = start
        while true {
            if searchFrom < filled,
               let hit = memchr(buffer.baseAddress! + searchFrom, 0x0A, filled - searchFrom) {
                let newline = buffer.baseAddress!.distance(to: hit)
                return emit(upTo: newline, consumed: newline + 1)
            }
            if atEnd {
                guard start < filled else { return nil }
                return emit(upTo: filled, consumed: filled)
            }
            searchFrom = filled
            try refill(&searchFrom)
        }
    }

    private func emit(upTo end: Int, consumed: Int) -> Line {
        var stop = end
        if stop > start, buffer[stop - 1] == 0x0D { stop -= 1 }
        let line = Line(bytes: UnsafeRawBufferPointer(rebasing: buffer[start..<stop]), offset: streamOffsetOfBuffer + start)
        start = consumed
        return line
    }

    /// Moves the partial line to the front (growing the buffer if the line fills it) and reads more.
    private func refill(_ searchFrom: inout Int) throws(CorpusError) {
        if start > 0 {
            let pending = filled - start
            if pending > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + start, pending) }
            streamOffsetOfBuffer += start
            searchFrom -= start
            filled = pending
            start = 0
        }
        if filled == buffer.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 64)
            larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = larger
        }
        let n = try source!.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
        if n == 0 { atEnd = true }
        filled += n
    }
}
