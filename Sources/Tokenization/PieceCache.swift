/// Recently encoded pieces → their ids, per encoder. Most pieces of natural text repeat ("the", " of"),
/// and `tokenizer.json` models must merge every piece that is not cached.
///
/// Raw memory, not arrays: `perf` showed the arrays' reference counting and `memcmp` calls taking a
/// fifth of SmolLM2's time on Chinese text, where nearly every piece is a cached character. A slot holds
/// the key's first 8 bytes, so a key of up to 8 bytes compares as one integer.
///
/// Two generations, not one table emptied when full: pieces go into the current generation, and when
/// it is full the previous one is emptied and the two swap; a piece found in the previous generation is
/// copied into the current one. What keeps repeating survives, and a run of one-off pieces (Chinese
/// phrases, rare identifiers) only pushes out what it outlives. Emptying one table when full had
/// SmolLM2 merge 205,691 code pieces of which 36,731 are distinct (32,768 entries, emptied six times);
/// two generations of 24,576 merge 116,752, in 1.8 MB instead of 2.3, and one-worker `tokenize` takes
/// 0.89× the CPU time on code, 0.93× on English (Qwen: 0.96× on code, the same on English and Chinese).
struct PieceCache {
    static let maxPieceLength = 48
    private var current: Generation
    private var previous: Generation

    /// Each generation has `slots` slots (a power of two), three quarters of which it fills: 24,576
    /// pieces by default, 1.8 MB for both (measured against 1 and 2 × 32,768 pieces at half load: as fast
    /// or faster on every corpus but SmolLM2's code, in less memory).
    init(slots: Int = 1 << 15) {
        precondition(slots >= 16 && slots & (slots - 1) == 0, "a power of two")
        current = Generation(slots: slots)
        previous = Generation(slots: slots)
    }

    /// Frees the memory (the owner calls it once, from its `deinit`).
    func deallocate() {
        current.deallocate()
        previous.deallocate()
    }

    /// Appends the cached ids of the `n` bytes at `p` (whose `TokenBytesTable.prefix` is `word` and
    /// whose hash is `h`) to `out`; false if they are not cached.
    @inline(__always)
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, into out: inout [UInt32]) -> Bool {
        if current.append(p, n, word: word, hash: h, to: &out) { return true }
        return promote(p, n, word: word, hash: h, into: &out)
    }

    /// A piece of the previous generation: appended to `out`, and kept in the current one.
    @inline(never)
    private mutating func promote(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, into out: inout [UInt32]) -> Bool {
        let before = out.count
        guard previous.append(p, n, word: word, hash: h, to: &out) else { return false }
        insert(p, n, word: word, hash: h, ids: out[before...])
        return true
    }

    mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, ids pieceIDs: ArraySlice<UInt32>) {
        // An entry must fit an empty generation (only tiny test caches come near that).
        guard pieceIDs.count <= Int(UInt8.max), n <= Int(UInt8.max),
              Generation.words(keyLength: n, idsCount: pieceIDs.count) <= current.arenaCapacity else { return }
        if !current.hasRoom(keyLength: n, idsCount: pieceIDs.count) {
            previous.empty()
            swap(&current, &previous)
        }
        current.add(p, n, word: word, hash: h, ids: pieceIDs)
    }

    /// One open-addressing table (at most three quarters full) and the arena its entries' ids and key bytes
    /// past the eighth are stored in, as words: the ids, then the key's tail.
    private struct Generation {
        /// 16 bytes: four slots to a cache line.
        struct Slot {
            /// The key's first 8 bytes, little-endian, zero-padded.
            var word: UInt64
            /// Where the entry's ids start in `arena` (its key's tail follows them).
            var offset: UInt32
            /// Bits 32–47 of the hash (a quick reject for longer keys).
            var check: UInt16
            /// 0: empty (pieces of one byte are not cached).
            var keyLength: UInt8
            var idsCount: UInt8
        }

        let slots: UnsafeMutablePointer<Slot>
        /// Slots - 1 (their count is a power of two).
        let mask: Int
        let arena: UnsafeMutablePointer<UInt32>
        let arenaCapacity: Int
        let maxCount: Int
        var arenaCount = 0
        var count = 0

        init(slots slotCount: Int) {
            mask = slotCount - 1
            maxCount = slotCount / 4 * 3
            slots = .allocate(capacity: slotCount)
            slots.initialize(repeating: Slot(word: 0, offset: 0, check: 0, keyLength: 0, idsCount: 0), count: slotCount)
            // Four words an entry on average (ids, and key bytes past the eighth): most entries are one
            // or two ids of a short piece; a generation whose arena fills first just ends sooner.
            arenaCapacity = maxCount * 4
            arena = .allocate(capacity: arenaCapacity)
        }

        func deallocate() {
            slots.deallocate()
            arena.deallocate()
        }

        @inline(__always)
        func append(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, to out: inout [UInt32]) -> Bool {
            var index = Int(truncatingIfNeeded: h) & mask
            let check = UInt16(truncatingIfNeeded: h &>> 32)
            while true {
                let slot = slots[index]
                if slot.keyLength == 0 { return false }
                if slot.word == word, slot.check == check, Int(slot.keyLength) == n {
                    let start = arena + Int(slot.offset)
                    let c = Int(slot.idsCount)
                    if n <= 8 || memcmp(UnsafeRawPointer(start + c), p + 8, n &- 8) == 0 {
                        if c == 1 { out.append(start[0]) } else { out.append(contentsOf: UnsafeBufferPointer(start: start, count: c)) }
                        return true
                    }
                }
                index = (index &+ 1) & mask
            }
        }

        /// Words an entry takes in the arena.
        @inline(__always)
        static func words(keyLength n: Int, idsCount: Int) -> Int { idsCount + (max(0, n - 8) + 3) / 4 }

        func hasRoom(keyLength n: Int, idsCount: Int) -> Bool {
            count < maxCount && arenaCount + Self.words(keyLength: n, idsCount: idsCount) <= arenaCapacity
        }

        /// Adds an entry (the caller checked `hasRoom`).
        mutating func add(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64, ids pieceIDs: ArraySlice<UInt32>) {
            var index = Int(truncatingIfNeeded: h) & mask
            while slots[index].keyLength != 0 { index = (index &+ 1) & mask }
            slots[index] = Slot(word: word, offset: UInt32(arenaCount), check: UInt16(truncatingIfNeeded: h &>> 32),
                                keyLength: UInt8(n), idsCount: UInt8(pieceIDs.count))
            let start = arena + arenaCount
            pieceIDs.withUnsafeBufferPointer { if let base = $0.baseAddress { start.update(from: base, count: $0.count) } }
            if n > 8 { UnsafeMutableRawPointer(start + pieceIDs.count).copyMemory(from: p + 8, byteCount: n - 8) }
            arenaCount += Self.words(keyLength: n, idsCount: pieceIDs.count)
            count += 1
        }

        mutating func empty() {
            UnsafeMutableRawPointer(slots).initializeMemory(as: UInt8.self, repeating: 0, count: (mask + 1) * MemoryLayout<Slot>.stride)
            arenaCount = 0
            count = 0
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
