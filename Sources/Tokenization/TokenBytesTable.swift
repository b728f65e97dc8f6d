#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from byte strings (tokens) to 32-bit values (ranks or ids).
///
/// BPE merging does about three lookups per byte of text, most of them for keys of 2–8 bytes, so a
/// slot holds the key's first 8 bytes inline: a short key is one 8-byte compare, no `memcmp`, no second
/// memory access. Bytes past the eighth live in an arena. Slots are 16 bytes and the table stays at most
/// 5/8 full (cl100k's 100k tokens: 4 MiB).
struct TokenBytesTable: Sendable {
    private struct Slot {
        /// The first 8 bytes of the key, little-endian, zero-padded.
        var prefix: UInt64 = 0
        var value: UInt32 = 0
        /// Key length in the low 8 bits (0 = empty slot; keys are 1–255 bytes), arena offset of the bytes
        /// past the eighth in the upper 24.
        var info: UInt32 = 0
    }

    private var slots: [Slot]
    /// Two-byte keys by direct index (256 KiB, stays in L2): every piece starts with one lookup per byte
    /// pair, and `perf` showed the hash table's cache misses dominating BPE merges before this.
    private var twoByte = [UInt32](repeating: .max, count: 1 << 16)
    private var arena: [UInt8] = [0]
    /// One bit per hash value (2^21 bits): see `TokenBytesView.presence`.
    private var presence = [UInt64](repeating: 0, count: 1 << 15)
    private var mask: Int
    private(set) var count = 0
    /// The longest key: longer lookups fail without hashing (a long CJK piece is never a token).
    private(set) var maxKeyLength = 0
    /// Keys of 256 bytes or more (none in real vocabularies) are kept aside.
    private var oversized: [[UInt8]: UInt32] = [:]

    init(capacity: Int) {
        var size = 16
        while size * 5 < capacity * 8 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// Up to 8 bytes at `p` as a little-endian integer; `available` bytes may be read from `p`.
    @inline(__always)
    static func prefix(_ p: UnsafeRawPointer, _ n: Int, available: Int) -> UInt64 {
        if available >= 8 {
            let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            return n >= 8 ? word : word & ((1 &<< UInt64(n &* 8)) &- 1)
        }
        var word: UInt64 = 0
        for i in 0..<min(n, 8) { word |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(i &* 8) }
        return word
    }

    @inline(__always)
    static func hash(prefix: UInt64, _ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h = (prefix ^ (UInt64(truncatingIfNeeded: n) &<< 56)) &* 0x9E37_79B9_7F4A_7C15
        if n > 8 { h = (h ^ Self.tailHash(p + 8, n &- 8)) &* 0xBF58_476D_1CE4_E5B9 }
        return h ^ (h >> 29)
    }

    private static func tailHash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9FB2_1C65_1E98_DF25
            h ^= h >> 32
            i &+= 8
        }
        while i < n {
            h = (h ^ UInt64(p.load(fromByteOffset: i, as: UInt8.self))) &* 0x100_0000_01B3
            i &+= 1
        }
        return h
    }

    /// A general byte-string hash (the piece cache uses it).
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        hash(prefix: prefix(p, n, available: n), p, n)
    }

    /// Inserts or replaces.
    mutating func insert(_ key: some Collection<UInt8>, value: UInt32) {
        let bytes = Array(key)
        precondition(!bytes.isEmpty, "empty token")
        bytes.withUnsafeBytes { raw in
            let (p, n) = (raw.baseAddress!, raw.count)
            if (count + 1) * 8 > slots.count * 5 { grow() }
            let prefix = Self.prefix(p, n, available: n)
            insert(p, n, prefix: prefix, hash: Self.hash(prefix: prefix, p, n), value: value)
        }
    }

    /// A table of many keys at once: key i is `keys[ends[i - 1]..<ends[i]]` (from 0 for the first), and
    /// a key given twice keeps its last value, as with `insert`. The keys go in in the order of their
    /// home slots (a stable counting sort by the slot's top bits), so the probes walk the slot array
    /// front to back instead of missing the cache on every key: inserting qwen's 151k tokens one by one
    /// took a quarter of `tokenize`'s start-up, nearly all of it waiting for memory.
    init(keys: [UInt8], ends: [Int], values: [UInt32]) {
        precondition(ends.count == values.count)
        self.init(capacity: ends.count)
        arena.reserveCapacity(keys.count)
        let count = ends.count
        struct Entry {
            var prefix: UInt64 = 0
            var hash: UInt64 = 0
            var start = 0
            var length: UInt32 = 0
            var value: UInt32 = 0
        }
        keys.withUnsafeBytes { raw in
            guard count > 0 else { return }
            let base = raw.baseAddress!
            // Slots are bucketed by the home slot's top bits: 1024 buckets (4 KiB of slots each for qwen).
            // The entries are moved into bucket order, so the insertion reads them front to back too.
            let shift = max(0, mask.nonzeroBitCount - 10)
            var bucketStarts = [Int](repeating: 0, count: (mask >> shift) + 2)
            // Both arrays are written whole before they are read: no zero fill first (2 × 4.8 MB for qwen).
            let entries = [Entry](unsafeUninitializedCapacity: count) { entries, initialized in
                var start = 0
                for i in 0..<count {
                    let n = ends[i] - start
                    precondition(n > 0, "empty token")
                    let prefix = Self.prefix(base + start, n, available: n)
                    let hash = Self.hash(prefix: prefix, base + start, n)
                    entries[i] = Entry(prefix: prefix, hash: hash, start: start, length: UInt32(n), value: values[i])
                    bucketStarts[(Int(truncatingIfNeeded: hash) & mask) >> shift + 1] += 1
                    start = ends[i]
                }
                initialized = count
            }
            for b in 1..<bucketStarts.count { bucketStarts[b] += bucketStarts[b - 1] }
            let sorted = [Entry](unsafeUninitializedCapacity: count) { sorted, initialized in
                for entry in entries {
                    let b = (Int(truncatingIfNeeded: entry.hash) & mask) >> shift
                    sorted[bucketStarts[b]] = entry
                    bucketStarts[b] += 1
                }
                initialized = count
            }
            for entry in sorted {
                insert(base + entry.start, Int(entry.length), prefix: entry.prefix, hash: entry.hash, value: entry.value)
            }
        }
    }

    /// Inserts or replaces the `n`-byte key at `p`, whose `prefix` and `hash` the caller computed; the
    /// caller makes room first.
    private mutating func insert(_ p: UnsafeRawPointer, _ n: Int, prefix: UInt64, hash h: UInt64, value: UInt32) {
        maxKeyLength = max(maxKeyLength, n)
        if n > 255 {
            oversized[Array(UnsafeRawBufferPointer(start: p, count: n))] = value
            count += 1
            return
        }
        if n == 2 { twoByte[Int(p.load(as: UInt8.self)) | Int(p.load(fromByteOffset: 1, as: UInt8.self)) << 8] = value }
        var index = Int(truncatingIfNeeded: h) & mask
        while slots[index].info != 0 {
            if let existing = matches(slots[index], prefix, p, n), existing {
                slots[index].value = value
                return
            }
            index = (index &+ 1) & mask
        }
        var offset = 0
        if n > 8 {
            offset = arena.count
            arena.append(contentsOf: UnsafeRawBufferPointer(start: p + 8, count: n - 8))
        }
        precondition(offset < 1 << 24, "token arena over 16 MiB")
        presence[Int(truncatingIfNeeded: h >> 43) >> 6] |= 1 << (h >> 43 & 63)
        slots[index] = Slot(prefix: prefix, value: value, info: UInt32(n) | UInt32(offset) << 8)
        count += 1
    }

    @inline(__always)
    private func matches(_ slot: Slot, _ prefix: UInt64, _ p: UnsafeRawPointer, _ n: Int) -> Bool? {
        guard slot.prefix == prefix, Int(slot.info & 0xFF) == n else { return nil }
        if n <= 8 { return true }
        return arena.withUnsafeBytes { memcmp($0.baseAddress! + Int(slot.info >> 8), p + 8, n - 8) == 0 } ? true : nil
    }

    /// The value of the `n`-byte key at `p`, of which `available` bytes (at least `n`) may be read.
    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int, available: Int) -> UInt32? {
        if n == 2 {
            let v = twoByte.withUnsafeBufferPointer { $0[Int(p.load(as: UInt8.self)) | Int(p.load(fromByteOffset: 1, as: UInt8.self)) << 8] }
            return v == .max ? nil : v
        }
        if n > maxKeyLength { return nil }
        if n > 255 || n == 0 { return n == 0 ? nil : oversized[Array(UnsafeRawBufferPointer(start: p, count: n))] }
        let prefix = Self.prefix(p, n, available: available)
        let h = Self.hash(prefix: prefix, p, n)
        return slots.withUnsafeBufferPointer { s in
            var index = Int(truncatingIfNeeded: h) & mask
            while true {
                let slot = s[index]
                if slot.info == 0 { return nil }
                if slot.prefix == prefix, Int(slot.info & 0xFF) == n {
                    if n <= 8 { return slot.value }
                    let same = arena.withUnsafeBytes { memcmp($0.baseAddress! + Int(slot.info >> 8), p + 8, n - 8) == 0 }
                    if same { return slot.value }
                }
                index = (index &+ 1) & mask
            }
        }
    }

    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int) -> UInt32? { value(p, n, available: n) }

    func value(_ key: some Collection<UInt8>) -> UInt32? {
        Array(key).withUnsafeBytes { $0.isEmpty ? nil : value($0.baseAddress!, $0.count) }
    }

    var hasOversized: Bool { !oversized.isEmpty }

    /// The raw parts, for `FrozenTokenBytesTable` (slot layout: prefix u64, value u32, info u32); the
    /// slots are a fresh allocation the caller owns.
    var presenceBits: [UInt64] { presence }

    var storage: (slots: UnsafeRawBufferPointer, arena: [UInt8], twoByte: [UInt32], mask: Int) {
        precondition(MemoryLayout<Slot>.stride == 16 && MemoryLayout<Slot>.offset(of: \.value) == 8 && MemoryLayout<Slot>.offset(of: \.info) == 12)
        return slots.withUnsafeBytes { raw in
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: raw.count, alignment: 16)
            copy.copyMemory(from: raw)
            return (UnsafeRawBufferPointer(copy), arena, twoByte, mask)
        }
    }

    /// Every (key, value) pair, in no particular order, without an array per key (loading walks the
    /// table's 150k keys several times; allocating each key was a tenth of `tokenize`'s start-up).
    func forEachKey(_ body: (UnsafeRawBufferPointer, UInt32) -> Void) {
        withUnsafeTemporaryAllocation(byteCount: 256, alignment: 8) { key in
            arena.withUnsafeBytes { arena in
                for slot in slots where slot.info != 0 {
                    let n = Int(slot.info & 0xFF)
                    key.storeBytes(of: slot.prefix.littleEndian, as: UInt64.self)
                    if n > 8 { (key.baseAddress! + 8).copyMemory(from: arena.baseAddress! + Int(slot.info >> 8), byteCount: n - 8) }
                    body(UnsafeRawBufferPointer(rebasing: key[..<n]), slot.value)
                }
            }
        }
        for (key, value) in oversized { key.withUnsafeBytes { body($0, value) } }
    }

    /// Every (key, value) pair, in no particular order.
    func forEach(_ body: ([UInt8], UInt32) -> Void) {
        for slot in slots where slot.info != 0 {
            let n = Int(slot.info & 0xFF)
            var key = withUnsafeBytes(of: slot.prefix.littleEndian) { Array($0.prefix(min(n, 8))) }
            if n > 8 { key += arena[Int(slot.info >> 8)..<Int(slot.info >> 8) + n - 8] }
            body(key, slot.value)
        }
        for (key, value) in oversized { body(key, value) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.info != 0 {
            let n = Int(slot.info & 0xFF)
            var tail: [UInt8] = []
            if n > 8 { tail = Array(arena[Int(slot.info >> 8)..<Int(slot.info >> 8) + n - 8]) }
            let h = tail.withUnsafeBytes { t -> UInt64 in
                var full = withUnsafeBytes(of: slot.prefix.littleEndian) { Array($0) }
                full += t
                return full.withUnsafeBytes { Self.hash(prefix: slot.prefix, $0.baseAddress!, n) }
            }
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index].info != 0 { index = (index &+ 1) & mask }
            slots[index] = slot
        }
    }
}

/// A finished `TokenBytesTable` copied into memory of its own, read through `TokenBytesView`.
///
/// Encoders on several threads read the same table; a Swift array read from a shared object is
/// retained and released around the access, and those atomic counts on one cache line from two cores
/// stopped `tokenize --workers 2` from scaling (1.0–1.1× one worker). Raw pointers have no count.
final class FrozenTokenBytesTable: @unchecked Sendable {
    private let slots: UnsafeMutableRawBufferPointer
    private let arena: UnsafeMutableBufferPointer<UInt8>
    private let twoByte: UnsafeMutableBufferPointer<UInt32>
    private let presence: UnsafeMutableBufferPointer<UInt64>
    let view: TokenBytesView
    /// The mapped image the buffers point into (`TokenizerCache`), or nil when they are ours to free.
    private let image: TokenizerImage?

    init(_ table: TokenBytesTable) {
        image = nil
        let parts = table.storage
        slots = UnsafeMutableRawBufferPointer(mutating: parts.slots)  // a fresh copy, ours to free
        arena = .allocate(capacity: max(1, parts.arena.count))
        _ = arena.initialize(from: parts.arena)
        twoByte = .allocate(capacity: parts.twoByte.count)
        _ = twoByte.initialize(from: parts.twoByte)
        presence = .allocate(capacity: 1 << 15)
        _ = presence.initialize(from: table.presenceBits)
        view = TokenBytesView(slots: UnsafeRawPointer(slots.baseAddress!), arena: UnsafePointer(arena.baseAddress!),
                              twoByte: UnsafePointer(twoByte.baseAddress!), presence: UnsafePointer(presence.baseAddress!), mask: parts.mask,
                              maxKeyLength: min(table.maxKeyLength, 255))
    }

    /// The table as saved by `write(to:)`.
    init(image: TokenizerImage) throws(TokenizerImage.Invalid) {
        self.image = image
        let mask = try image.mask("vocabulary table")
        let maxKeyLength = try image.int()
        guard (1...255).contains(maxKeyLength) else { throw TokenizerImage.Invalid(reason: "bad longest token length") }
        slots = UnsafeMutableRawBufferPointer(try image.buffer(UInt8.self, count: (mask + 1) * 16))
        arena = try image.buffer(UInt8.self)
        twoByte = try image.buffer(UInt32.self, count: 1 << 16)
        presence = try image.buffer(UInt64.self, count: 1 << 15)
        view = TokenBytesView(slots: UnsafeRawPointer(slots.baseAddress!), arena: UnsafePointer(arena.baseAddress!),
                              twoByte: UnsafePointer(twoByte.baseAddress!), presence: UnsafePointer(presence.baseAddress!), mask: mask,
                              maxKeyLength: maxKeyLength)
    }

    func write(to writer: inout TokenizerImageWriter) {
        writer.int(view.mask)
        writer.int(view.maxKeyLength)
        writer.buffer(UnsafeBufferPointer(start: slots.baseAddress!.assumingMemoryBound(to: UInt8.self), count: slots.count))
        writer.buffer(arena)
        writer.buffer(twoByte)
        writer.buffer(presence)
    }

    deinit {
        guard image == nil else { return }
        slots.deallocate()
        arena.deallocate()
        twoByte.deallocate()
        presence.deallocate()
    }
}

/// Lookups in a frozen table through raw pointers (see `FrozenTokenBytesTable`).
struct TokenBytesView: @unchecked Sendable {
    let slots: UnsafeRawPointer
    let arena: UnsafePointer<UInt8>
    let twoByte: UnsafePointer<UInt32>
    /// One bit per hash value (2^21 bits, 256 KiB, stays in L2): most keys BPE asks about are not tokens,
    /// and this says "no" to ~93% of those without touching the 4 MiB slot array, whose cache misses
    /// `perf` showed taking 45% of merge time on Chinese text.
    let presence: UnsafePointer<UInt64>
    let mask: Int
    /// At most 255: `BPETokenizer` refuses vocabularies with longer tokens (none real has them).
    let maxKeyLength: Int

    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int, available: Int) -> UInt32? {
        if n == 2 {
            let v = twoByte[Int(p.load(as: UInt8.self)) | Int(p.load(fromByteOffset: 1, as: UInt8.self)) << 8]
            return v == .max ? nil : v
        }
        if n > maxKeyLength || n == 0 { return nil }
        let prefix = TokenBytesTable.prefix(p, n, available: available)
        return value(p, n, prefix: prefix, hash: TokenBytesTable.hash(prefix: prefix, p, n))
    }

    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int) -> UInt32? { value(p, n, available: n) }

    /// The value of the `n`-byte key at `p` (3 ≤ `n` ≤ `maxKeyLength`) whose `prefix` and `hash` the caller
    /// computed with `TokenBytesTable.prefix` / `.hash` (the backtracking encoder hashes each span once).
    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int, prefix: UInt64, hash h: UInt64) -> UInt32? {
        if presence[Int(truncatingIfNeeded: h >> 43) >> 6] & (1 << (h >> 43 & 63)) == 0 { return nil }
        var index = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots + index &* 16
            let info = slot.load(fromByteOffset: 12, as: UInt32.self)
            if info == 0 { return nil }
            if slot.load(as: UInt64.self) == prefix, Int(info & 0xFF) == n {
                if n <= 8 { return slot.load(fromByteOffset: 8, as: UInt32.self) }
                if memcmp(arena + Int(info >> 8), p + 8, n - 8) == 0 { return slot.load(fromByteOffset: 8, as: UInt32.self) }
            }
            index = (index &+ 1) & mask
        }
    }
}
