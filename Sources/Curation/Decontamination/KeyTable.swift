#if canImport(Glibc)
import Glibc
#endif

/// A set of 64-bit keys (never 0) with a UInt32 each, behind a blocked bit filter: two bits of one
/// 64-bit word per key, about 12 bits per key, so most absent keys are rejected without touching the
/// table (both are indexed by the key's top bits, so building from sorted keys writes them in order; the
/// two bits come from middle bits, apart from the low bits that sampling selects keys by). The filter of
/// a full benchmark index is a few MB, larger than L2: `filterCandidates` is meant to be called on many
/// keys in a row (the loads then overlap). The filter and the table sit on huge pages where the kernel
/// allows it, so a lookup does not also miss the TLB (on a virtual machine a TLB miss is a two-level page
/// walk, several times the cost of the cache miss).
final class KeyTable: @unchecked Sendable {
    private let filter: UnsafeMutablePointer<UInt64>
    private let filterWords: Int
    private let keys: UnsafeMutablePointer<UInt64>
    private let values: UnsafeMutablePointer<UInt32>
    private let mask: Int
    private let shift: UInt64
    let count: Int

    init(keys input: [UInt64], values input2: [UInt32]) {
        count = input.count
        filterWords = max(64, (count * 12 + 63) / 64)
        filter = Self.allocateZeroed(bytes: filterWords * 8).bindMemory(to: UInt64.self, capacity: filterWords)
        var size = 16, bits = 4
        while size < count * 2 {
            size <<= 1
            bits += 1
        }
        shift = UInt64(64 - bits)
        let keys = Self.allocateZeroed(bytes: size * 8).bindMemory(to: UInt64.self, capacity: size)
        let values = Self.allocateZeroed(bytes: size * 4).bindMemory(to: UInt32.self, capacity: size)
        for (key, value) in zip(input, input2) {
            filter[Self.word(key, filterWords)] |= Self.bits(key)
            var slot = Self.slot(key, shift)
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            values[slot] = value
        }
        self.keys = keys
        self.values = values
        mask = size - 1
    }

    deinit {
        free(filter)
        free(keys)
        free(values)
    }

    /// Zeroed memory; from 1 MB on, aligned to 2 MB and advised for transparent huge pages (Linux).
    private static func allocateZeroed(bytes: Int) -> UnsafeMutableRawPointer {
        var raw: UnsafeMutableRawPointer?
        let huge = 2 << 20
        let (alignment, size) = bytes >= huge / 2 ? (huge, (bytes + huge - 1) / huge * huge) : (64, max(64, bytes))
        guard posix_memalign(&raw, alignment, size) == 0, let raw else { fatalError("out of memory for a \(bytes)-byte table") }
        #if os(Linux)
        if alignment == huge { _ = madvise(raw, size, 14) }  // MADV_HUGEPAGE
        #endif
        memset(raw, 0, size)
        return raw
    }

    @inline(__always) private static func word(_ key: UInt64, _ words: Int) -> Int {
        Int(truncatingIfNeeded: ((key >> 32) &* UInt64(words)) >> 32)
    }
    @inline(__always) private static func bits(_ key: UInt64) -> UInt64 { 1 << ((key >> 16) & 63) | 1 << ((key >> 22) & 63) }
    /// The top bits, so keys inserted in sorted order fill the table front to back.
    @inline(__always) private static func slot(_ key: UInt64, _ shift: UInt64) -> Int { Int(truncatingIfNeeded: key >> shift) }

    /// Whether `key` may be in the table (the filter alone); for a small table, whose filter stays in L1.
    @inline(__always)
    func mayContain(_ key: UInt64) -> Bool {
        let bits = Self.bits(key)
        return filter[Self.word(key, filterWords)] & bits == bits
    }

    /// Writes to `out` the positions `i` of `keys` whose key may be in the table; returns how many.
    /// The filter words are loaded first into `scratch` (independent loads, many in flight at once),
    /// then tested.
    @inline(__always)
    func filterCandidates(_ keys: UnsafePointer<UInt64>, _ n: Int, scratch: UnsafeMutablePointer<UInt64>, into out: UnsafeMutablePointer<Int32>) -> Int {
        let filter = self.filter, words = filterWords
        for i in 0..<n { scratch[i] = filter[Self.word(keys[i], words)] }
        var found = 0
        for i in 0..<n {
            let bits = Self.bits(keys[i])
            out[found] = Int32(truncatingIfNeeded: i)
            found &+= scratch[i] & bits == bits ? 1 : 0
        }
        return found
    }

    /// Like `filterCandidates`, over the keys at `positions` only; writes the positions that pass. The
    /// filter words are loaded first into `scratch` (independent loads, many in flight), then tested.
    @inline(__always)
    func filterCandidates(_ keys: UnsafePointer<UInt64>, positions: UnsafePointer<Int32>, _ n: Int, scratch: UnsafeMutablePointer<UInt64>,
                          into out: UnsafeMutablePointer<Int32>) -> Int {
        let filter = self.filter, words = filterWords
        for i in 0..<n { scratch[i] = filter[Self.word(keys[Int(positions[i])], words)] }
        var found = 0
        for i in 0..<n {
            let position = positions[i]
            let bits = Self.bits(keys[Int(position)])
            out[found] = position
            found &+= scratch[i] & bits == bits ? 1 : 0
        }
        return found
    }

    /// The value of `key`, if present (without consulting the filter).
    @inline(__always)
    func lookup(_ key: UInt64) -> UInt32? {
        var slot = Self.slot(key, shift)
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}
