import Testing
@testable import Curation

/// Both hash families estimate Jaccard similarity without bias: over many pairs of sets with a known
/// similarity, the share of equal signature values is that similarity.
@Suite struct MinHashFamilyTests {
    /// Pairs of sets of 64-bit "shingle hashes" with Jaccard similarity `shared / (shared + 2·own)`.
    static func estimate(_ family: MinHashSigner.Family, shared: Int, own: Int, pairs: Int, seed: UInt64) -> Double {
        let signer = MinHashSigner(permutations: 128, seed: 7, family: family)
        var generator = SplitMix(state: seed)
        var equal = 0
        var total = 0
        for _ in 0..<pairs {
            let common = (0..<shared).map { _ in generator.next() }
            let a = common + (0..<own).map { _ in generator.next() }
            let b = common + (0..<own).map { _ in generator.next() }
            var sa: [UInt8] = [], sb: [UInt8] = []
            a.withUnsafeBufferPointer { signer.sign($0, into: &sa) }
            b.withUnsafeBufferPointer { signer.sign($0, into: &sb) }
            let size = signer.valueSize
            for k in 0..<signer.count where sa[(k * size)..<((k + 1) * size)] == sb[(k * size)..<((k + 1) * size)] { equal += 1 }
            total += signer.count
        }
        return Double(equal) / Double(total)
    }

    @Test(arguments: MinHashSigner.Family.allCases)
    func estimatesJaccardWithoutBias(family: MinHashSigner.Family) {
        for (shared, own) in [(20, 40), (50, 25), (160, 20), (90, 5)] {
            let truth = Double(shared) / Double(shared + 2 * own)
            let estimated = Self.estimate(family, shared: shared, own: own, pairs: 200, seed: UInt64(shared * 31 + own))
            // 200 pairs × 128 values: the standard error is below 0.005.
            #expect(abs(estimated - truth) < 0.02, "\(family): J = \(truth), estimated \(estimated)")
        }
    }

    @Test func seedsGiveIndependentPermutations() {
        for family in MinHashSigner.Family.allCases {
            let hashes: [UInt64] = (0..<50).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
            var one: [UInt8] = [], two: [UInt8] = []
            hashes.withUnsafeBufferPointer { MinHashSigner(permutations: 112, seed: 1, family: family).sign($0, into: &one) }
            hashes.withUnsafeBufferPointer { MinHashSigner(permutations: 112, seed: 2, family: family).sign($0, into: &two) }
            #expect(one.count == 112 * (family == .fast ? 4 : 8))
            #expect(one != two)
        }
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
