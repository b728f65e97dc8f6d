#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSystem

/// Each recent word's input rows already summed, so that predicting a text adds one vector per word
/// instead of one row per character n-gram (a word of 8 letters has about 27 of them with lid.176).
///
/// Words follow Zipf's law: a few thousand slots catch most words of a text. A slot is chosen by the word's
/// fastText hash and holds the word's bytes (compared in full on a hit), its row count, its summed rows and
/// whether it is a label. Words longer than `maxWordBytes` are not kept. The sums are fastText's own rows,
/// added per word first: the hidden vector equals fastText's up to f32 rounding (about 1e-7 relative).
final class FastTextWordSums {
    static let maxWordBytes = 24

    let dimension: Int
    private let mask: Int
    /// One entry per slot, `stride` bytes, 64-byte aligned, so a lookup reads one or two neighbouring
    /// cache lines: word length + 1 as Int32 (0 = empty; −1 − length marks a label: no rows), row count
    /// as Int32, the word's bytes (24), then the summed row (`dimension` floats). Four separate arrays
    /// made every lookup four cache misses once the table outgrew the L2 cache.
    private let entries: UnsafeMutableRawPointer
    private let stride: Int
    private let byteCount: Int
    /// The entry's word bytes start at 8 (after the two Int32s), its sum after them.
    private static let sumOffset = 8 + maxWordBytes

    /// Room for `slots` words (a power of two): 32,768 by default, 4 MiB with lid.176's 16 dimensions.
    /// The chain bench's 575k words (76k distinct) miss 28% of the time with 8,192 slots (the size before
    /// entries were interleaved), 19% with 32,768 and 17% with 65,536; the chain took 0.94× the time with
    /// either of the larger two (paired runs) and 1.10× with 131,072 (the first touch of each page costs).
    /// The memory is mapped on demand: pages never used are never touched.
    init(dimension: Int, slots: Int = 1 << 15) {
        self.dimension = dimension
        var size = 256
        while size < slots { size *= 2 }
        mask = size - 1
        stride = (Self.sumOffset + dimension * 4 + 63) & ~63
        byteCount = size * stride
        let raw = mmap(nil, byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(raw != MAP_FAILED && raw != nil, "out of memory for the word-sum cache (\(byteCount) bytes)")
        entries = raw!
    }

    deinit { munmap(entries, byteCount) }

    /// The entry of the slot a word of hash `h` uses.
    @inline(__always)
    private func entry(_ h: UInt32) -> UnsafeMutableRawPointer {
        entries + (Int(truncatingIfNeeded: (UInt64(h) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask) &* stride
    }

    /// Where a word's rows come from: the model's parts, loaded once per text. Reading them from the
    /// model class per word retained and released each array of the dictionary (3% of language id).
    struct Source {
        let dictionary: FastTextDictionary
        let quantizedRows: PrunedQuantizedRows.View?
        let predictionInput: FastTextMatrix

        init(_ model: FastTextModel) {
            dictionary = model.dictionary
            quantizedRows = model.quantizedRows?.view
            predictionInput = model.predictionInput
        }

        /// Adds the input rows of `token` to `x` and returns how many, or nil for a label; `rows` and
        /// `wrapped` are scratch space.
        @inline(__always)
        func addRows(of token: UnsafeBufferPointer<UInt8>, hash h: UInt32, to x: UnsafeMutablePointer<Float>,
                     rows: inout [Int32], wrapped: inout [UInt8]) -> Int? {
            if let quantizedRows {
                return FastTextInputEncoder.addRows(of: token, hash: h, dictionary, quantizedRows, to: x, wrapped: &wrapped)
            }
            rows.removeAll(keepingCapacity: true)
            guard FastTextInputEncoder.appendRows(of: token, hash: h, dictionary, into: &rows, wrapped: &wrapped) else { return nil }
            predictionInput.addRows(rows, to: x)
            return rows.count
        }
    }

    /// Starts loading the entry a word of hash `h` would use (`computeHidden` asks a few words ahead, so
    /// the entry's cache misses overlap the words before it).
    @inline(__always)
    func prefetch(hash h: UInt32) {
        let entry = entry(h)
        syllabus_prefetch(entry)
        if stride > 64 { syllabus_prefetch(entry + 64) }
    }

    /// Adds the rows of `token` (fastText hash `h`) to `hidden` and returns how many rows that was, or nil
    /// for a label. `rows` and `wrapped` are scratch space for a word not yet kept.
    @inline(__always)
    func add(_ token: UnsafeBufferPointer<UInt8>, hash h: UInt32, to hidden: UnsafeMutablePointer<Float>,
             _ model: Source, rows: inout [Int32], wrapped: inout [UInt8]) -> Int? {
        guard token.count <= Self.maxWordBytes else {
            return model.addRows(of: token, hash: h, to: hidden, rows: &rows, wrapped: &wrapped)
        }
        let entry = entry(h)
        let sum = (entry + Self.sumOffset).assumingMemoryBound(to: Float.self)
        let word = (entry + 8).assumingMemoryBound(to: UInt8.self)
        let stored = Int(entry.load(as: Int32.self))
        let hit = (stored == token.count &+ 1 || stored == -1 &- token.count)
            && (token.isEmpty || ShortBytes.equal(word, token.baseAddress!, token.count))
        if !hit {
            for j in 0..<dimension { sum[j] = 0 }
            let added = model.addRows(of: token, hash: h, to: sum, rows: &rows, wrapped: &wrapped)
            entry.storeBytes(of: added != nil ? Int32(token.count &+ 1) : Int32(-1 &- token.count), as: Int32.self)
            entry.storeBytes(of: Int32(added ?? 0), toByteOffset: 4, as: Int32.self)
            if !token.isEmpty { memcpy(word, token.baseAddress!, token.count) }
        }
        guard entry.load(as: Int32.self) > 0 else { return nil }
        var j = 0
        while j &+ 8 <= dimension {
            let raw = UnsafeMutableRawPointer(hidden + j)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self)
                           + UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            j &+= 8
        }
        while j < dimension {
            hidden[j] += sum[j]
            j &+= 1
        }
        return Int(entry.load(fromByteOffset: 4, as: Int32.self))
    }
}
