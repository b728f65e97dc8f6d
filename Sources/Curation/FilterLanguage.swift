import Corpus

/// The language a heuristic filter assumes: it picks the word segmenter, the stop words and the defaults.
public enum FilterLanguage: String, CaseIterable, Sendable {
    /// Words as datatrove splits English (spaCy's English tokenizer rules).
    case en
    /// Each Han character, kana and hangul syllable is a word; other runs are split as English is.
    case zh

    /// Appends the word ranges of `text[range]` to `words`.
    func words(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, into words: inout [Range<Int>]) {
        switch self {
        case .en:
            EnglishWordTokenizer.tokenize(text, range, into: &words)
        case .zh:
            var runStart = range.lowerBound
            for i in range where TextMeasures.isCJK(Unicode.Scalar(text[i]) ?? " ") {
                if runStart < i { EnglishWordTokenizer.tokenize(text, runStart..<i, into: &words) }
                // CJK punctuation (、。「」，…) stays a token too, as the English rules make punctuation one.
                words.append(i..<(i + 1))
                runStart = i + 1
            }
            if runStart < range.upperBound { EnglishWordTokenizer.tokenize(text, runStart..<range.upperBound, into: &words) }
        }
    }

    /// The number of words of `text[range]`, counted chunk by chunk (both segmenters split whitespace-free
    /// chunks independently) until `enough(count)` says the rest cannot matter; then the count so far.
    func countWords(_ text: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, scratch: inout [Range<Int>],
                    until enough: (Int) -> Bool) -> Int {
        var count = 0
        var i = range.lowerBound
        while i < range.upperBound {
            while i < range.upperBound && CharacterClasses.isSpace(text[i]) { i += 1 }
            let start = i
            while i < range.upperBound && !CharacterClasses.isSpace(text[i]) { i += 1 }
            guard start < i else { break }
            scratch.removeAll(keepingCapacity: true)
            words(text, start..<i, into: &scratch)
            count += scratch.count
            if enough(count) { break }
        }
        return count
    }

    /// Reads the `language` option (default English).
    static func read(_ options: ConfigReader) throws(ConfigError) -> FilterLanguage {
        try options.choice("language", as: FilterLanguage.self) ?? .en
    }
}
