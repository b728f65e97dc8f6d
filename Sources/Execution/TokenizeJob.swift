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
        // 11 bytes per id: 10 digits and a comma at most; `writeDecimalList` stores 8 bytes at a time past
        // its position, which the 3 bytes of `]}\n` and the 11th cover.
        let body = [UInt8](unsafeUninitializedCapacity: head + ids.count * 11 + 8) { buffer, count in
            var p = buffer.baseAddress!
            bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: head) }
            p += head
            p = ids.withUnsafeBufferPointer { writeDecimalList($0, at: p) }
            p[0] = 0x5D
            p[1] = 0x7D
            p[2] = 0x0A
            count = buffer.baseAddress!.distance(to: p) + 3
        }
        return (body, ids.count)
    }
}

/// Writes `ids` in decimal, separated by commas (none after the last); returns the position after them.
///
/// An id below 10^6 (every real vocabulary's) is two three-digit groups from `decimalTriples`, put
/// together in one 64-bit word, its leading zeros shifted out and a comma put after: no branch on its
/// length, which real ids vary in from one to the next (`writeDecimal`'s branches on it, and the compiler's
/// for comparisons summed up, cost 9% of a one-worker `tokenize` on Chinese with SmolLM2, whose ids are
/// 58 MB of JSON for 20 MB of text; this is 5.7%, and the whole command's CPU time 0.93–0.94×).
/// Stores 8 bytes at each id's position, so the buffer holds 8 bytes past the last one's.
@inline(__always)
func writeDecimalList(_ ids: UnsafeBufferPointer<UInt32>, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    guard !ids.isEmpty else { return start }
    let triples = decimalTriples, pairs = decimalPairs, counts = decimalDigitCounts
    var p = start
    for id in ids {
        if id < 1_000_000 {
            let high = id / 1000
            let low = id &- high &* 1000
            var word = UInt64(triples[Int(high)]) | UInt64(triples[Int(low)]) &<< 24
            // The digits without leading zeros, by one addition (written as comparisons, the compiler made
            // a tree of branches of them).
            let digits = (UInt64(id) &+ counts[31 &- (id | 1).leadingZeroBitCount]) &>> 32
            word &>>= (6 &- digits) &* 8
            word |= 0x2C &<< (digits &* 8)
            UnsafeMutableRawPointer(p).storeBytes(of: word.littleEndian, as: UInt64.self)
            p += Int(digits) &+ 1
        } else {
            p = writeDecimal(id, at: p, pairs: pairs)
            p.pointee = 0x2C
            p += 1
        }
    }
    return p - 1
}

/// The decimal length of x is `(x + decimalDigitCounts[31 - lzcnt(x | 1)]) >> 32`: entry i is the length d of
/// 2^i shifted up 32 bits, plus 2^32 - 10^d when 10^d also has i + 1 bits (x ≥ 10^d then carries into d + 1).
nonisolated(unsafe) let decimalDigitCounts: UnsafePointer<UInt64> = {
    let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 32)
    for i in 0..<32 {
        let low = UInt64(1) << i, high = UInt64(1) << (i + 1)
        let digits = UInt64(String(low).count)
        var power: UInt64 = 1
        for _ in 0..<digits { power *= 10 }
        table[i] = digits << 32 + (power < high ? (UInt64(1) << 32) - power : 0)
    }
    return UnsafePointer(table)
}()

/// "000", "001", … "999", each in the low three bytes of a word (first digit lowest), for `writeDecimalList`.
nonisolated(unsafe) let decimalTriples: UnsafePointer<UInt32> = {
    let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1000)
    for i in 0..<1000 {
        table[i] = UInt32(0x30 + i / 100) | UInt32(0x30 + i / 10 % 10) << 8 | UInt32(0x30 + i % 10) << 16
    }
    return UnsafePointer(table)
}()

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
