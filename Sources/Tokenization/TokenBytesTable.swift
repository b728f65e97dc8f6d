/// An open-addressing hash table from byte strings (tokens) to 32-bit values (ranks or ids).
///
/// All keys live in one arena, so a lookup by pointer and length allocates nothing: the encoder's hot path
/// (about one lookup per byte pair it considers) costs a hash of a few bytes and usually one probe.
struct TokenBytesTable: Sendable {
    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = 0
        var length: UInt32 = 0
        var value: UInt32 = 0
        var used = false
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// Hash of a byte string: 8 bytes at a time, multiply-xorshift mixing. Not for adversarial keys.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i &+ 8 <= n {
            h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i &+= 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
                shift &+= 8
                i &+= 1
            }
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        }
        h ^= h >> 31
        return h
    }

    /// Inserts or replaces.
    mutating func insert(_ key: some Collection<UInt8>, value: UInt32) {
        let bytes = Array(key)
        if count * 2 >= slots.count { grow() }
        bytes.withUnsafeBytes { raw in
            let h = Self.hash(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count)
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index].used {
                if slots[index].hash == h, equals(slots[index], raw) {
                    slots[index].value = value
                    return
                }
                index = (index &+ 1) & mask
            }
            slots[index] = Slot(hash: h, offset: UInt32(arena.count), length: UInt32(raw.count), value: value, used: true)
            arena.append(contentsOf: raw)
            count += 1
        }
    }

    @inline(__always)
    private func equals(_ slot: Slot, _ raw: UnsafeRawBufferPointer) -> Bool {
        guard Int(slot.length) == raw.count else { return false }
        return arena.withUnsafeBytes { a in
            raw.count == 0 || memcmp(a.baseAddress! + Int(slot.offset), raw.baseAddress!, raw.count) == 0
        }
    }

    @inline(__always)
    func value(_ p: UnsafeRawPointer, _ n: Int) -> UInt32? {
        let h = Self.hash(p, n)
        return slots.withUnsafeBufferPointer { s in
            arena.withUnsafeBytes { a in
                var index = Int(truncatingIfNeeded: h) & mask
                while true {
                    let slot = s[index]
                    if !slot.used { return nil }
                    if slot.hash == h, Int(slot.length) == n,
                       n == 0 || memcmp(a.baseAddress! + Int(slot.offset), p, n) == 0 {
                        return slot.value
                    }
                    index = (index &+ 1) & mask
                }
            }
        }
    }

    func value(_ key: some Collection<UInt8>) -> UInt32? {
        Array(key).withUnsafeBytes { value($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count) }
    }

    /// Every (key, value) pair, in no particular order.
    func forEach(_ body: (ArraySlice<UInt8>, UInt32) -> Void) {
        for slot in slots where slot.used {
            body(arena[Int(slot.offset)..<Int(slot.offset + slot.length)], slot.value)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.used {
            var index = Int(truncatingIfNeeded: slot.hash) & mask
            while slots[index].used { index = (index &+ 1) & mask }
            slots[index] = slot
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
