/// Polynomial prefix hashes modulo 2^61 − 1 of a scalar sequence: the hash of any slice in O(1).
struct PrefixHash {
    private static let modulus: UInt64 = (1 << 61) - 1
    private static let base: UInt64 = 0x1F3D_5B79_A3C1_0457 % modulus
    private var prefix: [UInt64]
    private var powers: [UInt64]

    init(_ values: [UInt32]) {
        prefix = [UInt64](repeating: 0, count: values.count + 1)
        powers = [UInt64](repeating: 1, count: values.count + 1)
        for (i, v) in values.enumerated() {
            prefix[i + 1] = Self.add(Self.multiply(prefix[i], Self.base), UInt64(v) + 1)
            powers[i + 1] = Self.multiply(powers[i], Self.base)
        }
    }

    /// The hash of `values[start..<end]`.
    @inline(__always)
    func hash(_ start: Int, _ end: Int) -> UInt64 {
        let shifted = Self.multiply(prefix[start], powers[end - start])
        let h = prefix[end] >= shifted ? prefix[end] - shifted : prefix[end] + Self.modulus - shifted
        return h ^ UInt64(end - start) << 61
    }

    @inline(__always)
    private static func multiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        // (high·2^64 + low) mod (2^61 − 1), with 2^64 ≡ 2^3.
        let folded = (low & modulus) + (low >> 61) + (high << 3)
        let once = (folded & modulus) + (folded >> 61)
        return once >= modulus ? once - modulus : once
    }

    @inline(__always)
    private static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let sum = a + b
        return sum >= modulus ? sum - modulus : sum
    }
}
