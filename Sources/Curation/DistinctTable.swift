#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which elements of a sequence were seen before, by content: the repetition rules' duplicate counts.
///
/// An element is its index; the caller gives each element's hash and says whether two elements are
/// equal, so equal hashes of different content never merge. `insert` answers with the index of the first
/// element of that content (the element itself when it is new). Open addressing over 8-byte slots (the
/// hash's top 32 bits, first element + 1; 0 = empty), cleared per sequence over the part in use only, so
/// one table made per task serves every document (Swift's `Dictionary` was 8% of the curation chain, and
/// a fresh table per rule and document another 10%).
final class DistinctTable {
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// The slots in use are the first `mask + 1`, sized to the current sequence.
    private var mask = 15
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = Self.size(for: capacity)
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: 0, count: self.capacity)
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
        }
        memset(slots, 0, size * 8)
        mask = size - 1
    }

    /// The home slot of a tag (the hash's top 32 bits, all a slot keeps, so growing can rehash).
    @inline(__always)
    private static func slot(_ tag: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((tag >> 32) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The first element equal to `element` (whose content hashes to `hash`), or `element` when it is new.
    /// `equal(first)` compares `element` with an earlier element whose hash shares the top 32 bits.
    @inline(__always)
    func insert(_ element: Int, hash: UInt64, equal: (Int) -> Bool) -> Int {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var index = Self.slot(tag, mask)
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let first = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                if equal(first) { return first }
            }
            index = (index &+ 1) & mask
        }
        slots[index] = tag | UInt64(truncatingIfNeeded: element &+ 1) & 0xFFFF_FFFF
        count &+= 1
        if count &* 2 > mask &+ 1 { grow() }
        return element
    }

    /// The first element equal to one whose content hashes to `hash`, if any (nothing is inserted).
    @inline(__always)
    func first(hash: UInt64, equal: (Int) -> Bool) -> Int? {
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var index = Self.slot(tag, mask)
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let first = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                if equal(first) { return first }
            }
            index = (index &+ 1) & mask
        }
    }

    private func grow() {
        var entries: [UInt64] = []
        entries.reserveCapacity(count)
        for i in 0...mask where slots[i] != 0 { entries.append(slots[i]) }
        use((mask + 1) * 2)
        for entry in entries {
            var index = Self.slot(entry & 0xFFFF_FFFF_0000_0000, mask)
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = entry
        }
    }
}
