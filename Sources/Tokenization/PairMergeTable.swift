/// Merge rules of a `tokenizer.json` BPE model: the pair (left id, right id) → (merge priority, merged id).
struct PairMergeTable: Sendable {
    struct Merge: Sendable {
        var rank: UInt32
        var merged: UInt32
    }

    private var keys: [UInt64]
    private var merges: [Merge]
    private var mask: Int
    private static let empty = UInt64.max
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        merges = Array(repeating: Merge(rank: 0, merged: 0), count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func key(_ left: UInt32, _ right: UInt32) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    /// Where probing for `key` starts (`TokenizerCache.layoutFingerprint` covers it).
    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & mask
    }

    /// Adds a rule; a later rule for the same pair replaces an earlier one (as `tokenizers` builds its map).
    mutating func insert(left: UInt32, right: UInt32, merge: Merge) {
        let k = Self.key(left, right)
        var index = Self.slot(k, mask)
        while keys[index] != Self.empty {
            if keys[index] == k {
                merges[index] = merge
                return
            }
            index = (index &+ 1) & mask
        }
        keys[index] = k
        merges[index] = merge
        count += 1
    }

    var storage: (keys: [UInt64], merges: [Merge], mask: Int) { (keys, merges, mask) }

    @inline(__always)
    func merge(_ left: UInt32, _ right: UInt32) -> Merge? {
        let k = Self.key(left, right)
        return keys.withUnsafeBufferPointer { keys in
            var index = Self.slot(k, mask)
            while true {
                let found = keys[index]
                if found == k { return merges[index] }
                if found == Self.empty { return nil }
                index = (index &+ 1) & mask
            }
        }
    }
}

/// A finished `PairMergeTable` in memory of its own, read through raw pointers from any thread (see
/// `FrozenTokenBytesTable` for why).
final class FrozenPairMergeTable: @unchecked Sendable {
    private let keys: UnsafeMutableBufferPointer<UInt64>
    private let merges: UnsafeMutableBufferPointer<PairMergeTable.Merge>
    let view: PairMergeView
    /// The mapped image the buffers point into (`TokenizerCache`), or nil when they are ours to free.
    private let image: TokenizerImage?

    init(_ table: PairMergeTable) {
        image = nil
        let parts = table.storage
        keys = .allocate(capacity: parts.keys.count)
        _ = keys.initialize(from: parts.keys)
        merges = .allocate(capacity: parts.merges.count)
        _ = merges.initialize(from: parts.merges)
        view = PairMergeView(keys: UnsafePointer(keys.baseAddress!), merges: UnsafePointer(merges.baseAddress!), mask: parts.mask)
    }

    /// The table as saved by `write(to:)`.
    init(image: TokenizerImage) throws(TokenizerImage.Invalid) {
        self.image = image
        let mask = try image.mask("merge table")
        keys = try image.buffer(UInt64.self, count: mask + 1)
        merges = try image.buffer(PairMergeTable.Merge.self, count: mask + 1)
        view = PairMergeView(keys: UnsafePointer(keys.baseAddress!), merges: UnsafePointer(merges.baseAddress!), mask: mask)
    }

    func write(to writer: inout TokenizerImageWriter) {
        writer.int(view.mask)
        writer.buffer(keys)
        writer.buffer(merges)
    }

    deinit {
        guard image == nil else { return }
        keys.deallocate()
        merges.deallocate()
    }
}

struct PairMergeView: @unchecked Sendable {
    let keys: UnsafePointer<UInt64>
    let merges: UnsafePointer<PairMergeTable.Merge>
    let mask: Int

    @inline(__always)
    func merge(_ left: UInt32, _ right: UInt32) -> PairMergeTable.Merge? {
        let k = UInt64(left) << 32 | UInt64(right)
        var index = PairMergeTable.slot(k, mask)
        while true {
            let found = keys[index]
            if found == k { return merges[index] }
            if found == UInt64.max { return nil }
            index = (index &+ 1) & mask
        }
    }
}
