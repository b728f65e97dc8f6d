/// The counts behind Gopher's repetition rules, with datatrove's semantics, on reusable scratch space.
///
/// One counter serves one task's documents in turn: its tables and buffers are kept between documents.
/// Content is compared exactly after a hash match; hashes are polynomial over Unicode scalars modulo 2^64
/// (an odd base is invertible, so the hash of any run of joined words comes from per-word prefixes).
final class RepetitionCounter {
    private let table = DistinctTable()
    /// Per word: the index of the first word of the same content.
    private var wordIDs: [Int32] = []
    /// Per word index k: Σ-prefix of the joined words' polynomial hash, base^offset and base^−offset.
    private var prefix: [UInt64] = []
    private var powers: [UInt64] = []
    private var inversePowers: [UInt64] = []
    /// Per word: base^length and base^−length (computed for a word's first occurrence, copied after).
    private var wordPower: [UInt64] = []
    private var wordInversePower: [UInt64] = []
    private var wordHashes: [UInt64] = []
    private var counts: [Int32] = []
    private var joined: [UInt32] = []
    private var offsets: [Int32] = []

    // Literals, not computed statics: a lazily initialized static is a `swift_once` call per use, and
    // these are used per character. `RepetitionCounterTests` checks them against `base`.
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let base2: UInt64 = 0xDF44_2D22_CE48_59B9
    static let base3: UInt64 = 0x604A_5CE3_ADDE_F82D
    static let base4: UInt64 = 0xD943_63FC_5382_27B1
    /// base · inverseBase = 1 (mod 2^64).
    static let inverseBase: UInt64 = 0xF1DE_83E1_9937_733D

    /// Σ s[i]·base^(end − 1 − i) over `range`: what the joined-word prefixes are built from.
    ///
    /// Four characters per step (h·base⁴ + c₀·base³ + c₁·base² + c₂·base + c₃, the same value mod 2^64):
    /// one character per step made every hash a chain of dependent multiplications, and line, paragraph
    /// and word hashing waited on it.
    @inline(__always)
    static func polynomial(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> UInt64 {
        var h: UInt64 = 0
        var i = range.lowerBound
        let end = range.upperBound
        while i &+ 4 <= end {
            let chunk = UInt64(s[i]) &* base3 &+ UInt64(s[i &+ 1]) &* base2 &+ UInt64(s[i &+ 2]) &* base &+ UInt64(s[i &+ 3])
            h = h &* base4 &+ chunk
            i &+= 4
        }
        while i < end {
            h = h &* base &+ UInt64(s[i])
            i &+= 1
        }
        return h
    }

    /// base^k and base^−k for k < `powerTableSize` (word lengths), computed once.
    static let powerTableSize = 64
    private let basePowers: [UInt64]
    private let inverseBasePowers: [UInt64]

    init() {
        var p: UInt64 = 1, q: UInt64 = 1
        var powers: [UInt64] = [], inverses: [UInt64] = []
        for _ in 0..<Self.powerTableSize {
            powers.append(p)
            inverses.append(q)
            p = p &* Self.base
            q = q &* Self.inverseBase
        }
        basePowers = powers
        inverseBasePowers = inverses
    }

    /// A table key: the polynomial with the length mixed in.
    @inline(__always)
    static func key(_ polynomial: UInt64, count: Int) -> UInt64 {
        polynomial ^ UInt64(truncatingIfNeeded: count) &* 0xD6E8_FEB8_6659_FD93
    }

    @inline(__always)
    static func equal(_ s: UnsafeBufferPointer<UInt32>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        var i = a.lowerBound, j = b.lowerBound
        while i < a.upperBound {
            if s[i] != s[j] { return false }
            i += 1
            j += 1
        }
        return true
    }

    /// datatrove's `find_duplicates`: elements equal to an earlier one, and their characters.
    func duplicates(_ s: UnsafeBufferPointer<UInt32>, _ elements: [Range<Int>]) -> (elements: Int, chars: Int) {
        // One element repeats nothing (half the chain's documents are one paragraph): no pass over its text.
        guard elements.count > 1 else { return (0, 0) }
        table.reset(expected: elements.count)
        var count = 0
        var chars = 0
        elements.withUnsafeBufferPointer { elements in
            for (k, element) in elements.enumerated() {
                let first = table.insert(k, hash: Self.key(Self.polynomial(s, element), count: element.count)) { Self.equal(s, elements[$0], element) }
                if first != k {
                    count += 1
                    chars += element.count
                }
            }
        }
        return (count, chars)
    }

    /// Gives each word the index of the first word of its content; call before the n-gram counts.
    func identify(_ s: UnsafeBufferPointer<UInt32>, _ words: [Range<Int>], joinedHashes: Bool) {
        let n = words.count
        table.reset(expected: n)
        // Sized once, then written through pointers: nine `append`s per word each checked the array's
        // uniqueness and capacity (`swift_isUniquelyReferenced` was 1% of the curation chain).
        Self.resize(&wordIDs, n)
        Self.resize(&wordHashes, joinedHashes ? n : 0)
        Self.resize(&wordPower, joinedHashes ? n : 0)
        Self.resize(&wordInversePower, joinedHashes ? n : 0)
        var joinedCount = 0
        words.withUnsafeBufferPointer { words in
            wordIDs.withUnsafeMutableBufferPointer { wordIDs in
                wordHashes.withUnsafeMutableBufferPointer { wordHashes in
                    wordPower.withUnsafeMutableBufferPointer { wordPower in
                        wordInversePower.withUnsafeMutableBufferPointer { wordInversePower in
                            for (k, word) in words.enumerated() {
                                let h = Self.polynomial(s, word)
                                let first = table.insert(k, hash: Self.key(h, count: word.count)) { Self.equal(s, words[$0], word) }
                                wordIDs[k] = Int32(truncatingIfNeeded: first)
                                guard joinedHashes else { continue }
                                joinedCount &+= word.count
                                wordHashes[k] = h
                                if first == k {
                                    (wordPower[k], wordInversePower[k]) = basePower(word.count)
                                } else {
                                    wordPower[k] = wordPower[first]
                                    wordInversePower[k] = wordInversePower[first]
                                }
                            }
                        }
                    }
                }
            }
        }
        guard joinedHashes else { return }
        // Prefixes over the words joined without separators, and the scalars themselves for comparisons.
        Self.resize(&prefix, n + 1)
        Self.resize(&powers, n + 1)
        Self.resize(&inversePowers, n + 1)
        Self.resize(&offsets, n + 1)
        Self.resize(&joined, joinedCount)
        words.withUnsafeBufferPointer { words in
            prefix.withUnsafeMutableBufferPointer { prefix in
                powers.withUnsafeMutableBufferPointer { powers in
                    inversePowers.withUnsafeMutableBufferPointer { inversePowers in
                        offsets.withUnsafeMutableBufferPointer { offsets in
                            joined.withUnsafeMutableBufferPointer { joined in
                                wordHashes.withUnsafeBufferPointer { wordHashes in
                                    wordPower.withUnsafeBufferPointer { wordPower in
                                        wordInversePower.withUnsafeBufferPointer { wordInversePower in
                                            var h: UInt64 = 0, p: UInt64 = 1, q: UInt64 = 1
                                            var end = 0
                                            (prefix[0], powers[0], inversePowers[0], offsets[0]) = (h, p, q, 0)
                                            for k in 0..<n {
                                                h = h &* wordPower[k] &+ wordHashes[k]
                                                p = p &* wordPower[k]
                                                q = q &* wordInversePower[k]
                                                let word = words[k]
                                                (joined.baseAddress! + end).update(from: s.baseAddress! + word.lowerBound, count: word.count)
                                                end &+= word.count
                                                (prefix[k + 1], powers[k + 1], inversePowers[k + 1]) = (h, p, q)
                                                offsets[k + 1] = Int32(truncatingIfNeeded: end)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// base^length and its inverse.
    @inline(__always)
    private func basePower(_ length: Int) -> (UInt64, UInt64) {
        if length < Self.powerTableSize { return (basePowers[length], inverseBasePowers[length]) }
        var p: UInt64 = 1, q: UInt64 = 1
        for _ in 0..<length {
            p = p &* Self.base
            q = q &* Self.inverseBase
        }
        return (p, q)
    }

    /// `array` with exactly `count` elements, whatever they hold (the caller writes them all).
    @inline(__always)
    private static func resize<T: FixedWidthInteger>(_ array: inout [T], _ count: Int) {
        if array.count > count {
            array.removeLast(array.count - count)
        } else if array.count < count {
            array.append(contentsOf: repeatElement(0, count: count - array.count))
        }
    }

    func topNGramCharacters(_ words: [Range<Int>], _ n: Int) -> Int {
        let grams = words.count - n + 1
        guard grams > 0 else { return 0 }
        table.reset(expected: grams)
        counts.removeAll(keepingCapacity: true)
        counts.append(contentsOf: repeatElement(0, count: grams))
        return wordIDs.withUnsafeBufferPointer { ids in
            counts.withUnsafeMutableBufferPointer { counts in
                for i in 0..<grams {
                    var h: UInt64 = 0
                    for k in i..<(i + n) { h = (h ^ UInt64(UInt32(bitPattern: ids[k]))) &* 0x9FB2_1C65_1E98_DF25 }
                    let first = table.insert(i, hash: h) { f in
                        for k in 0..<n where ids[f + k] != ids[i + k] { return false }
                        return true
                    }
                    counts[first] += 1
                }
                var best = 0
                for i in 1..<grams where counts[i] > counts[best] { best = i }
                var characters = n - 1
                for k in best..<(best + n) { characters += words[k].count }
                return characters * Int(counts[best])
            }
        }
    }

    /// datatrove's `find_all_duplicate` over "".join(n-gram): characters of n-grams equal to an earlier
    /// one, skipping past each repeat. Needs `identify(…, joinedHashes: true)` of the same words.
    func duplicatedNGramCharacters(wordCount: Int, _ n: Int) -> Int {
        guard wordCount >= n else { return 0 }
        table.reset(expected: wordCount)
        var repeated = 0
        prefix.withUnsafeBufferPointer { prefix in
            powers.withUnsafeBufferPointer { powers in
                inversePowers.withUnsafeBufferPointer { inversePowers in
                    offsets.withUnsafeBufferPointer { offsets in
                        joined.withUnsafeBufferPointer { joined in
                            var i = 0
                            while i < wordCount - n + 1 {
                                let j = i + n
                                // Σ over the n-gram's scalars of c·base^(its end − position − 1).
                                let h = prefix[j] &- prefix[i] &* powers[j] &* inversePowers[i]
                                let range = Int(offsets[i])..<Int(offsets[j])
                                let first = table.insert(i, hash: Self.key(h, count: range.count)) { f in
                                    Self.equal(joined, Int(offsets[f])..<Int(offsets[f + n]), range)
                                }
                                if first == i {
                                    i += 1
                                } else {
                                    repeated += range.count
                                    i += n
                                }
                            }
                        }
                    }
                }
            }
        }
        return repeated
    }
}
