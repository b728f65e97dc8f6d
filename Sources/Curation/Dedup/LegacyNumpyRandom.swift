/// NumPy's legacy `RandomState(seed)` generator (MT19937 seeded by `init_genrand`), far enough to draw
/// `randint(low, high, dtype=uint64)` exactly as NumPy does. datatrove draws its MinHash permutations
/// this way, so `hash: datatrove` gets the very same signatures.
struct LegacyNumpyRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var position = 624

    init(seed: UInt32) {
        state[0] = seed
        for index in 1..<624 {
            let previous = state[index - 1]
            state[index] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(index)
        }
    }

    mutating func nextUInt32() -> UInt32 {
        if position == 624 { twist() }
        var y = state[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Two draws, the first one high.
    mutating func nextUInt64() -> UInt64 {
        let high = UInt64(nextUInt32())
        return high << 32 | UInt64(nextUInt32())
    }

    /// `randint(low, high, dtype=uint64)` for one value, for ranges wider than 32 bits: masked rejection.
    mutating func randint(low: UInt64, high: UInt64) -> UInt64 {
        let range = high - 1 - low
        precondition(range > UInt64(UInt32.max) && range < UInt64.max, "only wide ranges are needed here")
        var mask = range
        for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
        while true {
            let value = nextUInt64() & mask
            if value <= range { return low + value }
        }
    }

    private mutating func twist() {
        for index in 0..<624 {
            let y = (state[index] & 0x8000_0000) | (state[(index + 1) % 624] & 0x7FFF_FFFF)
            var next = state[(index + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { next ^= 0x9908_B0DF }
            state[index] = next
        }
        position = 0
    }
}
