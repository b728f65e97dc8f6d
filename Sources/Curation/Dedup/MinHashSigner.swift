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

    /// Resets `mins` to "no shingle yet".
    func reset(_ mins: inout [UInt64]) {
        mins.removeAll(keepingCapacity: true)
        mins.append(contentsOf: repeatElement(UInt64.max, count: count))
    }

    /// Folds one shingle hash into `mins`.
    @inline(__always)
    func add(_ h: UInt64, to mins: UnsafeMutableBufferPointer<UInt64>, a: UnsafeBufferPointer<UInt64>, b: UnsafeBufferPointer<UInt64>) {
        let p = Self.mersennePrime
        for k in 0..<mins.count {
            let x = h &* a[k] &+ b[k]
            var r = (x & p) &+ (x >> 61)
            if r >= p { r &-= p }
            if r < mins[k] { mins[k] = r }
        }
    }
}
