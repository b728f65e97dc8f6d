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
    /// With sampling: the n-grams of items whose sampled ones are too few or too far apart, all of them (entries
    /// after those of `ngramTable`). Small: it is looked up at every position.
    let denseTable: KeyTable
    /// One n-gram in `sampling` (those whose key is 0 modulo it) is indexed and looked up; 1: all.
    /// Items are indexed densely where sampling would leave more than `maxGap` windows without a lookup.
    public let sampling: Int
    var sampleMask: UInt64 { UInt64(sampling - 1) }
    static let maxGap = 24
    /// The first whole-item entry.
    var wholeBase: Int { ngramTable.count + denseTable.count }
    /// Keyed by the last `minN` tokens of short items; values index `suffixEntries` (CSR).
    let suffixTable: KeyTable
    let suffixEntryStart: [UInt32]
    let suffixEntries: [UInt32]
    /// Per item: how many entries name it (its n-grams left after template removal; 1 for a whole item).
    let itemEntryCount: [UInt32]
    /// N-grams left out as template text.
    public let templateNgrams: Int
    public var ngramCount: Int { ngramTable.count + denseTable.count }

    public init(sources: [Source], n: Int = 13, minN: Int = 8, maxItemsPerNgram: Int = 10, sampling: Int = 1) throws(BenchmarkIndexError) {
        precondition(n >= 1 && n <= 64 && minN >= 1 && minN <= n && sampling >= 1 && sampling & (sampling - 1) == 0)
        self.sampling = sampling
        let sampleMask = UInt64(sampling - 1)
        var denseKeys: [UInt64] = []
        var denseItems: [UInt32] = []
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
                    // Keep the sampled n-grams. An item whose sampled n-grams are fewer than four, or leave a
                    // gap of more than `maxGap` windows (at its ends too), goes to the dense table whole: so any
                    // run of n + maxGap tokens copied from an item holds an n-gram that is looked up.
                    var sampled = 0, last = first - 1, widest = 0
                    for i in first..<gramKeys.count where gramKeys[i] & sampleMask == 0 {
                        widest = max(widest, i - last - 1)
                        last = i
                        sampled += 1
                    }
                    widest = max(widest, gramKeys.count - 1 - last)
                    var kept = first
                    if sampled < 4 || widest > Self.maxGap {
                        denseKeys.append(contentsOf: gramKeys[first...])
                        denseItems.append(contentsOf: repeatElement(item, count: windows))
                    } else {
                        for i in first..<gramKeys.count where gramKeys[i] & sampleMask == 0 {
                            gramKeys[kept] = gramKeys[i]
                            kept += 1
                        }
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

        // Entries: the n-grams of at most `maxItemsPerNgram` items, sampled ones first, then dense ones.
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
        let dense = group(&denseKeys, &denseItems)
        denseTable = KeyTable(keys: dense, values: (0..<UInt32(dense.count)).map { UInt32(sparse.count) + $0 })
        templateNgrams = template

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

    /// The items an entry names.
    public func items(ofEntry entry: UInt32) -> ArraySlice<UInt32> {
        entryItems[Int(entryItemStart[Int(entry)])..<Int(entryItemStart[Int(entry) + 1])]
    }

    public func benchmark(ofItem item: UInt32) -> Int { Int(itemBenchmark[Int(item)]) }

    /// Whether a document holding `count` distinct entries of `item` holds the item: at least `minNgrams`
    /// of them, and at least `minCoverage` of all the item's entries.
    func holds(item: UInt32, count: Int, minNgrams: Int, minCoverage: Double) -> Bool {
        count >= minNgrams && Double(count) >= minCoverage * Double(itemEntryCount[Int(item)])
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

