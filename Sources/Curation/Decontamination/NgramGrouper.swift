/// Groups benchmark n-grams by key while the index is built: for each distinct key, the items that hold
/// it, each once (an item's n-grams arrive together, so a repeat within an item is the group's last item).
/// Open addressing over keys, grown by doubling; no sorting of millions of pairs.
struct NgramGrouper {
    private var slotKeys: [UInt64]  // 0 for empty (keys are never 0)
    private var slotGroups: [UInt32]
    private var mask: Int
    private(set) var keys: [UInt64] = []
    private(set) var firstItem: [UInt32] = []
    private(set) var itemCount: [UInt32] = []
    private var lastItem: [UInt32] = []
    /// Items after the first, for the few groups with more than one (up to `limit + 1` are kept: enough
    /// to know the group is over the limit).
    private(set) var moreItems: [Int: [UInt32]] = [:]
    let limit: Int

    init(limit: Int, capacity: Int = 1 << 16) {
        self.limit = limit
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slotKeys = Array(repeating: 0, count: size)
        slotGroups = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var groupCount: Int { keys.count }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: key >> 12) & mask }

    mutating func add(key: UInt64, item: UInt32) {
        var slot = Self.slot(key, mask)
        while true {
            let found = slotKeys[slot]
            if found == 0 { break }
            if found == key {
                let group = Int(slotGroups[slot])
                guard lastItem[group] != item else { return }
                lastItem[group] = item
                itemCount[group] += 1
                if itemCount[group] <= limit + 1 { moreItems[group, default: []].append(item) }
                return
            }
            slot = (slot + 1) & mask
        }
        slotKeys[slot] = key
        slotGroups[slot] = UInt32(keys.count)
        keys.append(key)
        firstItem.append(item)
        itemCount.append(1)
        lastItem.append(item)
        if keys.count * 2 > slotKeys.count { grow() }
    }

    private mutating func grow() {
        let size = slotKeys.count * 2
        var largerKeys = [UInt64](repeating: 0, count: size)
        var largerGroups = [UInt32](repeating: 0, count: size)
        for (group, key) in keys.enumerated() {
            var slot = Self.slot(key, size - 1)
            while largerKeys[slot] != 0 { slot = (slot + 1) & (size - 1) }
            largerKeys[slot] = key
            largerGroups[slot] = UInt32(group)
        }
        slotKeys = largerKeys
        slotGroups = largerGroups
        mask = size - 1
    }

    /// The items of a group, in the order they were added.
    func items(of group: Int) -> [UInt32] { [firstItem[group]] + (moreItems[group] ?? []) }
}
