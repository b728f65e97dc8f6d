import Corpus

/// Gopher's repetition rules with the semantics, order, thresholds and drop reasons of datatrove 0.10.1's
/// `GopherRepetitionFilter`: duplicate paragraphs and lines (by count and by characters), the most frequent
/// 2/3/4-gram's character share, and the character share of duplicated 5…10-grams.
///
/// All fractions are of the document's length in characters (Unicode scalars, as Python's `len`). N-grams
/// are compared by content (hash, then exact comparison); duplicated n-grams are compared as datatrove joins
/// them, without separators.
public final class GopherRepetitionStep: Step {
    public static let definition = StepDefinition(
        name: "gopher_repetition", summary: "Gopher repetition rules (datatrove GopherRepetitionFilter): duplicate lines, paragraphs and n-grams"
    ) { (options) throws(ConfigError) in
        let language = try FilterLanguage.read(options)
        let d = Thresholds.defaults(for: language)
        var t = d
        t.dupLineFrac = try FilterOptions.threshold(options, "dup_line_frac", d.dupLineFrac)
        t.dupParaFrac = try FilterOptions.threshold(options, "dup_para_frac", d.dupParaFrac)
        t.dupLineCharFrac = try FilterOptions.threshold(options, "dup_line_char_frac", d.dupLineCharFrac)
        t.dupParaCharFrac = try FilterOptions.threshold(options, "dup_para_char_frac", d.dupParaCharFrac)
        t.topNGrams = try nGramOption(options, "top_n_grams", d.topNGrams)
        t.dupNGrams = try nGramOption(options, "dup_n_grams", d.dupNGrams)
        let thresholds = t
        return FreshStepFactory(versionedName: "gopher-repetition-v1") { GopherRepetitionStep(thresholds, language: language) }
    }

    /// `top_n_grams: {2: 0.2, 3: 0.18}` — n and its maximum character fraction.
    private static func nGramOption(_ options: ConfigReader, _ key: String, _ fallback: [NGramThreshold]) throws(ConfigError) -> [NGramThreshold] {
        guard let value = options.value(key) else { return options.has(key) ? [] : fallback }
        guard case let .mapping(entries, _) = value else {
            throw options.error(key, "expected a mapping of n to its maximum fraction, e.g. {2: 0.2, 3: 0.18}")
        }
        var result: [NGramThreshold] = []
        for (n, fraction) in entries {
            guard let n = Int(n), n >= 1, case let .scalar(text, _) = fraction, let f = Double(text), f >= 0 else {
                throw options.error(key, "expected n (an integer ≥ 1) mapped to a fraction ≥ 0, e.g. {2: 0.2}")
            }
            result.append(NGramThreshold(n: n, maxFraction: f))
        }
        return result
    }

    public struct NGramThreshold: Sendable, Equatable {
        public var n: Int
        public var maxFraction: Double
        public init(n: Int, maxFraction: Double) {
            self.n = n
            self.maxFraction = maxFraction
        }
    }

    public struct Thresholds: Sendable, Equatable {
        public var dupLineFrac: Double? = 0.3
        public var dupParaFrac: Double? = 0.3
        public var dupLineCharFrac: Double? = 0.2
        public var dupParaCharFrac: Double? = 0.2
        public var topNGrams: [NGramThreshold] = [(2, 0.2), (3, 0.18), (4, 0.16)].map { NGramThreshold(n: $0.0, maxFraction: $0.1) }
        public var dupNGrams: [NGramThreshold] = [(5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)]
            .map { NGramThreshold(n: $0.0, maxFraction: $0.1) }

        public init() {}

        /// datatrove's (Gopher's) defaults for English. For Chinese, where each character is a word, n-grams are
        /// character n-grams and a word n-gram of Gopher's spans about twice as many: the top-n-gram rules use
        /// n = 4, 6, 8 and the duplicated-n-gram rules n = 10, 12, …, 20, with Gopher's fractions.
        public static func defaults(for language: FilterLanguage) -> Thresholds {
            var t = Thresholds()
            if language == .zh {
                t.topNGrams = t.topNGrams.map { NGramThreshold(n: $0.n * 2, maxFraction: $0.maxFraction) }
                t.dupNGrams = t.dupNGrams.map { NGramThreshold(n: $0.n * 2, maxFraction: $0.maxFraction) }
            }
            return t
        }
    }

    public let thresholds: Thresholds
    public let language: FilterLanguage
    private let counter = RepetitionCounter()
    private let shortestDuplicatedNGram: Int?

    public init(_ thresholds: Thresholds? = nil, language: FilterLanguage = .en) {
        self.thresholds = thresholds ?? .defaults(for: language)
        self.language = language
        shortestDuplicatedNGram = self.thresholds.dupNGrams.map(\.n).min()
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = AnalyzedText.of(&document)
        return text.scalars.withUnsafeBufferPointer { s in judge(s, text) }
    }

    private func judge(_ s: UnsafeBufferPointer<UInt32>, _ text: AnalyzedText) -> Verdict {
        let t = thresholds
        guard s.count > 0 else { return .drop(.empty) }
        let length = Double(s.count)

        // Paragraphs: re.split(r"\n{2,}", text.strip()).
        if t.dupParaFrac != nil || t.dupParaCharFrac != nil {
            let stripped = ScalarText.strip(s, 0..<s.count)
            var paragraphs: [Range<Int>] = []
            var start = stripped.lowerBound
            var i = stripped.lowerBound
            while true {
                i = ScalarText.nextNewline(s, i, stripped.upperBound)
                guard i < stripped.upperBound else { break }
                if i + 1 < stripped.upperBound && s[i + 1] == 0x0A {
                    paragraphs.append(start..<i)
                    while i < stripped.upperBound && s[i] == 0x0A { i += 1 }
                    start = i
                } else {
                    i += 1
                }
            }
            paragraphs.append(start..<stripped.upperBound)
            let (elements, chars) = counter.duplicates(s, paragraphs)
            if let max = t.dupParaFrac, Double(elements) / Double(paragraphs.count) > max { return .drop(.dupParaFrac) }
            if let max = t.dupParaCharFrac, Double(chars) / length > max { return .drop(.dupParaCharFrac) }
        }

        // Lines: re.split("\n+", text).
        if t.dupLineFrac != nil || t.dupLineCharFrac != nil {
            var lines: [Range<Int>] = []
            var start = 0
            var i = 0
            while true {
                i = ScalarText.nextNewline(s, i, s.count)
                guard i < s.count else { break }
                lines.append(start..<i)
                while i < s.count && s[i] == 0x0A { i += 1 }
                start = i
            }
            lines.append(start..<s.count)
            let (elements, chars) = counter.duplicates(s, lines)
            if let max = t.dupLineFrac, Double(elements) / Double(lines.count) > max { return .drop(.dupLineFrac) }
            if let max = t.dupLineCharFrac, Double(chars) / length > max { return .drop(.dupLineCharFrac) }
        }

        guard !t.topNGrams.isEmpty || !t.dupNGrams.isEmpty else { return .keep }
        let words = text.words(language)
        counter.identify(s, words, joinedHashes: !t.dupNGrams.isEmpty)
        for rule in t.topNGrams where words.count >= rule.n {
            // The bound is cheap and usually under the limit, and then the count cannot be over it.
            guard Double(counter.topNGramCharacterBound(words, rule.n)) / length > rule.maxFraction else { continue }
            if Double(counter.topNGramCharacters(words, rule.n)) / length > rule.maxFraction { return .drop(.topNGram(rule.n)) }
        }
        if let shortest = shortestDuplicatedNGram { counter.findRepeatCandidates(wordCount: words.count, shortest: shortest) }
        for rule in t.dupNGrams {
            let repeated = counter.duplicatedNGramCharacters(wordCount: words.count, rule.n)
            if Double(repeated) / length > rule.maxFraction { return .drop(.duplicatedNGrams(rule.n)) }
        }
        return .keep
    }
}

extension DropReason {
    public static let empty = DropReason("empty")
    public static let dupParaFrac = DropReason("dup_para_frac")
    public static let dupParaCharFrac = DropReason("dup_para_char_frac")
    public static let dupLineFrac = DropReason("dup_line_frac")
    public static let dupLineCharFrac = DropReason("dup_line_char_frac")
    /// `top_2_gram`, `top_3_gram`, …
    public static func topNGram(_ n: Int) -> DropReason { DropReason("top_\(n)_gram") }
    /// `duplicated_5_n_grams`, …
    public static func duplicatedNGrams(_ n: Int) -> DropReason { DropReason("duplicated_\(n)_n_grams") }
}
