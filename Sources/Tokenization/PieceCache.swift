/// Recently encoded pieces → their ids, per encoder. Most pieces of natural text repeat ("the", " of"),
/// and `tokenizer.json` models must merge every piece that is not cached.
///
/// Raw memory, not arrays: `perf` showed the arrays' reference counting and `memcmp` calls taking a
/// fifth of SmolLM2's time on Chinese text, where nearly every piece is a cached character. A slot holds
/// the key's first 8 bytes, so a key of up to 8 bytes compares as one integer.
struct PieceCache {
    private struct Slot {
        /// The key's first 8 bytes, little-endian, zero-padded.
        var word: UInt64
        /// The hash's upper half (a quick reject for longer keys).
        var check: UInt32
        /// Offset in `keys` of the bytes past the eighth.
        var keyOffset: UInt32
        var idsOffset: UInt32
        /// 0: empty.
        var keyLength: UInt16
        var idsCount: UInt16
    }

    static let maxPieceLength = 48
    private let slots: UnsafeMutablePointer<Slot>
    private let slotCount: Int
    private let keys: UnsafeMutablePointer<UInt8>
    private let keyCapacity: Int
    private var keyCount = 0
    private let ids: UnsafeMutablePointer<UInt32>
    private let idCapacity: Int
    private var idCount = 0
    private var count = 0
    private let mask: Int

    init(capacity: Int = 1 << 15) {
        slotCount = capacity * 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(word: 0, check: 0, keyOffset: 0, idsOffset: 0, keyLength: 0, idsCount: 0), count: slotCount)
        mask = slotCount - 1
        keyCapacity = capacity * 8
        keys = .allocate(capacity: keyCapacity)
        idCapacity = capacity * 4
        ids = .allocate(capacity: idCapacity)
    }

    /// Frees the memory (the owner calls it once, from its `deinit`).
    func deallocate() {
        slots.deallocate()
        keys.deallocate()
        ids.deallocate()
    }

    /// Appends the cached ids of the `n` bytes at `p` (whose `TokenBytesTable.prefix` is `word` and
    /// whose hash is `h`) to `out`; false if they are not cached.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, into out: inout [UInt32]) -> Bool {
        var index = Int(truncatingIfNeeded: h) & mask
        let check = UInt32(truncatingIfNeeded: h &>> 32)
        while true {
            let slot = slots[index]
            if slot.keyLength == 0 { return false }
            if slot.word == word, slot.check == check, Int(slot.keyLength) == n,
               n <= 8 || memcmp(keys + Int(slot.keyOffset), p + 8, n &- 8) == 0 {
                let start = ids + Int(slot.idsOffset)
                let c = Int(slot.idsCount)
                if c == 1 { out.append(start[0]) } else { out.append(contentsOf: UnsafeBufferPointer(start: start, count: c)) }
                return true
            }
            index = (index &+ 1) & mask
        }
    }

    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, ids pieceIDs: ArraySlice<UInt32>) {
        let tail = max(0, n - 8)
        guard pieceIDs.count < Int(UInt16.max), tail <= keyCapacity, pieceIDs.count <= idCapacity else { return }
        if count * 2 >= mask || keyCount + tail > keyCapacity || idCount + pieceIDs.count > idCapacity { clear() }
        var index = Int(truncatingIfNeeded: h) & mask
        while slots[index].keyLength != 0 { index = (index &+ 1) & mask }
        slots[index] = Slot(word: word, check: UInt32(truncatingIfNeeded: h &>> 32), keyOffset: UInt32(keyCount),
                            idsOffset: UInt32(idCount), keyLength: UInt16(n), idsCount: UInt16(pieceIDs.count))
        if tail > 0 {
            (keys + keyCount).update(from: p + 8, count: tail)
            keyCount += tail
        }
        pieceIDs.withUnsafeBufferPointer { if let base = $0.baseAddress { (ids + idCount).update(from: base, count: $0.count) } }
        idCount += pieceIDs.count
        count += 1
    }

    private mutating func clear() {
        for i in 0..<slotCount { slots[i].keyLength = 0 }
        keyCount = 0
        idCount = 0
        count = 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
