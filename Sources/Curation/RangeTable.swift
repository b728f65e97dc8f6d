/// A set of Unicode scalar values stored as sorted closed ranges, looked up by binary search.
struct RangeTable: Sendable {
    private let lows: [UInt32]
    private let highs: [UInt32]

    /// Parses space-separated hex values and ranges, e.g. `41-5A 61-7A C0`.
    init(parsing list: String) {
        var lows: [UInt32] = []
        var highs: [UInt32] = []
        for item in list.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = item.split(separator: "-")
            let low = UInt32(parts[0], radix: 16)!
            lows.append(low)
            highs.append(parts.count > 1 ? UInt32(parts[1], radix: 16)! : low)
        }
        self.lows = lows
        self.highs = highs
    }

    func contains(_ c: UInt32) -> Bool {
        var low = 0
        var high = lows.count
        while low < high {
            let middle = (low + high) >> 1
            if highs[middle] < c { low = middle + 1 } else { high = middle }
        }
        return low < lows.count && lows[low] <= c
    }
}
