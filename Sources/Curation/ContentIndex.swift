/// Distinct slices of a scalar buffer by content, for the duplicate counts of the repetition rules.
///
/// Slices are hashed (FNV-1a, or a caller's hash) and compared on a hash hit, so equal hashes of
/// different content never merge. No strings are built. An open-addressing table of (hash, id) pairs:
/// Swift's `Dictionary` (SipHash per probe) was 8% of the curation chain's time.
struct ContentIndex {
    private var keys: [UInt64]
    private var ids: [Int32]
    private var mask: Int
    private var starts: [Int32] = []
    private var ends: [Int32] = []

    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        ids = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    static func hash(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for i in range { h = (h ^ UInt64(s[i])) &* 0x100000001b3 }
        return h
    }

    /// The id of `s[range]`'s content, adding it when new (ids count up from 0); `isNew` says which.
    mutating func insert(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, hash: UInt64) -> (id: Int, isNew: Bool) {
        var slot = Self.slot(hash, mask)
        while ids[slot] >= 0 {
            if keys[slot] == hash && equal(s, Int(ids[slot]), range) { return (Int(ids[slot]), false) }
            slot = (slot + 1) & mask
        }
        let id = starts.count
        starts.append(Int32(range.lowerBound))
        ends.append(Int32(range.upperBound))
        keys[slot] = hash
        ids[slot] = Int32(id)
        if starts.count * 2 > mask + 1 { grow() }
        return (id, true)
    }

    var count: Int { starts.count }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9 >> 32) & mask
    }

    private mutating func grow() {
        let oldKeys = keys, oldIDs = ids
        let size = (mask + 1) * 2
        keys = [UInt64](repeating: 0, count: size)
        ids = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (key, id) in zip(oldKeys, oldIDs) where id >= 0 {
            var slot = Self.slot(key, mask)
            while ids[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            ids[slot] = id
        }
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
