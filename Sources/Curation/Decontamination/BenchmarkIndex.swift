import Corpus

/// Benchmark items as n-grams of `ContaminationTokens`, ready to be looked up while scanning documents.
///
/// - An item of at least `n` tokens is indexed by each of its n-grams.
/// - An item of `minN..<n` tokens (NeMo Curator's rule for short task texts) is indexed whole: its last
///   `minN` tokens find it, and the whole token sequence confirms it.
/// - An item of fewer than `minN` tokens cannot be told from ordinary text and is not indexed (counted).
/// - An n-gram shared by more than `maxItemsPerNgram` items is template text of the benchmark (MMLU's
///   "Does the main character … do something clearly morally wrong …" opens 895 items), which would make
///   every document quoting the template "contain" all of them: it is left out (counted).
///
/// Lookups go through a bit filter (about 16 bits per n-gram, so a few MB stay in cache) before the hash
/// table, which most document n-grams never reach.
public final class BenchmarkIndex: Sendable {
    public struct Benchmark: Sendable, Codable, Equatable {
        public var name: String
        public var path: String
        public var items = 0
        /// Items indexed by n-grams, and whole (shorter than n tokens).
        public var indexed = 0
        public var indexedWhole = 0
        /// Items too short to index, and records without text in any of the fields.
        public var tooShort = 0
        public var empty = 0
    }

    /// One benchmark file and how to read its items.
    public struct Source: Sendable {
        public var name: String
        public var path: String
        /// Fields whose values (strings, numbers, lists of them) are joined to make an item's text;
        /// dotted paths walk objects.
        public var fields: [String]
        public var idField: String

        public init(name: String, path: String, fields: [String] = ["text"], idField: String = "id") {
            self.name = name
            self.path = path
            self.fields = fields
            self.idField = idField
        }
    }

    public let n: Int
    public let minN: Int
    public let maxItemsPerNgram: Int
    public let benchmarks: [Benchmark]
    /// Per item: its benchmark and id.
    let itemBenchmark: [UInt16]
    public let itemIDs: [String]
    /// Entries are n-grams (and whole short items); each names one or more items (CSR layout).
    let entryItemStart: [UInt32]
    let entryItems: [UInt32]
    /// For whole-item entries (the last `wholeEntryCount` entries): their length in tokens and full key.
    let wholeLength: [UInt8]
    let wholeKey: [UInt64]
    let ngramTable: KeyTable
    /// With sampling: unsampled n-grams indexed where an item's sampled ones are too far apart or too few
    /// (entries after those of `ngramTable`). Small, so its filter stays in cache: it is looked up at every
    /// position.
    let gapTable: KeyTable
    /// One n-gram in `sampling` (those whose key is 0 modulo it) is indexed and looked up; 1: all.
    /// The gap table adds n-grams where sampling would leave more than `maxGap` windows without a lookup.
    public let sampling: Int
    var sampleMask: UInt64 { UInt64(sampling - 1) }
    static let maxGap = 24
    /// With sampling, an item of at least this many n-grams has at least this many indexed.
    static let minIndexed = 4
    /// The first whole-item entry.
    var wholeBase: Int { ngramTable.count + gapTable.count }
    /// Keyed by the last `minN` tokens of short items; values index `suffixEntries` (CSR).
    let suffixTable: KeyTable
    let suffixEntryStart: [UInt32]
    let suffixEntries: [UInt32]
    /// Per item: how many entries name it (its n-grams left after template removal; 1 for a whole item).
    let itemEntryCount: [UInt32]
    /// With sampling: every n-gram of each item as 32 bits of its key (template n-grams left out; sorted,
    /// CSR layout), so a document that hit one of an item's indexed n-grams is checked against all of them:
    /// a held item is judged on its exact coverage, as with `sampling: 1`.
    let itemFingerprintStart: [UInt32]
    let itemFingerprints: [UInt32]
    /// N-grams left out as template text.
    public let templateNgrams: Int
    public var ngramCount: Int { ngramTable.count + gapTable.count }

    public init(sources: [Source], n: Int = 13, minN: Int = 8, maxItemsPerNgram: Int = 10, sampling: Int = 1) throws(BenchmarkIndexError) {
        precondition(n >= 1 && n <= 64 && minN >= 1 && minN <= n && sampling >= 1 && sampling & (sampling - 1) == 0)
        self.sampling = sampling
        let sampleMask = UInt64(sampling - 1)
        var gapKeys: [UInt64] = []
        var gapItems: [UInt32] = []
        /// With sampling: every n-gram of every item, as its fingerprint (the key's top half) << 32 | item.
        var allPairs: [UInt64] = []
        var chosen: [Bool] = []
        self.n = n
        self.minN = minN
        self.maxItemsPerNgram = maxItemsPerNgram
        var benchmarks: [Benchmark] = []
        var itemBenchmark: [UInt16] = []
        var itemIDs: [String] = []
        var gramKeys: [UInt64] = []
        var gramItems: [UInt32] = []
        var wholes: [(suffix: UInt64, key: UInt64, length: UInt8, item: UInt32)] = []
        var tokens: [UInt64] = []
        for (number, source) in sources.enumerated() {
            var benchmark = Benchmark(name: source.name, path: source.path)
            try BenchmarkReader.read(source) { id, text in
                var text = text
                benchmark.items += 1
                tokens.removeAll(keepingCapacity: true)
                text.withUTF8 { ContaminationTokens.scan($0) { hash, _, _ in tokens.append(hash) } }
                if tokens.isEmpty {
                    benchmark.empty += 1
                    return
                }
                guard tokens.count >= minN else {
                    benchmark.tooShort += 1
                    return
                }
                let item = UInt32(itemIDs.count)
                itemIDs.append(id)
                itemBenchmark.append(UInt16(number))
                if tokens.count >= n {
                    benchmark.indexed += 1
                    let first = gramKeys.count, windows = tokens.count - n + 1
                    gramKeys.append(contentsOf: repeatElement(0, count: windows))
                    gramItems.append(contentsOf: repeatElement(item, count: windows))
                    tokens.withUnsafeBufferPointer { hashes in
                        gramKeys.withUnsafeMutableBufferPointer { keys in
                            RollingHash.windowKeys(hashes.baseAddress!, count: hashes.count, width: n, into: keys.baseAddress! + first)
                        }
                    }
                    guard sampleMask != 0 else { return }
                    // The sampled n-grams stay. The gap table gets the fewest others that leave no run of more
                    // than `maxGap` windows unindexed (at the item's ends too), so any run of n + maxGap
                    // tokens copied from an item holds an n-gram that is looked up; then evenly spread ones
                    // up to `minIndexed`, so one n-gram is not the whole of an item's coverage.
                    for key in gramKeys[first...] { allPairs.append(key & 0xFFFF_FFFF_0000_0000 | UInt64(item)) }
                    chosen.removeAll(keepingCapacity: true)
                    for key in gramKeys[first...] { chosen.append(key & sampleMask == 0) }
                    var last = -1
                    var indexed = 0
                    for i in 0..<windows {
                        if !chosen[i] && i - last > Self.maxGap {
                            chosen[i] = true
                            gapKeys.append(gramKeys[first + i])
                            gapItems.append(item)
                        }
                        if chosen[i] {
                            last = i
                            indexed += 1
                        }
                    }
                    let wanted = min(Self.minIndexed, windows)
                    var k = 0
                    while indexed < wanted && k < wanted + windows {
                        // Spread positions first (0, windows/wanted, …), then any left.
                        let i = k < wanted ? k * windows / wanted : k - wanted
                        k += 1
                        guard !chosen[i] else { continue }
                        chosen[i] = true
                        gapKeys.append(gramKeys[first + i])
                        gapItems.append(item)
                        indexed += 1
                    }
                    var kept = first
                    for i in first..<gramKeys.count where gramKeys[i] & sampleMask == 0 {
                        gramKeys[kept] = gramKeys[i]
                        kept += 1
                    }
                    gramKeys.removeSubrange(kept...)
                    gramItems.removeSubrange(kept...)
                } else {
                    benchmark.indexedWhole += 1
                    let suffix = RollingHash.key(of: tokens[(tokens.count - minN)...])
                    wholes.append((suffix, RollingHash.key(of: tokens[...]), UInt8(tokens.count), item))
                }
            }
            benchmarks.append(benchmark)
        }
        self.benchmarks = benchmarks
        self.itemBenchmark = itemBenchmark
        self.itemIDs = itemIDs

        // Entries: the n-grams of at most `maxItemsPerNgram` items, sampled ones first, then the gap table's.
        var entryItemStart: [UInt32] = [0]
        var entryItems: [UInt32] = []
        var template = 0
        /// Groups pairs by key (a stable sort keeps an item's repeats of a key together); returns the keys.
        func group(_ keys: inout [UInt64], _ items: inout [UInt32]) -> [UInt64] {
            RadixSort.sort(keys: &keys, values: &items)
            var kept: [UInt64] = []
            var run: [UInt32] = []
            var i = 0
            while i < keys.count {
                let key = keys[i]
                run.removeAll(keepingCapacity: true)
                while i < keys.count, keys[i] == key {
                    if run.last != items[i] { run.append(items[i]) }
                    i += 1
                }
                if run.count > maxItemsPerNgram {
                    template += 1
                    continue
                }
                kept.append(key)
                entryItems.append(contentsOf: run)
                entryItemStart.append(UInt32(entryItems.count))
            }
            keys = []
            items = []
            return kept
        }
        let sparse = group(&gramKeys, &gramItems)
        ngramTable = KeyTable(keys: sparse, values: (0..<UInt32(sparse.count)).map { $0 })
        let gaps = group(&gapKeys, &gapItems)
        gapTable = KeyTable(keys: gaps, values: (0..<UInt32(gaps.count)).map { UInt32(sparse.count) + $0 })
        templateNgrams = template
        (itemFingerprintStart, itemFingerprints) = Self.fingerprints(pairs: &allPairs, itemCount: itemIDs.count,
                                                                     maxItemsPerNgram: maxItemsPerNgram)

        // Whole short items: entries after the n-grams, found by their suffix.
        wholes.sort { ($0.suffix, $0.item) < ($1.suffix, $1.item) }
        var wholeLength: [UInt8] = []
        var wholeKey: [UInt64] = []
        var suffixKeys: [UInt64] = []
        var suffixEntryStart: [UInt32] = [0]
        var suffixEntries: [UInt32] = []
        for (index, whole) in wholes.enumerated() {
            let entry = UInt32(entryItemStart.count - 1)
            entryItems.append(whole.item)
            entryItemStart.append(UInt32(entryItems.count))
            wholeLength.append(whole.length)
            wholeKey.append(whole.key)
            if index == 0 || wholes[index - 1].suffix != whole.suffix {
                if index > 0 { suffixEntryStart.append(UInt32(suffixEntries.count)) }
                suffixKeys.append(whole.suffix)
            }
            suffixEntries.append(entry)
        }
        if !wholes.isEmpty { suffixEntryStart.append(UInt32(suffixEntries.count)) }
        self.entryItemStart = entryItemStart
        self.entryItems = entryItems
        var itemEntryCount = [UInt32](repeating: 0, count: itemIDs.count)
        for item in entryItems { itemEntryCount[Int(item)] += 1 }
        self.itemEntryCount = itemEntryCount
        self.wholeLength = wholeLength
        self.wholeKey = wholeKey
        suffixTable = KeyTable(keys: suffixKeys, values: (0..<UInt32(suffixKeys.count)).map { $0 })
        self.suffixEntryStart = suffixEntryStart
        self.suffixEntries = suffixEntries
    }

    /// Per item, the top 32 bits of its distinct n-gram keys, sorted; keys of more than `maxItemsPerNgram`
    /// items (templates) left out.
    private static func fingerprints(pairs: inout [UInt64], itemCount: Int, maxItemsPerNgram: Int) -> (start: [UInt32], fingerprints: [UInt32]) {
        guard !pairs.isEmpty else { return ([UInt32](repeating: 0, count: itemCount + 1), []) }
        // Grouped by fingerprint (the top half), items ascending within a group (they were added in item
        // order and the sort is stable).
        RadixSort.sort(&pairs, lowestBit: 32)
        // Keep one pair per item of each fingerprint not shared by more than `maxItemsPerNgram` items (the
        // template rule of the tables, on fingerprints), counted per item.
        var counts = [UInt32](repeating: 0, count: itemCount + 1)
        var kept = 0
        var i = 0
        while i < pairs.count {
            let fingerprint = pairs[i] >> 32
            var end = i + 1
            while end < pairs.count, pairs[end] >> 32 == fingerprint { end += 1 }
            var distinct = 0, previous = UInt64.max
            for j in i..<end where pairs[j] != previous {
                distinct += 1
                previous = pairs[j]
            }
            if distinct <= maxItemsPerNgram {
                previous = UInt64.max
                for j in i..<end where pairs[j] != previous {
                    previous = pairs[j]
                    pairs[kept] = previous
                    kept += 1
                    counts[Int(UInt32(truncatingIfNeeded: previous)) + 1] += 1
                }
            }
            i = end
        }
        for item in 0..<itemCount { counts[item + 1] += counts[item] }
        // Distributed in fingerprint order, so each item's come out sorted.
        var fingerprints = [UInt32](repeating: 0, count: kept)
        var next = counts
        for j in 0..<kept {
            let item = Int(UInt32(truncatingIfNeeded: pairs[j]))
            fingerprints[Int(next[item])] = UInt32(truncatingIfNeeded: pairs[j] >> 32)
            next[item] += 1
        }
        pairs = []
        return (counts, fingerprints)
    }

    /// The sorted fingerprints of an item's n-grams (empty without sampling, and for whole items).
    func fingerprints(ofItem item: UInt32) -> ArraySlice<UInt32> {
        guard !itemFingerprints.isEmpty else { return [] }
        return itemFingerprints[Int(itemFingerprintStart[Int(item)])..<Int(itemFingerprintStart[Int(item) + 1])]
    }

    /// The items an entry names.
    public func items(ofEntry entry: UInt32) -> ArraySlice<UInt32> {
        entryItems[Int(entryItemStart[Int(entry)])..<Int(entryItemStart[Int(entry) + 1])]
    }

    public func benchmark(ofItem item: UInt32) -> Int { Int(itemBenchmark[Int(item)]) }

    /// Whether a document holding `count` distinct entries of `item` holds the item: at least `minNgrams`
    /// of them, and at least `minCoverage` of all the item's entries.
    /// For an item checked exactly, `count` and the total are of its fingerprints.
    func holds(item: UInt32, count: Int, minNgrams: Int, minCoverage: Double) -> Bool {
        let total = checksExactly(item: item) ? fingerprints(ofItem: item).count : Int(itemEntryCount[Int(item)])
        return count >= minNgrams && Double(count) >= minCoverage * Double(total)
    }

    /// With sampling, whether an item is checked on all its n-grams (it has fingerprints; whole short items
    /// are exact already).
    func checksExactly(item: UInt32) -> Bool {
        !itemFingerprints.isEmpty && itemFingerprintStart[Int(item)] < itemFingerprintStart[Int(item) + 1]
    }

}

public struct BenchmarkIndexError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let message: String

    public var description: String {
        (line.map { "\(path):\($0): " } ?? "\(path): ") + message
    }
}

