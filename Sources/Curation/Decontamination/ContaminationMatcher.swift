/// Finds benchmark n-grams in a document. It works in batches, because the index's filter is larger than
/// the CPU's L2 cache and a lookup per token as it is read would wait on memory each time:
/// 1. the text is tokenized into token hashes and byte ranges;
/// 2. the keys of all windows of `n` tokens (and of `minN`, for the ends of short items) are computed;
/// 3. all keys go through the filter in one tight loop (many loads in flight at once);
/// 4. the few that pass are looked up in the table.
/// One matcher per thread; its buffers are reused from document to document.
final class ContaminationMatcher {
    let index: BenchmarkIndex
    private var hashes: [UInt64] = []
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var keys: [UInt64] = []
    private var candidates: [Int32] = []
    /// Tokens of the current document (the buffers above are larger).
    private var count = 0

    init(index: BenchmarkIndex) {
        self.index = index
    }

    /// Calls `found(entry, start, end)` for each indexed n-gram (or whole short item) in `text`;
    /// `start..<end` is its byte range. N-grams come in text order, then short items in text order.
    func scan(_ text: UnsafeBufferPointer<UInt8>, _ found: (UInt32, Int, Int) -> Void) {
        // At most one token per byte: fill raw storage without per-token capacity checks.
        let capacity = text.count + 1
        if hashes.count < capacity {
            let size = max(capacity, hashes.count * 2)
            hashes = Array(repeating: 0, count: size)
            starts = Array(repeating: 0, count: size)
            ends = Array(repeating: 0, count: size)
        }
        var tokenCount = 0
        hashes.withUnsafeMutableBufferPointer { hashes in
            starts.withUnsafeMutableBufferPointer { starts in
                ends.withUnsafeMutableBufferPointer { ends in
                    ContaminationTokens.scan(text) { hash, start, end in
                        hashes[tokenCount] = hash
                        starts[tokenCount] = Int32(truncatingIfNeeded: start)
                        ends[tokenCount] = Int32(truncatingIfNeeded: end)
                        tokenCount &+= 1
                    }
                }
            }
        }
        self.count = tokenCount
        let count = tokenCount
        let n = index.n
        if count >= n {
            let windows = windowKeys(n)
            let table = index.ngramTable
            for candidate in filtered(table, windows) {
                let position = Int(candidate)
                if let entry = table.lookup(keys[position]) {
                    found(entry, Int(starts[position]), Int(ends[position + n - 1]))
                }
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

    /// Fills `keys` with the keys of every window of `width` tokens; returns how many there are.
    private func windowKeys(_ width: Int) -> Int {
        let windows = count - width + 1
        if keys.count < windows { keys = Array(repeating: 0, count: max(windows, keys.count * 2)) }
        hashes.withUnsafeBufferPointer { hashes in
            keys.withUnsafeMutableBufferPointer { keys in
                RollingHash.windowKeys(hashes.baseAddress!, count: count, width: width, into: keys.baseAddress!)
            }
        }
        return windows
    }

    /// The positions among the first `windows` keys that pass `table`'s filter.
    private func filtered(_ table: KeyTable, _ windows: Int) -> ArraySlice<Int32> {
        if candidates.count < windows { candidates = Array(repeating: 0, count: max(windows, candidates.count * 2)) }
        let passed = keys.withUnsafeBufferPointer { keys in
            candidates.withUnsafeMutableBufferPointer { out in
                table.filterCandidates(keys.baseAddress!, windows, into: out.baseAddress!)
            }
        }
        return candidates[0..<passed]
    }

    /// Short items whose last `minN` tokens end before token `end`: each matches if its whole token
    /// sequence does.
    private func checkWhole(_ group: UInt32, end: Int, _ found: (UInt32, Int, Int) -> Void) {
        let first = Int(index.suffixEntryStart[Int(group)]), last = Int(index.suffixEntryStart[Int(group) + 1])
        let base = index.ngramTable.count
        for position in first..<last {
            let entry = index.suffixEntries[position]
            let length = Int(index.wholeLength[Int(entry) - base])
            guard end >= length else { continue }
            if RollingHash.key(of: hashes[(end - length)..<end]) == index.wholeKey[Int(entry) - base] {
                found(entry, Int(starts[end - length]), Int(ends[end - 1]))
            }
        }
    }
}
