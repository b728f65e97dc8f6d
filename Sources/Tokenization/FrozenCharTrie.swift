/// The tokens that start with a three-byte UTF-8 character (CJK, kana, Hangul, Indic scripts…), as a
/// trie over whole three-byte characters: the backtracking encoder's longest match on Chinese text walks
/// it one character per step instead of one byte per step through hashed prefixes.
///
/// Qwen, measured (`perf`, zh): the byte-wise longest match did ~4.7 prefix-bit steps and ~2.4 probes of
/// the 4 MiB vocabulary per Chinese position, and was a fifth of all samples. Here a position costs one
/// load from a table indexed by the character (256 KiB, its Han part 84 KiB) and, per further character,
/// a 32 KiB filter bit and (if set) one probe of a 512 KiB child table; none when the node has no
/// children. Qwen: 14,859 first characters, 26,121 longer nodes. Encode-only on the Chinese corpus
/// (in-process, alternating rounds): 0.79× the time of the byte-wise search.
///
/// Exactness: a node is *irregular* when some token extends its bytes by something other than whole
/// three-byte characters (a partial character, an ASCII byte, …; 373 of qwen's 151k tokens). The walk
/// gives up (the caller uses the byte-wise search) on meeting an irregular node or a first character
/// that is no token, so when it answers, every token starting at the position is on its path.
/// Raw memory, shared read-only by every encoder.
final class FrozenCharTrie: @unchecked Sendable {
    private let roots: UnsafeMutableBufferPointer<UInt32>
    private let children: UnsafeMutableBufferPointer<UInt64>
    private let filter: UnsafeMutableBufferPointer<UInt64>
    let view: CharTrieView
    /// The mapped image the buffers point into (`TokenizerCache`), or nil when they are ours to free.
    private let image: TokenizerImage?

    /// Built from a ranked vocabulary whose ids fit in 24 bits.
    init(_ table: TokenBytesTable) {
        image = nil
        let roots = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 1 << 16)
        var extra = 0
        table.forEachKey { key, _ in
            guard Self.character(key, 0) != nil else { return }
            var i = 3
            while Self.character(key, i) != nil { i += 3; extra += 1 }
        }
        // Nodes are at most `extra` (fewer when tokens share prefixes): try half full, grow if need be.
        var size = 1 << 10
        while size < extra { size <<= 1 }
        var children = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: size)
        var count = 0
        while true {
            roots.initialize(repeating: CharTrieView.noToken)
            children.initialize(repeating: CharTrieView.empty)
            count = Self.fill(roots, children, from: table, limit: size / 2)
            if count <= size / 2 { break }
            children.deallocate()
            size <<= 1
            children = .allocate(capacity: size)
        }
        // One bit per child key's hash, 8 bits per node (qwen: 32 KiB): most steps of a walk find no child.
        var bits = 1 << 12
        while bits < count * 8 { bits <<= 1 }
        let filter = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: bits >> 6)
        filter.initialize(repeating: 0)
        for slot in 0..<size where children[slot] != CharTrieView.empty {
            let b = CharTrieView.filterBit(children[slot] >> 26, bits - 1)
            filter[b >> 6] |= 1 << UInt64(b & 63)
        }
        self.roots = roots
        self.children = children
        self.filter = filter
        view = CharTrieView(roots: UnsafePointer(roots.baseAddress!), children: UnsafePointer(children.baseAddress!), mask: size - 1,
                            filter: UnsafePointer(filter.baseAddress!), filterMask: bits - 1)
    }

    /// The trie as saved by `write(to:)`.
    init(image: TokenizerImage) throws(TokenizerImage.Invalid) {
        self.image = image
        let mask = try image.mask("trie")
        let filterMask = try image.mask("trie filter")
        roots = try image.buffer(UInt32.self, count: 1 << 16)
        children = try image.buffer(UInt64.self, count: mask + 1)
        filter = try image.buffer(UInt64.self, count: (filterMask + 1) >> 6)
        view = CharTrieView(roots: UnsafePointer(roots.baseAddress!), children: UnsafePointer(children.baseAddress!), mask: mask,
                            filter: UnsafePointer(filter.baseAddress!), filterMask: filterMask)
    }

    func write(to writer: inout TokenizerImageWriter) {
        writer.int(view.mask)
        writer.int(view.filterMask)
        writer.buffer(roots)
        writer.buffer(children)
        writer.buffer(filter)
    }

    deinit {
        guard image == nil else { return }
        roots.deallocate()
        children.deallocate()
        filter.deallocate()
    }

    /// Inserts every token that starts with a three-byte character; the number of child nodes (it stops
    /// early once there are more than `limit`).
    private static func fill(_ roots: UnsafeMutableBufferPointer<UInt32>, _ children: UnsafeMutableBufferPointer<UInt64>,
                             from table: TokenBytesTable, limit: Int) -> Int {
        let mask = children.count - 1
        var count = 0
        table.forEachKey { key, id in
            guard count <= limit, let c = Self.character(key, 0) else { return }
            var slot = -1  // -1: at the root of `c`
            var i = 3
            while let d = Self.character(key, i) {
                let parent: UInt64
                if slot < 0 {
                    roots[c] |= CharTrieView.hasChildren
                    parent = CharTrieView.rootBase | UInt64(c)
                } else {
                    children[slot] |= UInt64(CharTrieView.hasChildren)
                    parent = UInt64(slot)
                }
                let childKey = parent << 16 | UInt64(d)
                var s = CharTrieView.slot(childKey, mask)
                while children[s] != CharTrieView.empty, children[s] >> 26 != childKey { s = (s + 1) & mask }
                if children[s] == CharTrieView.empty {
                    children[s] = childKey << 26 | UInt64(CharTrieView.noToken)
                    count += 1
                    if count > limit { return }
                }
                slot = s
                i += 3
            }
            let mark = i == key.count ? id : CharTrieView.irregular
            if slot < 0 {
                roots[c] = i == key.count ? roots[c] & ~CharTrieView.noToken | id : roots[c] | mark
            } else if i == key.count {
                children[slot] = children[slot] & ~UInt64(CharTrieView.noToken) | UInt64(id)
            } else {
                children[slot] |= UInt64(mark)
            }
        }
        return count
    }

    /// The code point of the three-byte UTF-8 character at `i` of `key`, if there is one.
    private static func character(_ key: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        guard i + 3 <= key.count else { return nil }
        let a = key[i], b = key[i + 1], c = key[i + 2]
        guard a & 0xF0 == 0xE0, b & 0xC0 == 0x80, c & 0xC0 == 0x80 else { return nil }
        return Int(a & 0x0F) << 12 | Int(b & 0x3F) << 6 | Int(c & 0x3F)
    }
}

/// Reads of a `FrozenCharTrie` through raw pointers.
///
/// A root entry (per code point) and a child entry share their low 26 bits: the token id (24 bits,
/// `noToken` when the node's bytes are no token), `irregular` (bit 24) and `hasChildren` (bit 25). A
/// child entry holds its key above them: the parent (a child slot, or `rootBase` + code point) and the
/// character's code point (16 bits). A node is named by its slot, so a step is one load.
struct CharTrieView: @unchecked Sendable {
    let roots: UnsafePointer<UInt32>
    let children: UnsafePointer<UInt64>
    let mask: Int
    /// One bit per child key's hash: no bit, no child (checked before the child table, which misses the cache).
    let filter: UnsafePointer<UInt64>
    let filterMask: Int

    static let noToken: UInt32 = 0xFF_FFFF
    static let irregular: UInt32 = 1 << 24
    static let hasChildren: UInt32 = 1 << 25
    /// Parent numbers of root characters (slots are below: the table has fewer than 2^21 slots).
    static let rootBase: UInt64 = 1 << 21
    static let empty = UInt64.max

    @inline(__always)
    static func slot(_ key: UInt64, _ mask: Int) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h &>> 31
        return Int(truncatingIfNeeded: h) & mask
    }

    /// The filter bit of a child key (from the hash's high bits: the slot uses the low ones).
    @inline(__always)
    static func filterBit(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0xD6E8_FEB8_6659_FD93) &>> 40) & mask
    }

    /// The child slot of `parent` for character `d`, or -1.
    @inline(__always)
    func child(_ parent: UInt64, _ d: Int) -> Int {
        let key = parent &<< 16 | UInt64(d)
        let b = Self.filterBit(key, filterMask)
        if filter[b &>> 6] & (1 &<< UInt64(b & 63)) == 0 { return -1 }
        var slot = Self.slot(key, mask)
        while true {
            let entry = children[slot]
            if entry == Self.empty { return -1 }
            if entry &>> 26 == key { return slot }
            slot = (slot &+ 1) & mask
        }
    }

    /// Whether the `n` bytes at `p` are a token, when they are whole three-byte characters: its id, or
    /// -1 when they are no token; -2 when they are not such characters (the caller asks the vocabulary).
    @inline(__always)
    func token(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var c = Self.character(p, available: n)
        if c < 0 || n % 3 != 0 { return -2 }
        var flags = roots[c]
        var parent = Self.rootBase | UInt64(c)
        var depth = 3
        while depth < n {
            c = Self.character(p + depth, available: n &- depth)
            if c < 0 { return -2 }
            if flags & Self.hasChildren == 0 { return -1 }
            let slot = child(parent, c)
            if slot < 0 { return -1 }
            flags = UInt32(truncatingIfNeeded: children[slot]) & 0x3FF_FFFF
            parent = UInt64(slot)
            depth &+= 3
        }
        let id = flags & Self.noToken
        return id == Self.noToken ? -1 : Int(id)
    }

    /// The code point of the three-byte character at `p` (`available` bytes), or -1.
    @inline(__always)
    static func character(_ p: UnsafePointer<UInt8>, available: Int) -> Int {
        guard available >= 3 else { return -1 }
        let a = p[0], b = p[1], c = p[2]
        guard a & 0xF0 == 0xE0, b & 0xC0 == 0x80, c & 0xC0 == 0x80 else { return -1 }
        return Int(a & 0x0F) &<< 12 | Int(b & 0x3F) &<< 6 | Int(c & 0x3F)
    }

    /// The longest token starting at `p` when it starts with a three-byte character that is a token:
    /// its id, its length, and a reach (no span from `p` this long or longer is a token). Nil when the
    /// byte-wise search must answer (no such character here, or an irregular node on the way).
    @inline(__always)
    func longestMatch(_ p: UnsafePointer<UInt8>, available: Int, steps: inout Int) -> (id: UInt32, length: Int, reach: Int)? {
        let c = Self.character(p, available: available)
        if c < 0 { return nil }
        let root = roots[c]
        if root & Self.irregular != 0 || root & Self.noToken == Self.noToken { return nil }
        var best = (id: root & Self.noToken, length: 3)
        var flags = root
        var parent = Self.rootBase | UInt64(c)
        var depth = 3
        while flags & Self.hasChildren != 0 {
            let d = Self.character(p + depth, available: available &- depth)
            if d < 0 { break }
            steps &+= 1
            let slot = child(parent, d)
            if slot < 0 { break }
            flags = UInt32(truncatingIfNeeded: children[slot]) & 0x3FF_FFFF
            if flags & Self.irregular != 0 { return nil }
            depth &+= 3
            if flags & Self.noToken != Self.noToken { best = (flags & Self.noToken, depth) }
            parent = UInt64(slot)
        }
        return (best.id, best.length, depth &+ 1)
    }
}
