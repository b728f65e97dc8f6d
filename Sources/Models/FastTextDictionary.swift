import CSystem

/// A fastText dictionary: words and labels with counts, the word lookup, the pruned-bucket map, and the
/// input-row ids of a token (the word's row, its character n-grams, word n-grams) as `predict` uses them.
struct FastTextDictionary: Sendable {
    struct Entry: Sendable {
        var start: Int
        var end: Int
        var count: Int64
        var isLabel: Bool
    }

    let entries: [Entry]
    let bytes: [UInt8]
    let wordCount: Int
    let labelCount: Int
    /// Tokens in the training data (`ntokens`), stored in the file and not used by prediction.
    let tokenCount: Int64
    /// -1: not pruned; 0: no n-gram rows at all; > 0: only the buckets in `prunedRows` have rows.
    let pruneIndexSize: Int64
    /// Bucket → row offset after the words, when pruned: an open-addressing table of (bucket, row) pairs
    /// small enough to stay in cache (lid.176 keeps 42,765 of 2M buckets: 512 KiB instead of an 8 MiB
    /// direct table, whose misses were a third of prediction time).
    let prunedRows: [Int64]
    let prunedMask: Int
    /// Buckets kept by pruning.
    let prunedCount: Int
    /// A filter of the buckets pruning kept (a blocked Bloom filter: three bits in one 64-bit word per
    /// bucket, 12 bits per kept bucket, no false negatives): most n-grams of a text were pruned away, and
    /// this answers them without touching the table. lid.176's is 64 KiB and stays in L2; the one bit per
    /// bucket it replaced took 256 KiB, and `perf` showed its misses taking 7% of the curation chain.
    let keptFilter: [UInt64]
    let keptFilterShift: UInt64
    /// Lemire's fast-modulo constant for `bucket`: `h % bucket` without a division per n-gram.
    let bucketModulus: UInt64
    /// Open-addressing table by fastText hash: per slot the hash << 32 | entry index + 1 (0: empty), so a
    /// probe that is not the word is told apart without loading its entry (most words a prediction looks up
    /// are not in the dictionary).
    private let table: [UInt64]
    /// Per word entry: its input rows (itself and its character n-grams), precomputed as fastText does;
    /// empty for a model read from a file until `precomputeSubwords`.
    private(set) var subwords: [[Int32]] = []
    let minn: Int
    let maxn: Int
    let bucket: Int
    let wordNgrams: Int

    static let endOfSentence = Array("</s>".utf8)
    static let labelPrefix = Array("__label__".utf8)

    init(reader: inout BinaryReader, minn: Int, maxn: Int, bucket: Int, wordNgrams: Int) throws(ModelFileError) {
        let size = Int(try reader.read(Int32.self, "the dictionary's size"))
        wordCount = Int(try reader.read(Int32.self, "the dictionary's word count"))
        labelCount = Int(try reader.read(Int32.self, "the dictionary's label count"))
        tokenCount = try reader.read(Int64.self, "the dictionary's token count")
        pruneIndexSize = try reader.read(Int64.self, "the dictionary's prune index size")
        guard size >= 0, wordCount >= 0, labelCount >= 0, size == wordCount + labelCount, pruneIndexSize >= -1 else {
            throw ModelFileError(path: reader.path, "the dictionary header is inconsistent (size \(size), \(wordCount) words, \(labelCount) labels)",
                                 hint: "the file is corrupt")
        }
        var arena: [UInt8] = []
        var entries: [Entry] = []
        entries.reserveCapacity(size)
        for index in 0..<size {
            let word = try reader.cString("dictionary entry \(index)")
            let count = try reader.read(Int64.self, "dictionary entry \(index)'s count")
            let type = try reader.read(Int8.self, "dictionary entry \(index)'s type")
            guard type == 0 || type == 1 else {
                throw ModelFileError(path: reader.path, "dictionary entry \(index) has type \(type) (0 word, 1 label)", hint: "the file is corrupt")
            }
            entries.append(Entry(start: arena.count, end: arena.count + word.count, count: count, isLabel: type == 1))
            arena += reader.bytes[word]
        }
        self.entries = entries
        self.bytes = arena
        self.minn = minn
        self.maxn = maxn
        self.bucket = bucket
        self.wordNgrams = wordNgrams

        var pruned: [Int64] = [-1]
        var mask = 0
        var keptCount = 0
        if pruneIndexSize > 0 {
            guard pruneIndexSize <= Int64(reader.remaining / 8) else { throw reader.truncated("the prune index") }
            var capacity = 16
            while capacity < Int(pruneIndexSize) * 3 / 2 + 1 { capacity <<= 1 }
            mask = capacity - 1
            pruned = [Int64](repeating: -1, count: capacity)
            for _ in 0..<pruneIndexSize {
                let from = try reader.read(Int32.self, "the prune index")
                let to = try reader.read(Int32.self, "the prune index")
                guard from >= 0, Int(from) < bucket, to >= 0 else {
                    throw ModelFileError(path: reader.path, "the prune index maps bucket \(from) to \(to)", hint: "the file is corrupt")
                }
                var slot = Self.slot(Int(from), mask)
                while pruned[slot] >= 0 && Int32(truncatingIfNeeded: pruned[slot] >> 32) != from { slot = (slot + 1) & mask }
                if pruned[slot] < 0 { keptCount += 1 }
                pruned[slot] = Int64(from) << 32 | Int64(to)
            }
        }
        prunedRows = pruned
        prunedMask = mask
        var filterWords = 1
        while filterWords * 64 < Int(max(0, pruneIndexSize)) * 12 { filterWords <<= 1 }
        keptFilterShift = UInt64(64 - filterWords.trailingZeroBitCount)
        var kept = [UInt64](repeating: 0, count: pruneIndexSize > 0 ? filterWords : 0)
        for entry in pruned where entry >= 0 {
            let (word, bits) = Self.filterPosition(Int(entry >> 32), shift: keptFilterShift)
            kept[word] |= bits
        }
        keptFilter = kept
        bucketModulus = bucket > 0 ? UInt64.max / UInt64(bucket) + 1 : 0
        prunedCount = keptCount

        table = Self.lookupTable(entries: entries, arena: arena)
    }

    /// Lists each word's input rows once (`subwords`), for encoders that look them up per token; without
    /// it they are worked out per token.
    mutating func precomputeSubwords() {
        subwords = computeSubwords()
    }

    /// An unpruned dictionary from its words then labels (ids in this order), as training builds it.
    init(words: [(word: [UInt8], count: Int64)], labels: [(label: [UInt8], count: Int64)], tokenCount: Int64,
         minn: Int, maxn: Int, bucket: Int, wordNgrams: Int) {
        var arena: [UInt8] = []
        var entries: [Entry] = []
        for (word, count) in words {
            entries.append(Entry(start: arena.count, end: arena.count + word.count, count: count, isLabel: false))
            arena += word
        }
        for (label, count) in labels {
            entries.append(Entry(start: arena.count, end: arena.count + label.count, count: count, isLabel: true))
            arena += label
        }
        self.entries = entries
        self.bytes = arena
        wordCount = words.count
        labelCount = labels.count
        self.tokenCount = tokenCount
        pruneIndexSize = -1
        prunedRows = [-1]
        prunedMask = 0
        prunedCount = 0
        keptFilter = []
        keptFilterShift = 63
        bucketModulus = bucket > 0 ? UInt64.max / UInt64(bucket) + 1 : 0
        self.minn = minn
        self.maxn = maxn
        self.bucket = bucket
        self.wordNgrams = wordNgrams
        table = Self.lookupTable(entries: entries, arena: arena)
        subwords = computeSubwords()
    }

    private static func lookupTable(entries: [Entry], arena: [UInt8]) -> [UInt64] {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        var table = [UInt64](repeating: 0, count: capacity)
        arena.withUnsafeBufferPointer { arenaBytes in
            for (index, entry) in entries.enumerated() {
                let h = Self.hash(UnsafeBufferPointer(rebasing: arenaBytes[entry.start..<entry.end]))
                var slot = Int(h) & (capacity - 1)
                while table[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
                table[slot] = UInt64(h) << 32 | UInt64(index + 1)
            }
        }
        return table
    }

    /// Per word: its own row, then its character n-grams' rows (none for `</s>`), as fastText's `initNgrams`.
    private func computeSubwords() -> [[Int32]] {
        entries.indices.map { index -> [Int32] in
            guard index < wordCount else { return [] }
            var ids: [Int32] = [Int32(index)]
            let entry = entries[index]
            let word = Array(bytes[entry.start..<entry.end])
            if maxn > 0, word != Self.endOfSentence {
                characterNgrams(of: word, into: &ids)
            }
            return ids
        }
    }

    func word(_ index: Int) -> [UInt8] {
        let entry = entries[index]
        return Array(bytes[entry.start..<entry.end])
    }

    /// fastText's hash: FNV-1a over the bytes taken as signed chars (bytes ≥ 0x80 XOR as 0xFFFFFFxx).
    @inline(__always)
    static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in word {
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
            h = h &* 16_777_619
        }
        return h
    }

    /// The entry index of `word` (whose hash is `h`), or −1.
    @inline(__always)
    func find(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt32) -> Int {
        let mask = table.count - 1
        var slot = Int(h) & mask
        return table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { arena in
                while true {
                    let found = table[slot]
                    if found == 0 { return -1 }
                    let index = Int(truncatingIfNeeded: found & 0xFFFF_FFFF) - 1
                    if UInt32(truncatingIfNeeded: found >> 32) == h, case let entry = entries[index],
                       entry.end - entry.start == word.count,
                       word.count == 0 || ShortBytes.equal(arena.baseAddress! + entry.start, word.baseAddress!, word.count) {
                        return index
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    /// Starts loading the lookup slot of a word of hash `h` (prediction asks ahead for words whose sums it
    /// may not have: a missed word's lookup was half of its fixed cost, a cache miss in this table).
    @inline(__always)
    func prefetchSlot(hash h: UInt32) {
        table.withUnsafeBufferPointer { syllabus_prefetch($0.baseAddress! + (Int(h) & ($0.count - 1))) }
    }

    /// Bucket `id`'s word in `keptFilter` (the hash's top bits) and its three bits there.
    @inline(__always)
    static func filterPosition(_ id: Int, shift: UInt64) -> (word: Int, bits: UInt64) {
        let h = UInt64(truncatingIfNeeded: id) &* 0x9E37_79B9_7F4A_7C15
        let bits = (1 as UInt64) << (h & 63) | (1 as UInt64) << (h >> 6 & 63) | (1 as UInt64) << (h >> 12 & 63)
        return (Int(truncatingIfNeeded: h >> shift), bits)
    }

    @inline(__always)
    static func slot(_ bucket: Int, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bucket) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Whether pruning may have kept bucket `id` (false: it surely dropped it). Only for pruned dictionaries.
    @inline(__always)
    func mayKeep(_ id: Int) -> Bool {
        let (word, bits) = Self.filterPosition(id, shift: keptFilterShift)
        return keptFilter.withUnsafeBufferPointer { $0[word] & bits == bits }
    }

    /// Calls `body` with each bucket pruning kept and its row (after the words).
    func forEachKeptBucket(_ body: (_ bucket: Int, _ row: Int) -> Void) {
        for entry in prunedRows where entry >= 0 { body(Int(entry >> 32), wordCount + Int(Int32(truncatingIfNeeded: entry))) }
    }

    /// The row of n-gram bucket `id` after the words, or nil when pruning dropped it (`pushHash`).
    @inline(__always)
    func bucketRow(_ id: Int) -> Int32? {
        if pruneIndexSize == 0 || id < 0 { return nil }
        if pruneIndexSize > 0 {
            guard mayKeep(id) else { return nil }
            return prunedRows.withUnsafeBufferPointer { table in
                var slot = Self.slot(id, prunedMask)
                while true {
                    let entry = table[slot]
                    if entry < 0 { return nil }
                    if Int(entry >> 32) == id { return Int32(wordCount) + Int32(truncatingIfNeeded: entry) }
                    slot = (slot + 1) & prunedMask
                }
            }
        }
        return Int32(wordCount + id)
    }

    /// `h % bucket` by multiplication (exact for 32-bit `h`; Lemire, Kaser & Kurz 2019).
    @inline(__always)
    func bucketOf(_ h: UInt32) -> Int {
        let low = bucketModulus &* UInt64(h)
        return Int(low.multipliedFullWidth(by: UInt64(bucket)).high)
    }

    /// Appends the rows of the character n-grams of "<" + word + ">" (fastText's `computeSubwords`):
    /// n = minn…maxn UTF-8 characters, no 1-character n-gram at the edges.
    func characterNgrams(of word: [UInt8], into ids: inout [Int32]) {
        var wrapped: [UInt8] = [UInt8(ascii: "<")]
        wrapped += word
        wrapped.append(UInt8(ascii: ">"))
        wrapped.withUnsafeBufferPointer { characterNgrams(ofWrapped: $0, into: &ids) }
    }

    func characterNgrams(ofWrapped word: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        forEachCharacterNgramBucket(ofWrapped: word) { bucket in
            if let row = bucketRow(bucket) { ids.append(row) }
        }
    }

    /// Calls `body` with the bucket of each character n-gram of "<" + word + ">", in fastText's order.
    @inline(__always)
    func forEachCharacterNgramBucket(ofWrapped word: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        let count = word.count
        var i = 0
        while i < count {
            if word[i] & 0xC0 == 0x80 { i += 1; continue }
            var h: UInt32 = 2_166_136_261
            var j = i
            var n = 1
            while j < count && n <= maxn {
                h ^= UInt32(bitPattern: Int32(Int8(bitPattern: word[j])))
                h = h &* 16_777_619
                j += 1
                while j < count && word[j] & 0xC0 == 0x80 {
                    h ^= UInt32(bitPattern: Int32(Int8(bitPattern: word[j])))
                    h = h &* 16_777_619
                    j += 1
                }
                if n >= minn && !(n == 1 && (i == 0 || j == count)) { body(bucketOf(h)) }
                n += 1
            }
            i += 1
        }
    }

    func label(_ index: Int) -> String {
        let entry = entries[wordCount + index]
        return String(decoding: bytes[entry.start..<entry.end], as: UTF8.self)
    }

    var labelCounts: [Int64] { entries[wordCount...].map(\.count) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
