import Testing
@testable import Curation

/// Gopher repetition's counts must be datatrove's, computed the slow obvious way: n-grams as strings.
@Suite struct RepetitionCounterTests {
    @Test func hashConstantsArePowersAndInverseOfTheBase() {
        let base = RepetitionCounter.base
        #expect(RepetitionCounter.base2 == base &* base)
        #expect(RepetitionCounter.base3 == base &* base &* base)
        #expect(RepetitionCounter.base4 == base &* base &* base &* base)
        #expect(base &* RepetitionCounter.inverseBase == 1)
    }

    @Test func polynomialInStepsOfFourEqualsOneCharacterAtATime() {
        var generator = SystemRandomNumberGenerator()
        let scalars = (0..<200).map { _ in UInt32.random(in: 0...0x10FFFF, using: &generator) }
        scalars.withUnsafeBufferPointer { s in
            for start in 0..<20 {
                for end in start...(start + 70) {
                    var expected: UInt64 = 0
                    for i in start..<end { expected = expected &* RepetitionCounter.base &+ UInt64(s[i]) }
                    #expect(RepetitionCounter.polynomial(s, start..<end) == expected, "\(start)..<\(end)")
                }
            }
        }
    }

    /// datatrove's `find_all_duplicate`: n-grams joined without a separator, a repeat skips n words.
    static func allDuplicates(_ words: [String], _ n: Int) -> Int {
        var seen = Set<String>()
        var repeated = 0, i = 0
        while i < words.count - n + 1 {
            let gram = words[i..<(i + n)].joined()
            if seen.contains(gram) {
                repeated += gram.unicodeScalars.count
                i += n
            } else {
                seen.insert(gram)
                i += 1
            }
        }
        return repeated
    }

    /// datatrove's `find_top_duplicate` over " ".join(n-gram): the first most frequent n-gram × its count.
    static func topDuplicate(_ words: [String], _ n: Int) -> Int {
        guard words.count >= n else { return 0 }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for i in 0...(words.count - n) {
            let gram = words[i..<(i + n)].joined(separator: " ")
            if counts[gram] == nil { order.append(gram) }
            counts[gram, default: 0] += 1
        }
        var best = order[0]
        for gram in order where counts[gram]! > counts[best]! { best = gram }
        return best.unicodeScalars.count * counts[best]!
    }

    @Test func nGramCountsAreDatatrovesOnRandomWordsWithJoinedCollisions() {
        // A tiny vocabulary whose words join into each other ("a"+"ab" = "aab" = "aa"+"b"), long words
        // (past the power table) and non-ASCII, so equal joined n-grams of different words are common.
        let vocabulary = ["a", "b", "ab", "ba", "aa", "aab", "é", "éa", "中文", String(repeating: "x", count: 70), String(repeating: "x", count: 69) + "y"]
        let counter = RepetitionCounter()
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let count = Int.random(in: 0...60, using: &generator)
            let words = (0..<count).map { _ in vocabulary.randomElement(using: &generator)! }
            Self.check(counter, words, round: round, &generator)
        }
    }

    /// Mostly distinct words with a few phrases repeated, like prose: most positions are no candidate for a
    /// duplicated n-gram, so the walks skip them, and the top-n-gram bound is usually under a rule's limit.
    @Test func nGramCountsAreDatatrovesOnProseLikeWordsWithRepeatedPhrases() {
        var generator = SystemRandomNumberGenerator()
        let letters = Array("abcdefgh")
        let vocabulary = (0..<400).map { _ in String((0..<Int.random(in: 1...9, using: &generator)).map { _ in letters.randomElement(using: &generator)! }) }
        let counter = RepetitionCounter()
        for round in 0..<200 {
            var words: [String] = []
            let count = Int.random(in: 0...300, using: &generator)
            while words.count < count {
                if !words.isEmpty, Int.random(in: 0..<40, using: &generator) == 0 {
                    // Repeat an earlier phrase of 1–12 words.
                    let start = Int.random(in: 0..<words.count, using: &generator)
                    words += words[start..<min(words.count, start + Int.random(in: 1...12, using: &generator))]
                } else {
                    words.append(vocabulary.randomElement(using: &generator)!)
                }
            }
            Self.check(counter, words, round: round, &generator)
        }
    }

    /// Every count against datatrove's definition: top n-grams (n = 1…6, in a random order, each after checking
    /// that its bound is at least the count), then duplicated n-grams (n = 1…10) with repeat candidates marked
    /// from a random shortest n and window, so walks with and without them are both checked.
    static func check(_ counter: RepetitionCounter, _ words: [String], round: Int, _ generator: inout SystemRandomNumberGenerator) {
        var scalars: [UInt32] = []
        var ranges: [Range<Int>] = []
        for word in words {
            let start = scalars.count
            scalars += word.unicodeScalars.map(\.value)
            ranges.append(start..<scalars.count)
            scalars.append(0x20)
        }
        scalars.withUnsafeBufferPointer { s in
            counter.identify(s, ranges, joinedHashes: true)
            for n in (1...6).shuffled(using: &generator) {
                let expected = Self.topDuplicate(words, n)
                #expect(counter.topNGramCharacterBound(ranges, n) >= expected, "round \(round), top \(n)-gram bound of \(words)")
                #expect(counter.topNGramCharacters(ranges, n) == expected, "round \(round), top \(n)-gram of \(words)")
            }
            counter.findRepeatCandidates(wordCount: ranges.count, shortest: Int.random(in: 1...7, using: &generator),
                                         window: Int.random(in: 1...16, using: &generator))
            for n in 1...10 {
                #expect(counter.duplicatedNGramCharacters(wordCount: ranges.count, n) == Self.allDuplicates(words, n),
                        "round \(round), duplicated \(n)-grams of \(words)")
            }
        }
    }
}
