/// Which elements of a sequence were seen before, by content: the repetition rules' duplicate counts.
///
/// An element is its index; the caller gives each element's hash and says whether two elements are
/// equal, so equal hashes of different content never merge. `insert` answers with the index of the first
/// element of that content (the element itself when it is new). Open addressing over (hash, stamp,
/// first) slots; `reset` starts a new sequence by bumping the stamp, so a table made once serves every
/// document of a task without clearing memory (Swift's `Dictionary` was 8% of the curation chain, and
/// a fresh table per rule and document another 10%).
final class DistinctTable {
    private struct Slot {
        var hash: UInt64
        var stamp: UInt32
        var first: Int32
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    /// The slots in use are the first `mask + 1`, sized to the current sequence so that a short
    /// document's probes stay in cache after a long one grew the allocation.
    private var mask = 15
    private var stamp: UInt32 = 1
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = Self.size(for: capacity)
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: Slot(hash: 0, stamp: 0, first: 0), count: self.capacity)
    }

    deinit { slots.deallocate() }

    private static func size(for elements: Int) -> Int {
        var size = 16
        while size < elements * 2 { size <<= 1 }
        return size
    }

    /// Forgets every element; `expected` elements will follow (a hint: the table grows as needed).
    func reset(expected: Int) {
        count = 0
        use(Self.size(for: expected))
    }

    /// Makes the first `size` slots the (empty) table.
    private func use(_ size: Int) {
        if size > capacity {
            slots.deallocate()
            capacity = size
            slots = .allocate(capacity: size)
            slots.initialize(repeating: Slot(hash: 0, stamp: 0, first: 0), count: size)
            stamp = 1
        } else if stamp == .max {
            slots.update(repeating: Slot(hash: 0, stamp: 0, first: 0), count: capacity)
            stamp = 1
        } else {
            stamp += 1
        }
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((hash ^ (hash >> 31)) &* 0xBF58_476D_1CE4_E5B9) >> 32) & mask
    }

    /// The first element equal to `element` (whose content hashes to `hash`), or `element` when it is new.
    /// `equal(first)` compares `element` with an earlier element of the same hash.
    @inline(__always)
    func insert(_ element: Int, hash: UInt64, equal: (Int) -> Bool) -> Int {
        var index = Self.slot(hash, mask)
        while slots[index].stamp == stamp {
            if slots[index].hash == hash && equal(Int(slots[index].first)) { return Int(slots[index].first) }
            index = (index + 1) & mask
        }
        slots[index] = Slot(hash: hash, stamp: stamp, first: Int32(truncatingIfNeeded: element))
        count += 1
        if count * 2 > mask + 1 { grow() }
        return element
    }

    private func grow() {
        var entries: [Slot] = []
        entries.reserveCapacity(count)
        for i in 0...mask where slots[i].stamp == stamp { entries.append(slots[i]) }
        use((mask + 1) * 2)
        for var entry in entries {
            entry.stamp = stamp
            var index = Self.slot(entry.hash, mask)
            while slots[index].stamp == stamp { index = (index + 1) & mask }
            slots[index] = entry
        }
    }
}
