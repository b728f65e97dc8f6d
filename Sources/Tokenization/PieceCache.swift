/// Recently encoded pieces → their ids, per encoder. Most pieces of natural text repeat ("the", " of"),
/// and `tokenizer.json` models must merge every piece that is not cached.
struct PieceCache {
    private struct Slot {
        var hash: UInt64 = 0
        var keyOffset: UInt32 = 0
        var keyLength: UInt16 = 0
        var idsOffset: UInt32 = 0
        var idsCount: UInt16 = 0
        var used = false
    }

    static let maxPieceLength = 48
    private var slots: [Slot]
    private var keys: [UInt8] = []
    private var ids: [UInt32] = []
    private var count = 0
    private let mask: Int

    init(capacity: Int = 1 << 15) {
        slots = Array(repeating: Slot(), count: capacity * 2)
        mask = capacity * 2 - 1
        keys.reserveCapacity(capacity * 8)
        ids.reserveCapacity(capacity * 2)
    }

    /// Appends the cached ids of the piece to `out`; false if it is not cached.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, into out: inout [UInt32]) -> Bool {
        var index = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { s in
            while true {
                let slot = s[index]
                if !slot.used { return false }
                if slot.hash == h, Int(slot.keyLength) == n,
                   keys.withUnsafeBufferPointer({ memcmp($0.baseAddress! + Int(slot.keyOffset), p, n) == 0 }) {
                    let start = Int(slot.idsOffset)
                    ids.withUnsafeBufferPointer { out.append(contentsOf: $0[start..<start + Int(slot.idsCount)]) }
                    return true
                }
                index = (index &+ 1) & mask
            }
        }
    }

    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64, ids pieceIDs: ArraySlice<UInt32>) {
        if count * 2 >= mask { clear() }
        var index = Int(truncatingIfNeeded: h) & mask
        while slots[index].used { index = (index &+ 1) & mask }
        slots[index] = Slot(hash: h, keyOffset: UInt32(keys.count), keyLength: UInt16(n),
                            idsOffset: UInt32(ids.count), idsCount: UInt16(pieceIDs.count), used: true)
        keys.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        ids.append(contentsOf: pieceIDs)
        count += 1
    }

    private mutating func clear() {
        for i in slots.indices { slots[i].used = false }
        keys.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        count = 0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
