#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each recent word's input rows already summed, so that predicting a text adds one vector per word
/// instead of one row per character n-gram (a word of 8 letters has about 27 of them with lid.176).
///
/// Words follow Zipf's law: a few thousand slots catch most words of a text. A slot is chosen by the word's
/// fastText hash and holds the word's bytes (compared in full on a hit), its row count, its summed rows and
/// whether it is a label. Words longer than `maxWordBytes` are not kept. The sums are fastText's own rows,
/// added per word first: the hidden vector equals fastText's up to f32 rounding (about 1e-7 relative).
struct FastTextWordSums {
    static let maxWordBytes = 24

    let dimension: Int
    private let mask: Int
    /// Per slot: word length + 1 (0 = empty); −1 marks a label (no rows, no word).
    private var lengths: [Int32]
    private var rowCounts: [Int32]
    private var words: [UInt8]
    private var sums: [Float]

    /// About `bytes` of sums, between 256 and 16,384 slots.
    init(dimension: Int, bytes: Int = 1 << 20) {
        self.dimension = dimension
        var slots = 256
        while slots < 16_384 && slots * 2 * dimension * 4 <= bytes { slots *= 2 }
        mask = slots - 1
        lengths = [Int32](repeating: 0, count: slots)
        rowCounts = [Int32](repeating: 0, count: slots)
        words = [UInt8](repeating: 0, count: slots * Self.maxWordBytes)
        sums = [Float](repeating: 0, count: slots * dimension)
    }

    @inline(__always)
    private static func slot(_ h: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(h) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
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

    /// Adds the rows of `token` (fastText hash `h`) to `hidden` and returns how many rows that was, or nil
    /// for a label. `rows` and `wrapped` are scratch space for a word not yet kept.
    @inline(__always)
    mutating func add(_ token: UnsafeBufferPointer<UInt8>, hash h: UInt32, to hidden: UnsafeMutablePointer<Float>,
                      _ model: Source, rows: inout [Int32], wrapped: inout [UInt8]) -> Int? {
        guard token.count <= Self.maxWordBytes else {
            return model.addRows(of: token, hash: h, to: hidden, rows: &rows, wrapped: &wrapped)
        }
        let slot = Self.slot(h, mask)
        let dimension = dimension
        let hit = lengths.withUnsafeBufferPointer { lengths in
            let stored = Int(lengths[slot])
            guard stored == token.count + 1 || (stored == -1 - token.count) else { return false }
            return words.withUnsafeBufferPointer { words in
                token.isEmpty || ShortBytes.equal(words.baseAddress! + slot * Self.maxWordBytes, token.baseAddress!, token.count)
            }
        }
        if !hit {
            let added: Int? = sums.withUnsafeMutableBufferPointer { sums in
                let sum = sums.baseAddress! + slot * dimension
                for j in 0..<dimension { sum[j] = 0 }
                return model.addRows(of: token, hash: h, to: sum, rows: &rows, wrapped: &wrapped)
            }
            lengths[slot] = added != nil ? Int32(token.count + 1) : Int32(-1 - token.count)
            rowCounts[slot] = Int32(added ?? 0)
            words.withUnsafeMutableBufferPointer { words in
                if !token.isEmpty { memcpy(words.baseAddress! + slot * Self.maxWordBytes, token.baseAddress!, token.count) }
            }
        }
        guard lengths[slot] > 0 else { return nil }
        sums.withUnsafeBufferPointer { sums in
            let sum = sums.baseAddress! + slot * dimension
            var j = 0
            while j + 8 <= dimension {
                let raw = UnsafeMutableRawPointer(hidden + j)
                raw.storeBytes(of: raw.loadUnaligned(as: SIMD8<Float>.self)
                               + UnsafeRawPointer(sum + j).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                j += 8
            }
            while j < dimension {
                hidden[j] += sum[j]
                j += 1
            }
        }
        return Int(rowCounts[slot])
    }
}
