import Corpus
import Tokenization

/// `syllabus tokenize`: each input document's token ids as JSONL (`{"id":…,"ids":[…]}`), in input order,
/// so anyone can check Syllabus against another tokenizer. Documents are encoded in batches on all
/// workers; the output does not depend on the number of workers.
public struct TokenizeJob {
    public var tokenizer: BPETokenizer
    public var inputs: [String]
    public var output: String
    public var format = RecordFormat()
    public var allowSpecial = false
    public var workers: Int
    public var batchSize = 2048
    /// Long documents are encoded in parts of about this many bytes on all workers (tests make it small).
    var partBytes = BatchEncoder.defaultPartBytes

    public init(tokenizer: BPETokenizer, inputs: [String], output: String, workers: Int) {
        self.tokenizer = tokenizer
        self.inputs = inputs
        self.output = output
        self.workers = max(1, workers)
    }

    public struct Summary: Sendable, Codable {
        public var documents = 0
        public var tokens = 0
        public var textBytes = 0
    }

    public func run(progress: ProgressCounters? = nil) throws -> Summary {
        let staging = FileSystem.stagingPath(for: output)
        let sink = try ByteSinks.create(path: staging, compression: Compression(inferredFrom: output))
        var summary = Summary()
        let encoder = BatchEncoder(tokenizer: tokenizer, threads: workers, allowSpecial: allowSpecial, partBytes: partBytes)
        try encoder.encodeInOrder(inputs: inputs, format: format, batchSize: batchSize, progress: progress,
                                  transform: { document, ids in Self.line(id: document.id, ids: ids) }) { _, line, textBytes in
            try sink.write(line.bytes)
            summary.documents += 1
            summary.tokens += line.tokens
            summary.textBytes += textBytes
        }
        try sink.finish()
        try FileSystem.commit(staging, to: output)
        return summary
    }

    /// `{"id":…,"ids":[…]}` and a newline. Digits are written straight into the line's storage (the
    /// per-byte `append` was 10% of a `tokenize` run in `perf`).
    static func line(id: String, ids: [UInt32]) -> (bytes: [UInt8], tokens: Int) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(id.utf8.count + 16)
        bytes.append(contentsOf: #"{"id":"#.utf8)
        JSONEscaping.appendQuoted(id, to: &bytes)
        bytes.append(contentsOf: #","ids":["#.utf8)
        let head = bytes.count
        let body = [UInt8](unsafeUninitializedCapacity: head + ids.count * 11 + 3) { buffer, count in
            var p = buffer.baseAddress!
            let pairs = decimalPairs
            bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: head) }
            p += head
            for (i, id) in ids.enumerated() {
                if i > 0 {
                    p.pointee = 0x2C
                    p += 1
                }
                p = writeDecimal(id, at: p, pairs: pairs)
            }
            p[0] = 0x5D
            p[1] = 0x7D
            p[2] = 0x0A
            count = buffer.baseAddress!.distance(to: p) + 3
        }
        return (body, ids.count)
    }
}

/// "00", "01", … "99": two digits per step (`writeDecimal` was 4–6% of a `tokenize` run in `perf`).
nonisolated(unsafe) let decimalPairs: UnsafePointer<UInt8> = {
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
    for i in 0..<100 {
        table[2 * i] = 0x30 + UInt8(i / 10)
        table[2 * i + 1] = 0x30 + UInt8(i % 10)
    }
    return UnsafePointer(table)
}()

/// Writes `value` in decimal at `p`; returns the position after it. `pairs` is `decimalPairs` (read
/// once by the caller: a global's lazy-initialization check per number costs). Ids below 10^6 (every
/// real vocabulary) take two divisions and no loop.
@inline(__always)
func writeDecimal(_ value: UInt32, at p: UnsafeMutablePointer<UInt8>, pairs: UnsafePointer<UInt8> = decimalPairs) -> UnsafeMutablePointer<UInt8> {
    if value < 100 {
        if value < 10 {
            p[0] = 0x30 &+ UInt8(truncatingIfNeeded: value)
            return p + 1
        }
        let i = Int(value) &* 2
        p[0] = pairs[i]
        p[1] = pairs[i &+ 1]
        return p + 2
    }
    if value < 1_000_000 {
        // hi: the digits above the last four; lo: those four, two pairs.
        let hi = value / 10_000
        let lo = Int(value &- hi &* 10_000)
        let a = (lo / 100) &* 2, b = (lo % 100) &* 2
        var q = p
        if hi >= 10 {
            q[0] = pairs[Int(hi) &* 2]
            q[1] = pairs[Int(hi) &* 2 &+ 1]
            q += 2
        } else if hi > 0 {
            q[0] = 0x30 &+ UInt8(truncatingIfNeeded: hi)
            q += 1
        } else if a >= 20 {
            q[0] = pairs[a]
            q[1] = pairs[a &+ 1]
            q[2] = pairs[b]
            q[3] = pairs[b &+ 1]
            return q + 4
        } else {
            // 100–999: the four digits' first is a zero.
            q[0] = pairs[a &+ 1]
            q[1] = pairs[b]
            q[2] = pairs[b &+ 1]
            return q + 3
        }
        q[0] = pairs[a]
        q[1] = pairs[a &+ 1]
        q[2] = pairs[b]
        q[3] = pairs[b &+ 1]
        return q + 4
    }
    var digits = 7
    var limit: UInt32 = 10_000_000
    while digits < 10, value >= limit {
        digits += 1
        limit = limit &* 10
    }
    var v = value
    var i = digits
    while i >= 2 {
        let pair = Int(v % 100)
        v /= 100
        i -= 2
        p[i] = pairs[2 * pair]
        p[i + 1] = pairs[2 * pair + 1]
    }
    if i == 1 { p[0] = 0x30 &+ UInt8(truncatingIfNeeded: v) }
    return p + digits
}
