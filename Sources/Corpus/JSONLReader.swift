#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads documents from one JSONL file (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`) or a byte range of one.
public final class JSONLReader {
    /// What one non-blank line turned out to be.
    public enum Entry {
        case document(Document)
        /// A line that is not a valid document; `line` is its 1-based line number in the file.
        case problem(RecordProblem, line: Int, bytes: Int)
    }

    public let path: String
    private let lines: LineReader
    private var decoder: DocumentDecoder
    private let baseOffset: Int
    private let rangeStart: Int
    private let idPrefix: String
    /// Blank (empty or whitespace-only) lines skipped; they are not documents.
    public private(set) var blankLines = 0

    /// Bytes consumed from the file so far (compressed bytes for compressed files).
    public var fileBytesConsumed: Int { source?.fileBytesConsumed ?? lines.consumedBytes }
    private let source: (any ByteSource)?
    /// The mapped file the lines point into (`mapping: true`), or nil when they are read into a buffer.
    public var mapping: MappedFile? { lines.mapping }

    /// - Parameters:
    ///   - range: a byte range of an uncompressed file; the reader yields the lines starting in it.
    ///   - mapping: read a whole uncompressed regular file by mapping it (`MappedFile`): `nextLine()`'s
    ///     bytes then stay valid as long as `mapping` is held, for readers that keep lines without copying.
    public init(path: String, range: Range<Int>? = nil, format: RecordFormat = RecordFormat(), source sourceName: String = "",
                mapping: Bool = false) throws(CorpusError) {
        self.path = path
        let start = range?.lowerBound ?? 0
        let openAt = max(0, start - 1)
        if mapping, range == nil, Compression(inferredFrom: path) == .none, let file = try MappedFile(path: path) {
            source = nil
            lines = LineReader(mapping: file)
        } else {
            let source = try Compression.openForReading(path, offset: openAt)
            self.source = source
            lines = LineReader(source: source, limit: range.map { $0.upperBound - openAt }, skipFirstPartialLine: start > 0)
        }
        decoder = DocumentDecoder(format: format, source: sourceName)
        baseOffset = openAt
        rangeStart = start
        idPrefix = Self.fallbackIDPrefix(path: path)
    }

    /// A record without an id is named `<file name>@<byte offset of its line>` (`fallbackID`).
    public static func fallbackIDPrefix(path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    /// The id of a record without one: `prefix` from `fallbackIDPrefix(path:)`, `offset` its line's.
    public static func fallbackID(prefix: String, offset: Int) -> String { "\(prefix)@\(offset)" }

    /// One non-blank line, not yet decoded (for readers that decode on other threads).
    public struct RawLine {
        /// Valid until the next call to `nextLine()` or `next()`, or as long as `mapping` lives if there is one.
        public let bytes: UnsafeRawBufferPointer
        /// The line's byte offset in the (decompressed) file.
        public let offset: Int
        /// The line's 1-based number in the file; nil when reading a byte range (counting the lines
        /// before it costs a read of the file: `lineNumber(path:offset:)` does it when needed).
        public let number: Int?
    }

    /// The next non-blank line, undecoded: decode it with a `DocumentDecoder` of the same format, its
    /// fallback id `fallbackID(prefix:offset:)`.
    public func nextLine() throws(CorpusError) -> RawLine? {
        while let line = try lines.next() {
            if Self.isBlank(line.bytes) {
                blankLines += 1
                continue
            }
            let offset = baseOffset + line.offset
            return RawLine(bytes: line.bytes, offset: offset, number: rangeStart == 0 ? lines.linesRead : nil)
        }
        return nil
    }

    public func next() throws(CorpusError) -> Entry? {
        guard let line = try nextLine() else { return nil }
        do {
            let (prefix, offset) = (idPrefix, line.offset)
            return .document(try decoder.decode(line: line.bytes) { Self.fallbackID(prefix: prefix, offset: offset) })
        } catch {
            return .problem(error, line: line.number ?? Self.lineNumber(path: path, offset: line.offset), bytes: line.bytes.count)
        }
    }

    /// The 1-based number of the line starting at byte `offset` of an uncompressed file (0 if unreadable).
    public static func lineNumber(path: String, offset: Int) -> Int {
        (try? countNewlines(path: path, upTo: offset)).map { $0 + 1 } ?? 0
    }

    static func countNewlines(path: String, upTo offset: Int) throws(CorpusError) -> Int {
        let file = try FileByteSource(path: path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var remaining = offset
        var count = 0
        while remaining > 0 {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, remaining)]))
            if n == 0 { break }
            var p = buffer.baseAddress!
            let end = p + n
            while p < end, let hit = memchr(p, 0x0A, p.distance(to: end)) {
                count += 1
                p = hit + 1
            }
            remaining -= n
        }
        return count
    }

    @inline(__always)
    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A) { return false }
        return true
    }
}
