/// Distinct slices of a scalar buffer by content, for the duplicate counts of the repetition rules.
///
/// Slices are hashed (FNV-1a, or a caller's hash) and compared on a hash hit, so equal hashes of
/// different content never merge. No strings are built.
struct ContentIndex {
    private var slots: [UInt64: Int32] = [:]
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var overflow: [UInt64: [Int32]] = [:]

    init(capacity: Int = 0) {
        slots.reserveCapacity(capacity)
    }

    static func hash(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in range { h = (h ^ UInt64(s[i])) &* 0x100000001b3 }
        return h
    }

    /// The id of `s[range]`'s content, adding it when new (ids count up from 0); `isNew` says which.
    mutating func insert(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, hash: UInt64) -> (id: Int, isNew: Bool) {
        if let id = slots[hash] {
            if equal(s, Int(id), range) { return (Int(id), false) }
            for other in overflow[hash] ?? [] where equal(s, Int(other), range) { return (Int(other), false) }
            let id = add(range)
            overflow[hash, default: []].append(Int32(id))
            return (id, true)
        }
        let id = add(range)
        slots[hash] = Int32(id)
        return (id, true)
    }

    var count: Int { starts.count }

    private mutating func add(_ range: Range<Int>) -> Int {
        starts.append(Int32(range.lowerBound))
        ends.append(Int32(range.upperBound))
        return starts.count - 1
    }

    private func equal(_ s: UnsafeBufferPointer<UInt32>, _ id: Int, _ range: Range<Int>) -> Bool {
        let start = Int(starts[id])
        guard Int(ends[id]) - start == range.count else { return false }
        var k = 0
        for i in range {
            if s[start + k] != s[i] { return false }
            k += 1
        }
        return true
    }
}
