import Corpus

/// Gopher's quality rules (Rae et al. 2021, table A1) with the semantics, order, thresholds and drop reasons
/// of datatrove 0.10.1's `GopherQualityFilter`.
///
/// Words are datatrove's (spaCy's English tokenizer rules; see `EnglishWordTokenizer`); a word is a "symbol"
/// when all its characters are in datatrove's punctuation set. Where datatrove would divide by zero (a
/// document without words, only possible with `min_doc_words` off), the document is dropped as `gopher_short_doc`.
public final class GopherQualityStep: Step, Sendable {
    public static let definition = StepDefinition(
        name: "gopher_quality", summary: "Gopher quality rules (datatrove GopherQualityFilter): words, word length, symbols, bullets, alphabetic words, stop words"
    ) { (options) throws(ConfigError) in
        let language = try FilterLanguage.read(options)
        let d = Thresholds.defaults(for: language)
        let t = Thresholds(
            minDocWords: try FilterOptions.count(options, "min_doc_words", d.minDocWords),
            maxDocWords: try FilterOptions.count(options, "max_doc_words", d.maxDocWords),
            minAvgWordLength: try FilterOptions.threshold(options, "min_avg_word_length", d.minAvgWordLength),
            maxAvgWordLength: try FilterOptions.threshold(options, "max_avg_word_length", d.maxAvgWordLength),
            maxSymbolWordRatio: try FilterOptions.threshold(options, "max_symbol_word_ratio", d.maxSymbolWordRatio),
            maxBulletLinesRatio: try FilterOptions.threshold(options, "max_bullet_lines_ratio", d.maxBulletLinesRatio),
            maxEllipsisLinesRatio: try FilterOptions.threshold(options, "max_ellipsis_lines_ratio", d.maxEllipsisLinesRatio),
            maxNonAlphaWordsRatio: try FilterOptions.threshold(options, "max_non_alpha_words_ratio", d.maxNonAlphaWordsRatio),
            minStopWords: try FilterOptions.count(options, "min_stop_words", d.minStopWords))
        let stopWords = try options.strings("stop_words") ?? StopWords.defaults(for: language)
        return SharedStepFactory(versionedName: "gopher-quality-v1",
                                 step: GopherQualityStep(t, stopWords: stopWords, language: language))
    }

    /// The thresholds; nil switches a rule off. Names and meanings are datatrove's.
    public struct Thresholds: Sendable, Equatable {
        public var minDocWords: Int? = 50
        public var maxDocWords: Int? = 100_000
        public var minAvgWordLength: Double? = 3
        public var maxAvgWordLength: Double? = 10
        public var maxSymbolWordRatio: Double? = 0.1
        public var maxBulletLinesRatio: Double? = 0.9
        public var maxEllipsisLinesRatio: Double? = 0.3
        /// The minimum share of words with an alphabetic character (datatrove's misleading name).
        public var maxNonAlphaWordsRatio: Double? = 0.8
        public var minStopWords: Int? = 2

        public init(minDocWords: Int? = 50, maxDocWords: Int? = 100_000, minAvgWordLength: Double? = 3,
                    maxAvgWordLength: Double? = 10, maxSymbolWordRatio: Double? = 0.1, maxBulletLinesRatio: Double? = 0.9,
                    maxEllipsisLinesRatio: Double? = 0.3, maxNonAlphaWordsRatio: Double? = 0.8, minStopWords: Int? = 2) {
            self.minDocWords = minDocWords
            self.maxDocWords = maxDocWords
            self.minAvgWordLength = minAvgWordLength
            self.maxAvgWordLength = maxAvgWordLength
            self.maxSymbolWordRatio = maxSymbolWordRatio
            self.maxBulletLinesRatio = maxBulletLinesRatio
            self.maxEllipsisLinesRatio = maxEllipsisLinesRatio
            self.maxNonAlphaWordsRatio = maxNonAlphaWordsRatio
            self.minStopWords = minStopWords
        }

        /// datatrove's defaults for English. For Chinese, where every character is a word: word length says
        /// nothing (always 1), so both length rules are off; punctuation is a larger share of the words (about
        /// one in six in running Chinese text), so the alphabetic share is lowered to 0.7; the word bounds are
        /// kept (50 characters is a short paragraph).
        public static func defaults(for language: FilterLanguage) -> Thresholds {
            switch language {
            case .en: return Thresholds()
            case .zh: return Thresholds(minAvgWordLength: nil, maxAvgWordLength: nil, maxNonAlphaWordsRatio: 0.7)
            }
        }
    }

    public let thresholds: Thresholds
    public let language: FilterLanguage
    private let stopWords: [[UInt32]]

    public init(_ thresholds: Thresholds? = nil, stopWords: [String]? = nil, language: FilterLanguage = .en) {
        self.thresholds = thresholds ?? .defaults(for: language)
        self.language = language
        self.stopWords = Array(Set(stopWords ?? StopWords.defaults(for: language))).sorted().map { $0.unicodeScalars.map(\.value) }
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = AnalyzedText.of(&document)
        let words = text.words(language)
        return text.scalars.withUnsafeBufferPointer { s in judge(s, words) }
    }

    private static let dots: [UInt32] = [0x2E, 0x2E, 0x2E]
    private static let ellipsis: [UInt32] = [0x2026]

    /// text.count("#"), and text.count("...") + text.count("…"), in one pass ("..." is counted without
    /// overlaps, as str.count does; the other two are single characters). Eight characters at a time are
    /// skipped when none is '#', '.' or '…' (most are not).
    static func hashesAndEllipses(_ s: UnsafeBufferPointer<UInt32>) -> (hashes: Int, ellipses: Int) {
        var hashes = 0, ellipses = 0
        var i = 0
        let n = s.count
        let hash = SIMD8<UInt32>(repeating: 0x23), dot = SIMD8<UInt32>(repeating: 0x2E), ellipsis = SIMD8<UInt32>(repeating: 0x2026)
        while i < n {
            i = ScalarText.skipBlocks(s, i, n) { any(($0 .== hash) .| ($0 .== dot) .| ($0 .== ellipsis)) }
            let blockEnd = min(n, i &+ 8)
            while i < blockEnd {
                switch s[i] {
                case 0x23: hashes += 1
                case 0x2026: ellipses += 1
                case 0x2E where i + 2 < n && s[i + 1] == 0x2E && s[i + 2] == 0x2E:
                    ellipses += 1
                    i += 2
                default: break
                }
                i += 1
            }
        }
        return (hashes, ellipses)
    }

    private func judge(_ s: UnsafeBufferPointer<UInt32>, _ words: [Range<Int>]) -> Verdict {
        let t = thresholds
        let all = 0..<s.count
        let nWords = words.count

        var nonSymbolWords = 0
        var nonSymbolLength = 0
        for word in words {
            for i in word where !CharacterClasses.isDatatrovePunctuation(s[i]) {
                nonSymbolWords += 1
                nonSymbolLength += word.count
                break
            }
        }
        if let min = t.minDocWords, nonSymbolWords < min { return .drop(.gopherShortDoc) }
        if let max = t.maxDocWords, nonSymbolWords > max { return .drop(.gopherLongDoc) }
        guard nWords > 0 else { return .drop(.gopherShortDoc) }

        // numpy's mean of an empty list is nan, which compares false.
        if nonSymbolWords > 0 {
            let average = Double(nonSymbolLength) / Double(nonSymbolWords)
            if let min = t.minAvgWordLength, average < min { return .drop(.gopherBelowAvgThreshold) }
            if let max = t.maxAvgWordLength, average > max { return .drop(.gopherAboveAvgThreshold) }
        }

        if let max = t.maxSymbolWordRatio {
            let (hashes, ellipses) = Self.hashesAndEllipses(s)
            if Double(hashes) / Double(nWords) > max { return .drop(.gopherTooManyHashes) }
            if Double(ellipses) / Double(nWords) > max { return .drop(.gopherTooManyEllipsis) }
        }

        if t.maxBulletLinesRatio != nil || t.maxEllipsisLinesRatio != nil {
            let lines = ScalarText.splitLines(s, all)
            let lineCount = Double(max(lines.count, 1))
            if let max = t.maxBulletLinesRatio {
                var bullets = 0
                for line in lines {
                    var i = line.lowerBound
                    while i < line.upperBound && CharacterClasses.isSpace(s[i]) { i += 1 }
                    if i < line.upperBound && (s[i] == 0x2022 || s[i] == 0x2D) { bullets += 1 }
                }
                if Double(bullets) / lineCount > max { return .drop(.gopherTooManyBullets) }
            }
            if let max = t.maxEllipsisLinesRatio {
                var endings = 0
                for line in lines {
                    var end = line.upperBound
                    while end > line.lowerBound && CharacterClasses.isSpace(s[end - 1]) { end -= 1 }
                    let trimmed = line.lowerBound..<end
                    if ScalarText.hasSuffix(s, trimmed, Self.dots) || ScalarText.hasSuffix(s, trimmed, Self.ellipsis) {
                        endings += 1
                    }
                }
                if Double(endings) / lineCount > max { return .drop(.gopherTooManyEndEllipsis) }
            }
        }

        if let min = t.maxNonAlphaWordsRatio {
            var alphabetic = 0
            for word in words {
                for i in word where CharacterClasses.isAlpha(s[i]) {
                    alphabetic += 1
                    break
                }
            }
            if Double(alphabetic) / Double(nWords) < min { return .drop(.gopherBelowAlphaThreshold) }
        }

        if let min = t.minStopWords {
            var found = [Bool](repeating: false, count: stopWords.count)
            var distinct = 0
            for word in words where distinct < min {
                for (k, stop) in stopWords.enumerated() where !found[k] && stop.count == word.count
                    && ScalarText.matches(s, word.lowerBound, stop) {
                    found[k] = true
                    distinct += 1
                }
            }
            if distinct < min { return .drop(.gopherEnoughStopWords) }
        }
        return .keep
    }
}

extension DropReason {
    public static let gopherShortDoc = DropReason("gopher_short_doc")
    public static let gopherLongDoc = DropReason("gopher_long_doc")
    public static let gopherBelowAvgThreshold = DropReason("gopher_below_avg_threshold")
    public static let gopherAboveAvgThreshold = DropReason("gopher_above_avg_threshold")
    public static let gopherTooManyHashes = DropReason("gopher_too_many_hashes")
    public static let gopherTooManyEllipsis = DropReason("gopher_too_many_ellipsis")
    public static let gopherTooManyBullets = DropReason("gopher_too_many_bullets")
    public static let gopherTooManyEndEllipsis = DropReason("gopher_too_many_end_ellipsis")
    public static let gopherBelowAlphaThreshold = DropReason("gopher_below_alpha_threshold")
    /// datatrove's name for "fewer stop words than required".
    public static let gopherEnoughStopWords = DropReason("gopher_enough_stop_words")
}
