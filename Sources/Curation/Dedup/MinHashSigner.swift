/// MinHash signatures: for each of `count` permutations, the minimum over a document's shingle hashes.
///
/// Two hash families:
/// - `datatrove`: for shingle hash `h` and permutation `k`, `((h · a_k + b_k) mod 2^64) mod (2^61 − 1)`,
///   with the `a_k, b_k` NumPy's `RandomState(seed)` draws for datatrove; the same seed gives datatrove's
///   signatures bit for bit. 64-bit arithmetic: about 1.5 cycles per permutation and shingle with AVX2.
/// - `fast` (the default): `fmix32(x ^ s_k)`, MurmurHash3's 32-bit finalizer of the shingle hash folded to
///   32 bits and xor-ed with a per-permutation seed. Eight permutations per AVX2 instruction, about 4.5×
///   the other; the same LSH behaviour (a bijection per permutation, well mixed), other values.
struct MinHashSigner: Sendable {
    enum Family: String, Sendable, CaseIterable {
        case fast, datatrove
    }

    static let mersennePrime: UInt64 = (1 << 61) - 1

    let family: Family
    let count: Int
    /// datatrove's parameters (empty for `fast`).
    let a: [UInt64]
    let b: [UInt64]
    /// `fast`'s seeds, eight permutations per vector (the last vector padded).
    let seeds: [SIMD8<UInt32>]

    /// Bytes of one signature value: 8 (`datatrove`) or 4 (`fast`).
    var valueSize: Int { family == .datatrove ? 8 : 4 }

    init(permutations: Int, seed: UInt32, family: Family = .datatrove) {
        self.family = family
        count = permutations
        switch family {
        case .datatrove:
            var random = LegacyNumpyRandom(seed: seed)
            a = (0..<permutations).map { _ in random.randint(low: 1, high: Self.mersennePrime) }
            b = (0..<permutations).map { _ in random.randint(low: 0, high: Self.mersennePrime) }
            seeds = []
        case .fast:
            a = []
            b = []
            var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 ^ 0x5EED
            var values: [UInt32] = []
            for _ in 0..<((permutations + 7) / 8 * 8) {
                // SplitMix64.
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                values.append(UInt32(truncatingIfNeeded: z ^ (z >> 31)))
            }
            seeds = stride(from: 0, to: values.count, by: 8).map { SIMD8(values[$0..<($0 + 8)]) }
        }
    }

    /// The signature of a document with these shingle hashes (at least one), as `count` values of
    /// `valueSize` bytes, into `signature` (replaced).
    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into signature: inout [UInt8]) {
        switch family {
        case .datatrove:
            var mins = [UInt64](repeating: .max, count: count)
            if !hashes.isEmpty { mins.withUnsafeMutableBufferPointer { signDatatrove(hashes, into: $0) } }
            signature = mins.withUnsafeBytes { Array($0) }
        case .fast:
            var mins = [SIMD8<UInt32>](repeating: SIMD8(repeating: .max), count: seeds.count)
            if !hashes.isEmpty { mins.withUnsafeMutableBufferPointer { signFast(hashes, into: $0) } }
            signature = mins.withUnsafeBytes { Array($0.prefix(count * 4)) }
        }
    }

    // MARK: datatrove

    private func signDatatrove(_ hashes: UnsafeBufferPointer<UInt64>, into mins: UnsafeMutableBufferPointer<UInt64>) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                // Four shingles per sweep over the permutations: each minimum is loaded and stored once per
                // four (a short last block repeats its last hash; a minimum does not mind).
                var index = 0
                let n = hashes.count
                while index < n {
                    let h0 = hashes[index]
                    let h1 = hashes[Swift.min(index + 1, n - 1)]
                    let h2 = hashes[Swift.min(index + 2, n - 1)]
                    let h3 = hashes[Swift.min(index + 3, n - 1)]
                    for k in 0..<mins.count {
                        let ak = a[k], bk = b[k]
                        let low = Swift.min(Self.permute(h0, ak, bk), Self.permute(h1, ak, bk))
                        let high = Swift.min(Self.permute(h2, ak, bk), Self.permute(h3, ak, bk))
                        mins[k] = Swift.min(mins[k], Swift.min(low, high))
                    }
                    index += 4
                }
            }
        }
    }

    @inline(__always)
    static func permute(_ h: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        let p = mersennePrime
        let x = h &* a &+ b
        let r = (x & p) &+ (x >> 61)
        // Branch-free: r < 2p, so one conditional subtraction reduces it.
        return r >= p ? r &- p : r
    }

    // MARK: fast

    private func signFast(_ hashes: UnsafeBufferPointer<UInt64>, into mins: UnsafeMutableBufferPointer<SIMD8<UInt32>>) {
        seeds.withUnsafeBufferPointer { seeds in
            var index = 0
            let n = hashes.count
            while index < n {
                let x0 = SIMD8(repeating: Self.fold(hashes[index]))
                let x1 = SIMD8(repeating: Self.fold(hashes[Swift.min(index + 1, n - 1)]))
                let x2 = SIMD8(repeating: Self.fold(hashes[Swift.min(index + 2, n - 1)]))
                let x3 = SIMD8(repeating: Self.fold(hashes[Swift.min(index + 3, n - 1)]))
                for k in 0..<mins.count {
                    let s = seeds[k]
                    let low = pointwiseMin(Self.mix(x0 ^ s), Self.mix(x1 ^ s))
                    let high = pointwiseMin(Self.mix(x2 ^ s), Self.mix(x3 ^ s))
                    mins[k] = pointwiseMin(mins[k], pointwiseMin(low, high))
                }
                index += 4
            }
        }
    }

    @inline(__always)
    static func fold(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h ^ (h >> 32)) }

    /// MurmurHash3's 32-bit finalizer, eight lanes at once.
    @inline(__always)
    static func mix(_ v: SIMD8<UInt32>) -> SIMD8<UInt32> {
        var h = v
        h ^= h &>> 16
        h &*= 0x85EB_CA6B
        h ^= h &>> 13
        h &*= 0xC2B2_AE35
        h ^= h &>> 16
        return h
    }
}
