/// SplitMix64 (Steele, Lea & Flood 2014): the trainer's seeded generator. fastText's own (minstd_rand per
/// thread) is not reproduced; weights differ from the reference's bit for bit, not in quality.
struct FastTextRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [−a, a).
    @inline(__always)
    mutating func uniform(_ a: Float) -> Float {
        let unit = Float(next() >> 40) * (1.0 / 16_777_216.0)
        return (unit * 2 - 1) * a
    }

    /// Uniform in 0..<n (n > 0; the modulo bias is below 2^-40 for label counts).
    @inline(__always)
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
