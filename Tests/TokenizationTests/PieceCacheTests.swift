import Testing
@testable import Tokenization

/// The encoders' piece cache: what it hands back is what was put in, and a piece in use outlives the
/// one-off pieces that fill a generation.
@Suite struct PieceCacheTests {
    /// A key and its hash inputs, as `TokenEncoder.cached` computes them.
    struct Key {
        let bytes: [UInt8]
        var word: UInt64 { bytes.withUnsafeBytes { TokenBytesTable.prefix($0.baseAddress!, bytes.count, available: bytes.count) } }
        var hash: UInt64 { bytes.withUnsafeBytes { TokenBytesTable.hash(prefix: word, $0.baseAddress!, bytes.count) } }
        init(_ text: String) { bytes = Array(text.utf8) }
        init(bytes: [UInt8]) { self.bytes = bytes }
    }

    static func lookup(_ cache: inout PieceCache, _ key: Key) -> [UInt32]? {
        var out: [UInt32] = [7]  // ids already in the output stay in front
        let found = key.bytes.withUnsafeBufferPointer { cache.lookup($0.baseAddress!, key.bytes.count, word: key.word, hash: key.hash, into: &out) }
        guard found else {
            #expect(out == [7], "a miss appends nothing")
            return nil
        }
        #expect(out.first == 7)
        return Array(out.dropFirst())
    }

    static func insert(_ cache: inout PieceCache, _ key: Key, _ ids: [UInt32]) {
        key.bytes.withUnsafeBufferPointer { cache.insert($0.baseAddress!, key.bytes.count, word: key.word, hash: key.hash, ids: ids[...]) }
    }

    @Test func idsComeBackForTheExactKeyOnly() {
        var cache = PieceCache(slots: 1024)
        defer { cache.deallocate() }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        var entries: [(Key, [UInt32])] = []
        for length in 2...PieceCache.maxPieceLength {
            // Bytes from a small set (so keys share prefixes), some not ASCII.
            let key = Key(bytes: (0..<length).map { _ in [0x20, 0x61, 0x62, 0x5F, 0xE4, 0xB8, 0xAD][next(7)] })
            let ids = (0..<1 + next(min(length, 12))).map { _ in UInt32(next(200_000)) }
            entries.append((key, ids))
            Self.insert(&cache, key, ids)
        }
        for (key, ids) in entries.suffix(20) {
            #expect(Self.lookup(&cache, key) == ids, "\(key.bytes)")
            // The same length and first 8 bytes, one byte changed past them: not this entry.
            guard key.bytes.count > 9 else { continue }
            var other = key.bytes
            other[other.count - 1] ^= 0x01
            let changed = Key(bytes: other)
            if !entries.contains(where: { $0.0.bytes == changed.bytes }) {
                #expect(Self.lookup(&cache, changed) == nil)
            }
        }
        // Keys of up to 8 bytes that differ only in length (trailing zero bytes) are told apart.
        Self.insert(&cache, Key("ab"), [1])
        Self.insert(&cache, Key("ab\0"), [2, 3])
        #expect(Self.lookup(&cache, Key("ab")) == [1])
        #expect(Self.lookup(&cache, Key("ab\0")) == [2, 3])
    }

    /// One-off pieces fill generation after generation; a piece looked up all along stays, and a
    /// one-off piece from long ago is gone (the cache does not grow).
    @Test func aPieceInUseOutlivesOneOffPieces() {
        var cache = PieceCache(slots: 16)
        defer { cache.deallocate() }
        let hot = Key(" frequently_used_identifier")
        Self.insert(&cache, hot, [11, 12, 13])
        for i in 0..<500 {
            let oneOff = Key(" rare_\(i)_name")
            #expect(Self.lookup(&cache, oneOff) == nil)
            Self.insert(&cache, oneOff, [UInt32(i), 1])
            if i % 8 == 0 { #expect(Self.lookup(&cache, hot) == [11, 12, 13], "after \(i) one-off pieces") }
        }
        #expect(Self.lookup(&cache, Key(" rare_0_name")) == nil)
        #expect(Self.lookup(&cache, Key(" rare_499_name")) == [499, 1])
        // An entry larger than a whole generation's arena (48 words here) is not cached, and nothing breaks.
        let huge = Key(String(repeating: "x", count: PieceCache.maxPieceLength))
        Self.insert(&cache, huge, (0..<48).map { UInt32($0) })
        #expect(Self.lookup(&cache, huge) == nil)
        #expect(Self.lookup(&cache, Key(" rare_499_name")) == [499, 1])
    }
}
