/// MinHash signatures with datatrove's hash family: for shingle hash `h` and permutation `k`,
/// `((h · a_k + b_k) mod 2^64) mod (2^61 − 1)`, minimized over the document's shingles, where the
/// `a_k, b_k` are drawn by NumPy's `RandomState(seed)` exactly as datatrove draws them. The same seed
/// gives datatrove's signatures bit for bit.
struct MinHashSigner: Sendable {
    static let mersennePrime: UInt64 = (1 << 61) - 1

    let a: [UInt64]
    let b: [UInt64]
    var count: Int { a.count }

    init(permutations: Int, seed: UInt32) {
        var random = LegacyNumpyRandom(seed: seed)
        a = (0..<permutations).map { _ in random.randint(low: 1, high: Self.mersennePrime) }
        b = (0..<permutations).map { _ in random.randint(low: 0, high: Self.mersennePrime) }
    }

    /// The signature of a document with these shingle hashes (at least one) into `mins`.
    func sign(_ hashes: UnsafeBufferPointer<UInt64>, into mins: inout [UInt64]) {
        mins.removeAll(keepingCapacity: true)
        mins.append(contentsOf: repeatElement(UInt64.max, count: count))
        guard !hashes.isEmpty else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                mins.withUnsafeMutableBufferPointer { mins in
                    // Four shingles per sweep over the permutations: each minimum is loaded and stored
                    // once per four (a short last block repeats its last hash; a minimum does not mind).
                    var index = 0
                    let n = hashes.count
                    while index < n {
                        let h0 = hashes[index]
                        let h1 = hashes[Swift.min(index + 1, n - 1)]
                        let h2 = hashes[Swift.min(index + 2, n - 1)]
                        let h3 = hashes[Swift.min(index + 3, n - 1)]
                        Self.fold(h0, h1, h2, h3, into: mins, a: a, b: b)
                        index += 4
                    }
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

    @inline(__always)
    static func fold(_ h0: UInt64, _ h1: UInt64, _ h2: UInt64, _ h3: UInt64, into mins: UnsafeMutableBufferPointer<UInt64>,
                     a: UnsafeBufferPointer<UInt64>, b: UnsafeBufferPointer<UInt64>) {
        for k in 0..<mins.count {
            let ak = a[k], bk = b[k]
            let low = Swift.min(permute(h0, ak, bk), permute(h1, ak, bk))
            let high = Swift.min(permute(h2, ak, bk), permute(h3, ak, bk))
            mins[k] = Swift.min(mins[k], Swift.min(low, high))
        }
    }
}
