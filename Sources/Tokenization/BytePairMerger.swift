/// How two adjacent symbols of a piece merge: the priority of their merge (lower first) and the token it
/// makes, or nil if they never merge.
protocol MergeRule {
    /// `end` is the piece's length: bytes up to it may be read.
    func merge(_ piece: UnsafePointer<UInt8>, _ end: Int, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)?
}

/// tiktoken's rule: two symbols merge if their concatenated bytes are a token; its rank is the priority
/// and the id.
struct RankedBytesRule: MergeRule {
    let ranks: TokenBytesView

    @inline(__always)
    func merge(_ piece: UnsafePointer<UInt8>, _ end: Int, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)? {
        let start = Int(left.start)
        guard let rank = ranks.value(piece + start, Int(right.end) &- start, available: end &- start) else { return nil }
        return (rank, rank)
    }
}

/// `tokenizers`' rule: the pair of ids is looked up in the merges list; its position is the priority.
struct MergeListRule: MergeRule {
    let merges: PairMergeView

    @inline(__always)
    func merge(_ piece: UnsafePointer<UInt8>, _ end: Int, _ left: BytePairMerger.Symbol, _ right: BytePairMerger.Symbol) -> (rank: UInt32, id: UInt32)? {
        guard let m = merges.merge(left.id, right.id) else { return nil }
        return (m.rank, m.merged)
    }
}

/// Byte-pair merging of one piece: repeatedly merge the adjacent pair with the lowest priority, the
/// leftmost on ties — the order of both tiktoken (linear scan for the minimum) and `tokenizers` (a heap
/// ordered by rank, then position).
///
/// Short pieces use tiktoken's layout (symbols with cached pair ranks, scanned for the minimum: fastest
/// when pieces are a few bytes). Pieces longer than `heapThreshold` bytes use a binary heap with lazy
/// invalidation, so a megabyte of one letter takes O(n log n), not O(n²). Storage is raw memory reused
/// across pieces: no array copy-on-write checks or exclusivity checks in the loop.
final class BytePairMerger {
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

    var heapThreshold = 24
    private var capacity = 0
    private var symbols: UnsafeMutablePointer<Symbol>
    private var pairRanks: UnsafeMutablePointer<UInt32>
    private var pairIDs: UnsafeMutablePointer<UInt32>
    private var heap: UnsafeMutablePointer<Candidate>
    private var heapCapacity = 0
    private var heapCount = 0
    /// Merge operations done so far, and inner-loop work (pairs scanned, heap pushes and pops): tests
    /// bound both on pathological input.
    private(set) var mergeSteps = 0
    private(set) var work = 0

    init() {
        symbols = .allocate(capacity: 1)
        pairRanks = .allocate(capacity: 1)
        pairIDs = .allocate(capacity: 1)
        heap = .allocate(capacity: 1)
        reserve(256)
        reserveHeap(512)
    }

    deinit {
        symbols.deallocate()
        pairRanks.deallocate()
        pairIDs.deallocate()
        heap.deallocate()
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let size = max(n, capacity * 2)
        symbols.deallocate()
        pairRanks.deallocate()
        pairIDs.deallocate()
        symbols = .allocate(capacity: size)
        pairRanks = .allocate(capacity: size)
        pairIDs = .allocate(capacity: size)
        capacity = size
    }

    private func reserveHeap(_ n: Int) {
        guard n > heapCapacity else { return }
        let size = max(n, heapCapacity * 2)
        let larger = UnsafeMutablePointer<Candidate>.allocate(capacity: size)
        larger.update(from: heap, count: heapCount)
        heap.deallocate()
        heap = larger
        heapCapacity = size
    }

    /// Merges `piece` whose single bytes are tokens `byteIDs[b]`; appends the resulting ids to `out`.
    func merge<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let n = piece.count
        guard n > 1 else {
            if n == 1 { out.append(byteIDs[Int(piece[0])]) }
            return
        }
        reserve(n)
        if n > heapThreshold {
            mergeWithHeap(piece, rule: rule, byteIDs: byteIDs, into: &out)
        } else {
            mergeByScanning(piece, rule: rule, byteIDs: byteIDs, into: &out)
        }
    }

    @inline(__always)
    private func mergeByScanning<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let base = piece.baseAddress!
        let n = piece.count
        let symbols = self.symbols, ranks = self.pairRanks, ids = self.pairIDs
        for i in 0..<n {
            symbols[i] = Symbol(start: Int32(i), end: Int32(i &+ 1), id: byteIDs[Int(base[i])])
        }
        for i in 0..<(n &- 1) {
            if let m = rule.merge(base, n, symbols[i], symbols[i &+ 1]) {
                ranks[i] = m.rank
                ids[i] = m.id
            } else {
                ranks[i] = .max
            }
        }
        var count = n
        var steps = 0
        while count > 1 {
            var best = UInt32.max
            var at = -1
            work &+= count
            for i in 0..<(count &- 1) where ranks[i] < best {
                best = ranks[i]
                at = i
            }
            if at < 0 { break }
            steps &+= 1
            symbols[at].end = symbols[at &+ 1].end
            symbols[at].id = ids[at]
            // Remove symbol at+1 and pair `at` (the pair at..at+1 is now one symbol).
            let tail = count &- at &- 2
            if tail > 0 {
                let next = at + 1
                (symbols + next).update(from: symbols + (next + 1), count: tail)
                (ranks + at).update(from: ranks + next, count: tail)
                (ids + at).update(from: ids + next, count: tail)
            }
            count &-= 1
            if at > 0 {
                if let m = rule.merge(base, n, symbols[at &- 1], symbols[at]) {
                    ranks[at &- 1] = m.rank
                    ids[at &- 1] = m.id
                } else {
                    ranks[at &- 1] = .max
                }
            }
            if at < count &- 1 {
                if let m = rule.merge(base, n, symbols[at], symbols[at &+ 1]) {
                    ranks[at] = m.rank
                    ids[at] = m.id
                } else {
                    ranks[at] = .max
                }
            }
        }
        mergeSteps &+= steps
        for i in 0..<count { out.append(symbols[i].id) }
    }

    private func mergeWithHeap<R: MergeRule>(_ piece: UnsafeBufferPointer<UInt8>, rule: R, byteIDs: UnsafePointer<UInt32>, into out: inout [UInt32]) {
        let base = piece.baseAddress!
        let n = piece.count
        let symbols = self.symbols
        heapCount = 0
        reserveHeap(n)
        for i in 0..<n {
            symbols[i] = Symbol(start: Int32(i), end: Int32(i &+ 1), id: byteIDs[Int(base[i])],
                                prev: Int32(i &- 1), next: i &+ 1 < n ? Int32(i &+ 1) : -1)
        }
        @inline(__always) func consider(_ left: Int32) {
            let l = symbols[Int(left)]
            guard l.next >= 0 else { return }
            let r = symbols[Int(l.next)]
            if let m = rule.merge(base, n, l, r) {
                push(Candidate(rank: m.rank, left: left, leftEnd: l.end, rightEnd: r.end, id: m.id))
            }
        }
        for i in 0..<(n &- 1) { consider(Int32(i)) }
        while heapCount > 0 {
            let c = pop()
            // Stale if either symbol changed since the candidate was made.
            let l = symbols[Int(c.left)]
            guard l.start >= 0, l.end == c.leftEnd, l.next >= 0, symbols[Int(l.next)].end == c.rightEnd else { continue }
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

    @inline(__always)
    private func push(_ c: Candidate) {
        work &+= 1
        if heapCount == heapCapacity { reserveHeap(heapCount + 1) }
        let heap = self.heap
        var i = heapCount
        heapCount &+= 1
        while i > 0 {
            let parent = (i &- 1) >> 1
            guard Candidate.precedes(c, heap[parent]) else { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = c
    }

    @inline(__always)
    private func pop() -> Candidate {
        work &+= 1
        let heap = self.heap
        let top = heap[0]
        heapCount &-= 1
        let count = heapCount
        guard count > 0 else { return top }
        let last = heap[count]
        var i = 0
        while true {
            let l = 2 &* i &+ 1
            if l >= count { break }
            let r = l &+ 1
            let child = r < count && Candidate.precedes(heap[r], heap[l]) ? r : l
            guard Candidate.precedes(heap[child], last) else { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = last
        return top
    }
}
