/// The 64-bit key of a window of token hashes: a polynomial in the hashes (updated in O(1) as the window
/// slides), mixed so its bits can index filters and tables. Benchmarks and documents get their keys from
/// the same two functions.
enum RollingHash {
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15 | 1

    /// Writes the key of every window of `width` of the `count` hashes to `keys` (`count - width + 1`
    /// of them; none when `count < width`).
    static func windowKeys(_ hashes: UnsafePointer<UInt64>, count: Int, width: Int, into keys: UnsafeMutablePointer<UInt64>) {
        guard count >= width, width > 0 else { return }
        var top: UInt64 = 1  // base^(width-1), to take the oldest hash out
        for _ in 1..<width { top = top &* base }
        var value: UInt64 = 0
        for i in 0..<width { value = value &* base &+ hashes[i] }
        keys[0] = mix(value)
        var i = width
        while i < count {
            value = (value &- hashes[i &- width] &* top) &* base &+ hashes[i]
            keys[i &- width &+ 1] = mix(value)
            i &+= 1
        }
    }

    /// The key of a whole sequence of token hashes (what `windowKeys` gives for a window of exactly these).
    static func key<C: Collection<UInt64>>(of hashes: C) -> UInt64 {
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
