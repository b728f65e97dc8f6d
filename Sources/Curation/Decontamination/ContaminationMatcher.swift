/// Finds benchmark n-grams in a document. It works in batches, because the index's filter is larger than
/// the CPU's L2 cache and a lookup per token as it is read would wait on memory each time:
/// 1. the text is tokenized into token hashes and byte ranges;
/// 2. the keys of all windows of `n` tokens (and of `minN`, for the ends of short items) are computed;
/// 3. all keys go through the filter in one tight loop (many loads in flight at once);
/// 4. the few that pass are looked up in the table.
/// One matcher per thread; its buffers are reused from document to document.
final class ContaminationMatcher {
    let index: BenchmarkIndex
    /// Token hashes and byte ranges of the current document; room for `capacity` tokens.
    private var hashes: UnsafeMutablePointer<UInt64>
    private var starts: UnsafeMutablePointer<Int32>
    private var ends: UnsafeMutablePointer<Int32>
    private var capacity = 0
    private var keys: [UInt64] = []
    private var candidates: [Int32] = []
    private var sampled: [Int32] = []
    private var words: [UInt64] = []
    /// Tokens of the current document (the buffers above are larger).
    private var count = 0
    /// The current document's n-gram fingerprints (the keys' top halves, as hashes: the tag is the whole
    /// fingerprint); made on first use after a scan.
    private let documentFingerprints = DistinctTable()
    private var fingerprintsMade = false
    private var itemScratch: [UInt32] = []

    init(index: BenchmarkIndex) {
        self.index = index
        hashes = .allocate(capacity: 1)
        starts = .allocate(capacity: 1)
        ends = .allocate(capacity: 1)
    }

    deinit {
        hashes.deallocate()
        starts.deallocate()
        ends.deallocate()
    }

    /// Tokenizes `text` into the buffers (at most one token per byte); sets `count`.
    private func tokenize(_ text: UnsafeBufferPointer<UInt8>) {
        if capacity < text.count + 1 {
            capacity = max(text.count + 1, capacity * 2)
            hashes.deallocate()
            starts.deallocate()
            ends.deallocate()
            hashes = .allocate(capacity: capacity)
            starts = .allocate(capacity: capacity)
            ends = .allocate(capacity: capacity)
        }
        let hashes = self.hashes, starts = self.starts, ends = self.ends
        var count = 0
        ContaminationTokens.scan(text) { hash, start, end in
            hashes[count] = hash
            starts[count] = Int32(truncatingIfNeeded: start)
            ends[count] = Int32(truncatingIfNeeded: end)
            count &+= 1
        }
        self.count = count
    }

    /// Calls `found(entry, start, end)` for each indexed n-gram (or whole short item) in `text`;
    /// `start..<end` is its byte range. N-grams come in text order, then short items in text order.
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (UInt32, Int, Int) -> Void) {
        fingerprintsMade = false
        tokenize(text)
        let count = self.count
        let n = index.n
        if count >= n {
            let windows = windowKeys(n)
            if index.sampleMask == 0 {
                lookUp(index.ngramTable, windows, n, found)
            } else {
                lookUpSampled(windows, n, found)
            }
        }
        let minN = index.minN
        if index.suffixTable.count > 0, count >= minN {
            let windows = windowKeys(minN)
            for candidate in filtered(index.suffixTable, windows) {
                let position = Int(candidate)
                if let group = index.suffixTable.lookup(keys[position]) {
                    checkWhole(group, end: position + minN, found)
                }
            }
        }
    }

    /// Of the items named by `entries` (found in the last scanned text, sorted), those the text holds: by
    /// the entries found, or, for items checked exactly (with sampling), by how many of all their n-grams
    /// the text holds. Sorted.
    func heldItems(sortedEntries entries: [UInt32], minNgrams: Int, minCoverage: Double) -> [UInt32] {
        // The items the distinct entries name, with how many entries name each.
        itemScratch.removeAll(keepingCapacity: true)
        index.entryItemStart.withUnsafeBufferPointer { starts in
            index.entryItems.withUnsafeBufferPointer { items in
                var previous = UInt32.max
                for entry in entries where entry != previous {
                    previous = entry
                    for position in Int(starts[Int(entry)])..<Int(starts[Int(entry) + 1]) { itemScratch.append(items[position]) }
                }
            }
        }
        itemScratch.sort()
        var held: [UInt32] = []
        var start = 0
        while start < itemScratch.count {
            let item = itemScratch[start]
            var end = start + 1
            while end < itemScratch.count, itemScratch[end] == item { end += 1 }
            let count = index.checksExactly(item: item) ? fingerprintsFound(item) : end - start
            if index.holds(item: item, count: count, minNgrams: minNgrams, minCoverage: minCoverage) { held.append(item) }
            start = end
        }
        return held
    }

    /// How many of the item's n-gram fingerprints the last scanned text holds.
    private func fingerprintsFound(_ item: UInt32) -> Int {
        if !fingerprintsMade {
            fingerprintsMade = true
            let windows = count >= index.n ? windowKeys(index.n) : 0
            documentFingerprints.reset(expected: windows)
            for i in 0..<windows { _ = documentFingerprints.insert(i, hash: keys[i]) { _ in true } }
        }
        var found = 0
        for fingerprint in index.fingerprints(ofItem: item)
        where documentFingerprints.first(hash: UInt64(fingerprint) << 32, equal: { _ in true }) != nil {
            found += 1
        }
        return found
    }

    /// With sampling: one pass over the windows gathers the sampled ones and those that pass the gap
    /// table's filter (small: it is in L1); the sampled ones then go through the n-gram table's filter in
    /// one tight loop, and the survivors of both to the tables.
    private func lookUpSampled(_ windows: Int, _ n: Int, _ found: (UInt32, Int, Int) -> Void) {
        if candidates.count < windows { candidates = Array(repeating: 0, count: max(windows, candidates.count * 2)) }
        if sampled.count < windows { sampled = Array(repeating: 0, count: max(windows, sampled.count * 2)) }
        if words.count < windows { words = Array(repeating: 0, count: max(windows, words.count * 2)) }
        let gapTable = index.gapTable, ngramTable = index.ngramTable, mask = index.sampleMask
        let (sampledCount, gapCount) = keys.withUnsafeBufferPointer { keys in
            sampled.withUnsafeMutableBufferPointer { sampled in
                candidates.withUnsafeMutableBufferPointer { gaps in
                    var s = 0, g = 0
                    for i in 0..<windows {
                        let key = keys[i]
                        sampled[s] = Int32(truncatingIfNeeded: i)
                        s &+= key & mask == 0 ? 1 : 0
                        gaps[g] = Int32(truncatingIfNeeded: i)
                        g &+= gapTable.mayContain(key) ? 1 : 0
                    }
                    return (s, g)
                }
            }
        }
        // Gap candidates first (their positions are in `candidates`, which the filter below reuses).
        for k in 0..<gapCount {
            let position = Int(candidates[k])
            if let entry = gapTable.lookup(keys[position]) { found(entry, Int(starts[position]), Int(ends[position + n - 1])) }
        }
        let passed = keys.withUnsafeBufferPointer { keys in
            candidates.withUnsafeMutableBufferPointer { out in
                words.withUnsafeMutableBufferPointer { scratch in
                    sampled.withUnsafeBufferPointer { positions in
                        ngramTable.filterCandidates(keys.baseAddress!, positions: positions.baseAddress!, sampledCount, scratch: scratch.baseAddress!,
                                                    into: out.baseAddress!)
                    }
                }
            }
        }
        for k in 0..<passed {
            let position = Int(candidates[k])
            if let entry = ngramTable.lookup(keys[position]) { found(entry, Int(starts[position]), Int(ends[position + n - 1])) }
        }
    }

    /// Reports the windows of `n` tokens whose keys are in `table`.
    @inline(__always)
    private func lookUp(_ table: KeyTable, _ windows: Int, _ n: Int, _ found: (UInt32, Int, Int) -> Void) {
        for candidate in filtered(table, windows) {
            let position = Int(candidate)
            if let entry = table.lookup(keys[position]) {
                found(entry, Int(starts[position]), Int(ends[position + n - 1]))
            }
        }
    }

    /// Fills `keys` with the keys of every window of `width` tokens; returns how many there are.
    private func windowKeys(_ width: Int) -> Int {
        let windows = count - width + 1
        if keys.count < windows { keys = Array(repeating: 0, count: max(windows, keys.count * 2)) }
        keys.withUnsafeMutableBufferPointer { keys in
            RollingHash.windowKeys(hashes, count: count, width: width, into: keys.baseAddress!)
        }
        return windows
    }

    /// The positions among the first `windows` keys that pass `table`'s filter.
    private func filtered(_ table: KeyTable, _ windows: Int) -> ArraySlice<Int32> {
        if candidates.count < windows { candidates = Array(repeating: 0, count: max(windows, candidates.count * 2)) }
        if words.count < windows { words = Array(repeating: 0, count: max(windows, words.count * 2)) }
        let passed = keys.withUnsafeBufferPointer { keys in
            candidates.withUnsafeMutableBufferPointer { out in
                words.withUnsafeMutableBufferPointer { scratch in
                    table.filterCandidates(keys.baseAddress!, windows, scratch: scratch.baseAddress!, into: out.baseAddress!)
                }
            }
        }
        return candidates[0..<passed]
    }

    /// Short items whose last `minN` tokens end before token `end`: each matches if its whole token
    /// sequence does.
    private func checkWhole(_ group: UInt32, end: Int, _ found: (UInt32, Int, Int) -> Void) {
        let first = Int(index.suffixEntryStart[Int(group)]), last = Int(index.suffixEntryStart[Int(group) + 1])
        let base = index.wholeBase
        for position in first..<last {
            let entry = index.suffixEntries[position]
            let length = Int(index.wholeLength[Int(entry) - base])
            guard end >= length else { continue }
            if RollingHash.key(of: UnsafeBufferPointer(start: hashes + (end - length), count: length)) == index.wholeKey[Int(entry) - base] {
                found(entry, Int(starts[end - length]), Int(ends[end - 1]))
            }
        }
    }
}

