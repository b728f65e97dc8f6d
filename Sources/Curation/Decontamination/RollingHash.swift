/// The 64-bit key of a window of token hashes: a polynomial in the hashes (updated in O(1) as the window
/// slides), mixed so its bits can index filters and tables.
struct RollingHash {
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15 | 1
    let n: Int
    /// base^(n-1), to take the oldest hash out.
    let top: UInt64
    var value: UInt64 = 0
    var ring: [UInt64]
    var count = 0

    init(n: Int) {
        self.n = n
        var power: UInt64 = 1
        for _ in 1..<max(n, 1) { power = power &* Self.base }
        top = power
        ring = Array(repeating: 0, count: n)
    }

    /// Adds a token; returns the key of the last `n` tokens once there are `n`.
    @inline(__always)
    mutating func push(_ hash: UInt64) -> UInt64? {
        let slot = count % n
        if count >= n { value = value &- ring[slot] &* top }
        value = value &* Self.base &+ hash
        ring[slot] = hash
        count += 1
        return count >= n ? Self.mix(value) : nil
    }

    /// The key of a whole sequence of token hashes (what `push` gives for a window of exactly these).
    static func key(of hashes: ArraySlice<UInt64>) -> UInt64 {
        var value: UInt64 = 0
        for hash in hashes { value = value &* base &+ hash }
        return mix(value)
    }

    @inline(__always)
    static func mix(_ v: UInt64) -> UInt64 {
        var x = v ^ (v >> 33)
        x = x &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x == 0 ? 1 : x
    }
}
