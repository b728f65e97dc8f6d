import Testing
@testable import Tokenization

/// The bulk build (`TokenBytesTable(keys:ends:values:)`, which inserts in slot order) holds exactly
/// what inserting the keys one by one holds.
@Suite struct TokenBytesTableTests {
    /// Random keys of 1–40 bytes (some repeated with a new value, as a file could) and lookups of keys
    /// that are in the table and keys that are not.
    @Test(arguments: [1, 7, 300, 20_000])
    func bulkBuildEqualsInsertingOneByOne(_ count: Int) {
        var random = BacktrackingEncoderTests.Random(state: UInt64(count))
        var keys: [[UInt8]] = []
        for i in 0..<count {
            if i > 0, random.next(10) == 0 {
                keys.append(keys[random.next(keys.count)])  // a repeat
                continue
            }
            let length = 1 + random.next(random.next(4) == 0 ? 40 : 6)
            keys.append((0..<length).map { _ in UInt8(random.next(7)) })  // few letters: shared prefixes
        }
        var one = TokenBytesTable(capacity: 16)
        var flat: [UInt8] = []
        var ends: [Int] = []
        for (value, key) in keys.enumerated() {
            one.insert(key, value: UInt32(value))
            flat += key
            ends.append(flat.count)
        }
        let bulk = TokenBytesTable(keys: flat, ends: ends, values: (0..<UInt32(keys.count)).map { $0 })
        #expect(bulk.count == one.count)
        #expect(bulk.maxKeyLength == one.maxKeyLength)
        var held: [[UInt8]: UInt32] = [:]
        one.forEach { key, value in held[key] = value }
        var bulkHeld: [[UInt8]: UInt32] = [:]
        bulk.forEach { key, value in bulkHeld[key] = value }
        #expect(bulkHeld == held)
        for key in keys { #expect(bulk.value(key) == one.value(key)) }
        let frozen = FrozenTokenBytesTable(bulk)
        for _ in 0..<2000 {
            let probe = (0..<(1 + random.next(12))).map { _ in UInt8(random.next(7)) }
            let expected = one.value(probe)
            #expect(bulk.value(probe) == expected)
            #expect(probe.withUnsafeBytes { frozen.view.value($0.baseAddress!, $0.count) } == expected)
        }
    }
}
