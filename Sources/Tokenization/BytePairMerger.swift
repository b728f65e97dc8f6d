/// How two adjacent symbols of a piece merge: the priority of their merge (lower first) and the token it
/// makes, or nil if they never merge.
protocol MergeRule {
    func merge(_ piece: UnsafePointer<UInt8>, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)?
}

/// tiktoken's rule: two symbols merge if their concatenated bytes are a token; its rank is the priority
/// and the id.
struct RankedBytesRule: MergeRule {
    let ranks: TokenBytesTable

    @inline(__always)
    func merge(_ piece: UnsafePointer<UInt8>, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)? {
        guard let rank = ranks.value(piece + Int(left.start), Int(right.end - left.start)) else { return nil }
        return (rank, rank)
    }
}

/// `tokenizers`' rule: the pair of ids is looked up in the merges list; its position is the priority.
struct MergeListRule: MergeRule {
    let merges: PairMergeTable

    @inline(__always)
    func merge(_ piece: UnsafePointer<UInt8>, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)? {
        guard let m = merges.merge(left.id, right.id) else { return nil }
        return (m.rank, m.merged)
    }
}

/// Byte-pair merging of one piece: repeatedly merge the adjacent pair with the lowest priority, the
/// leftmost on ties — the order of both tiktoken (linear scan for the minimum) and `tokenizers` (a heap
/// ordered by rank, then position).
///
/// Short pieces use tiktoken's layout (an array of symbols with cached pair ranks, scanned for the
/// minimum: fastest when pieces are a few bytes). Pieces longer than `heapThreshold` bytes use a binary
/// heap with lazy invalidation, so a megabyte of one letter takes O(n log n) merges, not O(n²).
struct BytePairMerger {
    struct Symbol {
        var start: Int32
        var end: Int32
        var id: UInt32
        var prev: Int32 = -1
        var next: Int32 = -1
    }

    private struct Candidate {
        var rank: UInt32
        var left: Int32
        var leftEnd: Int32
        var rightEnd: Int32
        var id: UInt32

        @inline(__always)
        static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
            a.rank != b.rank ? a.rank < b.rank : a.left < b.left
        }
    }

    var heapThreshold = 256
    private var symbols: [Symbol] = []
    private var pairRanks: [UInt32] = []
    private var pairIDs: [UInt32] = []
    private var heap: [Candidate] = []
    /// Merge operations done so far (for tests that bound the work on pathological input).
    private(set) var mergeSteps = 0

    /// Merges `piece` whose single bytes are tokens `byteIDs[b]`; appends the resulting ids to `out`.
    mutating func merge<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let n = piece.count
        guard n > 1 else {
            if n == 1 { out.append(byteIDs[Int(piece[0])]) }
            return
        }
        if n > heapThreshold {
            mergeWithHeap(piece, rule: rule, byteIDs: byteIDs, into: &out)
        } else {
            mergeByScanning(piece, rule: rule, byteIDs: byteIDs, into: &out)
        }
    }

    private mutating func mergeByScanning<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let base = piece.baseAddress!
        let n = piece.count
        symbols.removeAll(keepingCapacity: true)
        pairRanks.removeAll(keepingCapacity: true)
        pairIDs.removeAll(keepingCapacity: true)
        for i in 0..<n {
            symbols.append(Symbol(start: Int32(i), end: Int32(i + 1), id: byteIDs[Int(base[i])]))
        }
        for i in 0..<(n - 1) {
            let m = rule.merge(base, symbols[i], symbols[i + 1])
            pairRanks.append(m?.rank ?? .max)
            pairIDs.append(m?.id ?? 0)
        }
        while symbols.count > 1 {
            var best = UInt32.max
            var at = -1
            for i in 0..<pairRanks.count where pairRanks[i] < best {
                best = pairRanks[i]
                at = i
            }
            if at < 0 { break }
            mergeSteps &+= 1
            symbols[at].end = symbols[at + 1].end
            symbols[at].id = pairIDs[at]
            symbols.remove(at: at + 1)
            pairRanks.remove(at: at)
            pairIDs.remove(at: at)
            if at > 0 {
                let m = rule.merge(base, symbols[at - 1], symbols[at])
                pairRanks[at - 1] = m?.rank ?? .max
                pairIDs[at - 1] = m?.id ?? 0
            }
            if at < symbols.count - 1 {
                let m = rule.merge(base, symbols[at], symbols[at + 1])
                pairRanks[at] = m?.rank ?? .max
                pairIDs[at] = m?.id ?? 0
            }
        }
        for symbol in symbols { out.append(symbol.id) }
    }

    private mutating func mergeWithHeap<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let base = piece.baseAddress!
        let n = piece.count
        symbols.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        for i in 0..<n {
            symbols.append(Symbol(start: Int32(i), end: Int32(i + 1), id: byteIDs[Int(base[i])],
                                  prev: Int32(i - 1), next: i + 1 < n ? Int32(i + 1) : -1))
        }
        func consider(_ left: Int32) {
            let l = symbols[Int(left)]
            guard l.next >= 0 else { return }
            let r = symbols[Int(l.next)]
            if let m = rule.merge(base, l, r) {
                push(Candidate(rank: m.rank, left: left, leftEnd: l.end, rightEnd: r.end, id: m.id))
            }
        }
        for i in 0..<(n - 1) { consider(Int32(i)) }
        while let c = pop() {
            // Stale if either symbol changed since the candidate was made.
            let l = symbols[Int(c.left)]
            guard l.end == c.leftEnd, l.start >= 0, l.next >= 0, symbols[Int(l.next)].end == c.rightEnd else { continue }
            mergeSteps &+= 1
            let right = Int(l.next)
            let after = symbols[right].next
            symbols[Int(c.left)].end = c.rightEnd
            symbols[Int(c.left)].id = c.id
            symbols[Int(c.left)].next = after
            symbols[right].start = -1  // dead
            if after >= 0 { symbols[Int(after)].prev = c.left }
            if l.prev >= 0 { consider(l.prev) }
            consider(c.left)
        }
        var i: Int32 = 0
        while i >= 0 {
            out.append(symbols[Int(i)].id)
            i = symbols[Int(i)].next
        }
    }

    private mutating func push(_ c: Candidate) {
        heap.append(c)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Candidate.precedes(heap[i], heap[parent]) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private mutating func pop() -> Candidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Candidate.precedes(heap[l], heap[m]) { m = l }
                if r < heap.count, Candidate.precedes(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
