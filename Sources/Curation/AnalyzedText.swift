import Corpus

/// A document's text as the heuristic filters read it — Unicode scalars, and words per filter language —
/// made once and shared by the filter steps of a chain through the document (`textDerivations`), until a
/// step changes the text. The Gopher quality, Gopher repetition and FineWeb steps all split the same text
/// into words; splitting it once saved about a fifth of the chain's time.
final class AnalyzedText: @unchecked Sendable {
    let scalars: [UInt32]
    private var englishWords: [Range<Int>]?
    private var chineseWords: [Range<Int>]?

    init(scalars: [UInt32]) {
        self.scalars = scalars
    }

    /// The document's analysis: the one a step before made of the same text, or a new one.
    static func of(_ document: inout Document) -> AnalyzedText {
        if let analyzed = document.textDerivations as? AnalyzedText { return analyzed }
        let analyzed = AnalyzedText(scalars: ScalarText(document).scalars)
        document.textDerivations = analyzed
        return analyzed
    }

    /// The words of the whole text as `language` splits it.
    func words(_ language: FilterLanguage) -> [Range<Int>] {
        switch language {
        case .en:
            if let englishWords { return englishWords }
            let words = split(language)
            englishWords = words
            return words
        case .zh:
            if let chineseWords { return chineseWords }
            let words = split(language)
            chineseWords = words
            return words
        }
    }

    /// The number of words, when a step already split the text for `language`.
    func knownWordCount(_ language: FilterLanguage) -> Int? {
        (language == .en ? englishWords : chineseWords)?.count
    }

    private func split(_ language: FilterLanguage) -> [Range<Int>] {
        var words: [Range<Int>] = []
        words.reserveCapacity(scalars.count / 5)
        scalars.withUnsafeBufferPointer { language.words($0, 0..<$0.count, into: &words) }
        return words
    }
}
