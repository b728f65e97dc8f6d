import Testing
@testable import Curation

/// The radix sorts behind the benchmark index: the order of a stable comparison sort.
@Suite struct RadixSortTests {
    @Test func keysWithValuesSortLikeAStableSort() {
        var random = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 100, 5_000] {
            // Few distinct keys, so equal keys must keep their values' order; some keys differ only in high bits.
            var keys = (0..<count).map { _ in UInt64.random(in: 0..<50, using: &random) << (UInt64.random(in: 0..<4, using: &random) * 20) }
            var values = (0..<UInt32(count)).map { $0 }
            let expected = zip(keys, values).enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element)
            RadixSort.sort(keys: &keys, values: &values)
            #expect(keys == expected.map(\.0) && values == expected.map(\.1), "\(count) keys")
        }
    }

    @Test func valuesSortByTheirTopHalfKeepingTheOrderOfEqualHalves() {
        var random = SystemRandomNumberGenerator()
        var values = (0..<UInt64(20_000)).map { UInt64.random(in: 0..<300, using: &random) << 32 | $0 }
        let expected = values.enumerated().sorted { ($0.element >> 32, $0.offset) < ($1.element >> 32, $1.offset) }.map(\.element)
        RadixSort.sort(&values, lowestBit: 32)
        #expect(values == expected)
        var whole = (0..<1000).map { _ in UInt64.random(in: 0...UInt64.max, using: &random) }
        let sorted = whole.sorted()
        RadixSort.sort(&whole)
        #expect(whole == sorted)
    }
}
