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
    public var fileBytesConsumed: Int { source.fileBytesConsumed }
    private let source: any ByteSource

    /// - Parameter range: a byte range of an uncompressed file; the reader yields the lines starting in it.
    public init(path: String, range: Range<Int>? = nil, format: RecordFormat = RecordFormat(), source sourceName: String = "") throws(CorpusError) {
        self.path = path
        let start = range?.lowerBound ?? 0
        let openAt = max(0, start - 1)
        source = try Compression.openForReading(path, offset: openAt)
        lines = LineReader(source: source, limit: range.map { $0.upperBound - openAt }, skipFirstPartialLine: start > 0)
        decoder = DocumentDecoder(format: format, source: sourceName)
        baseOffset = openAt
        rangeStart = start
        idPrefix = String(path.split(separator: "/").last ?? Substring(path))
    }

    public func next() throws(CorpusError) -> Entry? {
        while let line = try lines.next() {
            if Self.isBlank(line.bytes) {
                blankLines += 1
                continue
            }
            let offset = baseOffset + line.offset
            do {
                let prefix = idPrefix
                return .document(try decoder.decode(line: line.bytes) { "\(prefix)@\(offset)" })
            } catch {
                return .problem(error, line: lineNumber(at: offset), bytes: line.bytes.count)
            }
        }
        return nil
    }

    /// The 1-based line number of the line at `offset`; for a range past the start, counted on demand.
    private func lineNumber(at offset: Int) -> Int {
        if rangeStart == 0 { return lines.linesRead }
        return (try? Self.countNewlines(path: path, upTo: offset)).map { $0 + 1 } ?? 0
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
