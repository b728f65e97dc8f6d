import Testing
@testable import Curation

/// The repetition rules' table must name the first equal element, whatever the hashes and the growth.
@Suite struct DistinctTableTests {
    @Test func firstEqualElementThroughGrowthResetsAndTagCollisions() {
        let table = DistinctTable(capacity: 4)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let count = Int.random(in: 1...3000, using: &generator)
            let values = (0..<count).map { _ in Int.random(in: 0..<(count / 3 + 1), using: &generator) }
            // Round 0..9: a good hash; 10..19: every value shares the same top 32 bits, so only `equal` tells.
            let hash = { (v: Int) -> UInt64 in round < 10 ? UInt64(v) &* 0x9E37_79B9_7F4A_7C15 : 0xABCD_0000_0000 | UInt64(v % 7) }
            table.reset(expected: round % 2 == 0 ? 1 : count)
            var firsts: [Int: Int] = [:]
            for (k, v) in values.enumerated() {
                let first = table.insert(k, hash: hash(v)) { values[$0] == v }
                #expect(first == firsts[v, default: k], "round \(round), element \(k)")
                if firsts[v] == nil { firsts[v] = k }
            }
            #expect(table.count == firsts.count)
            // Looking up adds nothing, and finds what insert found.
            for v in 0..<(count / 3 + 10) {
                #expect(table.first(hash: hash(v)) { values[$0] == v } == firsts[v], "round \(round), value \(v)")
            }
            #expect(table.count == firsts.count)
        }
    }
}
