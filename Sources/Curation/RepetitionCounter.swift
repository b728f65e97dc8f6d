#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The counts behind Gopher's repetition rules, with datatrove's semantics, on reusable scratch space.
///
/// One counter serves one task's documents in turn: its tables and buffers are kept between documents.
/// Content is compared exactly after a hash match; hashes are polynomial over Unicode scalars modulo 2^64
/// (an odd base is invertible, so the hash of any run of joined words comes from per-word prefixes).
final class RepetitionCounter {
    private let table = DistinctTable()
    /// Per word: the index of the first word of the same content.
    private var wordIDs = Column<Int32>()
    /// Per word index k: Σ-prefix of the joined words' polynomial hash, base^offset and base^−offset.
    private var prefix = Column<UInt64>()
    private var powers = Column<UInt64>()
    private var inversePowers = Column<UInt64>()
    /// Per word: base^length and base^−length (computed for a word's first occurrence, copied after).
    private var wordPower = Column<UInt64>()
    private var wordInversePower = Column<UInt64>()
    private var counts: [Int32] = []
    /// The words joined without separators, and where word k starts in it.
    private var joined = Column<UInt32>()
    private var offsets = Column<Int32>()
    /// Per word k (as a first occurrence): how many words have its content; the largest of those.
    private var occurrences = Column<Int32>()
    private(set) var mostFrequentWordCount = 0
    /// (n, the most frequent n-gram's count) of each `topNGramCharacters` since `identify`.
    private var topCounts: [(n: Int, count: Int)] = []
    /// The positions (in order) where an n-gram (n ≥ `candidatesFrom`) can equal another n-gram
    /// (`findRepeatCandidates`), and that function's scratch: per position its hash bucket, per bucket a count.
    private var candidates = Column<Int32>()
    private var positionBuckets = Column<Int32>()
    private var bucketCounts = Column<UInt8>()
    private var candidatesFrom = Int.max
    /// `findRepeatCandidates`' window in characters. On the chain bench (spaCy words, punctuation
    /// included), counting exact window matches, 8 made 24% of positions candidates, 12 made 13%, 16 made
    /// 20% (more are short).
    static let candidateWindow = 12
    private var candidateCount = 0

    /// Per-word scratch in raw memory, sized per document before it is written: as arrays, nine `append`s
    /// per word each checked uniqueness and capacity (`swift_isUniquelyReferenced` was 1% of the curation
    /// chain), and reading them took a closure per array.
    private struct Column<T> {
        private(set) var base = UnsafeMutablePointer<T>.allocate(capacity: 16)
        private var capacity = 16

        /// Room for `count` elements; what it held before is gone.
        mutating func reserve(_ count: Int) {
            guard count > capacity else { return }
            base.deallocate()
            capacity = max(count, capacity * 2)
            base = .allocate(capacity: capacity)
        }

        func deallocate() { base.deallocate() }
    }

    deinit {
        wordIDs.deallocate()
        prefix.deallocate()
        powers.deallocate()
        inversePowers.deallocate()
        wordPower.deallocate()
        wordInversePower.deallocate()
        joined.deallocate()
        offsets.deallocate()
        occurrences.deallocate()
        candidates.deallocate()
        positionBuckets.deallocate()
        bucketCounts.deallocate()
    }

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
        wordIDs.reserve(n)
        occurrences.reserve(n)
        topCounts.removeAll(keepingCapacity: true)
        candidatesFrom = .max
        if joinedHashes {
            wordPower.reserve(n)
            wordInversePower.reserve(n)
            prefix.reserve(n + 1)
            powers.reserve(n + 1)
            inversePowers.reserve(n + 1)
            offsets.reserve(n + 1)
            joined.reserve(words.reduce(0) { $0 + $1.count })
        }
        let (ids, occurrences, wordPower, wordInversePower) = (wordIDs.base, occurrences.base, wordPower.base, wordInversePower.base)
        var mostFrequent = 0
        let (prefix, powers, inversePowers, offsets, joined) = (prefix.base, powers.base, inversePowers.base, offsets.base, joined.base)
        // Prefixes over the words joined without separators, and the scalars themselves for comparisons.
        var h: UInt64 = 0, p: UInt64 = 1, q: UInt64 = 1
        var end = 0
        if joinedHashes { (prefix[0], powers[0], inversePowers[0], offsets[0]) = (h, p, q, 0) }
        words.withUnsafeBufferPointer { words in
            for (k, word) in words.enumerated() {
                let wordHash = Self.polynomial(s, word)
                let first = table.insert(k, hash: Self.key(wordHash, count: word.count)) { Self.equal(s, words[$0], word) }
                ids[k] = Int32(truncatingIfNeeded: first)
                if first == k { occurrences[k] = 0 }
                occurrences[first] &+= 1
                mostFrequent = max(mostFrequent, Int(occurrences[first]))
                guard joinedHashes else { continue }
                (wordPower[k], wordInversePower[k]) = first == k ? basePower(word.count) : (wordPower[first], wordInversePower[first])
                h = h &* wordPower[k] &+ wordHash
                p = p &* wordPower[k]
                q = q &* wordInversePower[k]
                (joined + end).update(from: s.baseAddress! + word.lowerBound, count: word.count)
                end &+= word.count
                (prefix[k + 1], powers[k + 1], inversePowers[k + 1]) = (h, p, q)
                offsets[k + 1] = Int32(truncatingIfNeeded: end)
            }
        }
        mostFrequentWordCount = mostFrequent
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

    /// datatrove's `find_top_duplicate` over " ".join(n-gram): the most frequent n-gram (the first seen
    /// among equals) × its count, in characters. Needs `identify` of the same words.
    func topNGramCharacters(_ words: [Range<Int>], _ n: Int) -> Int {
        let grams = words.count - n + 1
        guard grams > 0 else { return 0 }
        table.reset(expected: grams)
        counts.removeAll(keepingCapacity: true)
        counts.append(contentsOf: repeatElement(0, count: grams))
        let ids = wordIDs.base
        return counts.withUnsafeMutableBufferPointer { counts in
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
            topCounts.append((n, Int(counts[best])))
            return characters * Int(counts[best])
        }
    }

    /// At least `topNGramCharacters(words, n)`, found without counting n-grams: an n-gram occurs no more
    /// often than its first word, nor than any k-gram (k ≤ n) counted since `identify`, and it is no
    /// longer than the longest n-gram. (In most documents this is below the rule's limit, and the count,
    /// a table insert per word, is skipped.) Needs `identify` of the same words.
    func topNGramCharacterBound(_ words: [Range<Int>], _ n: Int) -> Int {
        guard words.count >= n, n >= 1 else { return 0 }
        var count = mostFrequentWordCount
        for known in topCounts where known.n <= n { count = min(count, known.count) }
        return words.withUnsafeBufferPointer { words in
            var window = 0
            for k in 0..<n { window &+= words[k].count }
            var longest = window
            var k = n
            while k < words.count {
                window &+= words[k].count &- words[k &- n].count
                longest = max(longest, window)
                k &+= 1
            }
            return (longest &+ n &- 1) &* count
        }
    }

    /// datatrove's `find_all_duplicate` over "".join(n-gram): characters of n-grams equal to an earlier
    /// one, skipping past each repeat. Needs `identify(…, joinedHashes: true)` of the same words.
    /// With `findRepeatCandidates(…, shortest: m)` for m ≤ n, only candidate positions are looked up: the
    /// others start an n-gram no other n-gram equals, so the greedy walk steps past them.
    func duplicatedNGramCharacters(wordCount: Int, _ n: Int) -> Int {
        guard wordCount >= n else { return 0 }
        let filtered = n >= candidatesFrom
        if filtered && candidateCount < 2 { return 0 }
        table.reset(expected: filtered ? candidateCount : wordCount)
        var repeated = 0
        let (prefix, powers, inversePowers, offsets, joined) = (prefix.base, powers.base, inversePowers.base, offsets.base, joined.base)
        let candidates = candidates.base, candidateCount = candidateCount
        let text = UnsafeBufferPointer(start: joined, count: Int(offsets[wordCount]))
        var i = 0
        var next = 0
        while i < wordCount - n + 1 {
            if filtered {
                // Straight to the next candidate: the walk only steps past the others.
                while next < candidateCount && Int(candidates[next]) < i { next &+= 1 }
                guard next < candidateCount else { break }
                i = Int(candidates[next])
                guard i < wordCount - n + 1 else { break }
            }
            let j = i + n
            // Σ over the n-gram's scalars of c·base^(its end − position − 1).
            let h = prefix[j] &- prefix[i] &* powers[j] &* inversePowers[i]
            let range = Int(offsets[i])..<Int(offsets[j])
            let first = table.insert(i, hash: Self.key(h, count: range.count)) { f in
                Self.equal(text, Int(offsets[f])..<Int(offsets[f + n]), range)
            }
            if first == i {
                i += 1
            } else {
                repeated += range.count
                i += n
            }
        }
        return repeated
    }

    /// Lists the positions where an n-gram of `shortest` or more words could equal another such n-gram, for
    /// `duplicatedNGramCharacters`: a position is a candidate when its `shortest`-gram is shorter than
    /// `window` characters, or when the hash of the `window` characters from its start shares a bucket with
    /// another position's. Two equal n-grams of length L are both candidates: if L < `window` both are short,
    /// else both start with the same `window` characters. In prose most positions are no candidate (on the
    /// chain bench, 13% of 547k positions are short or share their window with another; unrelated windows
    /// sharing a bucket add a few), and the six duplicated-n-gram walks visit only the candidates.
    /// Needs `identify(…, joinedHashes: true)`.
    func findRepeatCandidates(wordCount: Int, shortest: Int, window: Int = RepetitionCounter.candidateWindow) {
        candidatesFrom = .max
        guard shortest >= 1, wordCount >= shortest, window >= 1 else { return }
        let positions = wordCount - shortest + 1
        let offsets = offsets.base
        let characters = Int(offsets[wordCount])
        let joined = UnsafeBufferPointer(start: joined.base, count: characters)
        // A byte per hash bucket counts the windows that fall in it (up to 2): equal windows share a bucket,
        // so a window alone in its bucket starts no other position. Buckets shared by different windows only
        // make extra candidates: with 16 buckets per position, few.
        var buckets = 16
        while buckets < positions &* 16 { buckets <<= 1 }
        bucketCounts.reserve(buckets)
        positionBuckets.reserve(positions)
        candidates.reserve(positions)
        let (counts, slots, list) = (bucketCounts.base, positionBuckets.base, candidates.base)
        memset(counts, 0, buckets)
        let shift = UInt64(64 - buckets.trailingZeroBitCount)
        for i in 0..<positions {
            let start = Int(offsets[i])
            guard start &+ window <= characters else {
                slots[i] = -1
                continue
            }
            // Each window hashed on its own, four characters a step: independent of the other windows,
            // where per-character prefixes of the whole text were one chain of dependent multiplications.
            let h = Self.polynomial(joined, start..<(start &+ window)) &* 0x9E37_79B9_7F4A_7C15
            let bucket = Int(truncatingIfNeeded: h >> shift)
            slots[i] = Int32(truncatingIfNeeded: bucket)
            counts[bucket] = min(2, counts[bucket] &+ 1)
        }
        var candidateCount = 0
        for i in 0..<positions {
            let short = Int(offsets[i &+ shortest] &- offsets[i]) < window
            if short || counts[Int(slots[i])] > 1 {
                list[candidateCount] = Int32(truncatingIfNeeded: i)
                candidateCount &+= 1
            }
        }
        self.candidateCount = candidateCount
        candidatesFrom = shortest
    }
}
