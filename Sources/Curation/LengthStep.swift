import Corpus

/// Keeps documents whose length in characters and words lies within bounds.
public final class LengthStep: Step, Sendable {
    public static let definition = StepDefinition(
        name: "length", summary: "keep documents within min/max characters and words"
    ) { (options) throws(ConfigError) in
        let step = LengthStep(
            minCharacters: try options.int("min_characters", range: 0...Int.max),
            maxCharacters: try options.int("max_characters", range: 0...Int.max),
            minWords: try options.int("min_words", range: 0...Int.max),
            maxWords: try options.int("max_words", range: 0...Int.max))
        if let low = step.minCharacters, let high = step.maxCharacters, low > high {
            throw options.error("min_characters", "is larger than max_characters (\(low) > \(high))")
        }
        if let low = step.minWords, let high = step.maxWords, low > high {
            throw options.error("min_words", "is larger than max_words (\(low) > \(high))")
        }
        return SharedStepFactory(versionedName: "length-v1", step: step)
    }

    public let minCharacters: Int?
    public let maxCharacters: Int?
    public let minWords: Int?
    public let maxWords: Int?

    public init(minCharacters: Int? = nil, maxCharacters: Int? = nil, minWords: Int? = nil, maxWords: Int? = nil) {
        self.minCharacters = minCharacters
        self.maxCharacters = maxCharacters
        self.minWords = minWords
        self.maxWords = maxWords
    }

    public func process(_ document: inout Document) -> Verdict {
        if minCharacters != nil || maxCharacters != nil {
            // Characters never outnumber UTF-8 bytes: a short byte count decides without counting.
            if let minCharacters, document.text.utf8.count < minCharacters { return .drop(.tooFewCharacters) }
            let characters = TextMeasures.characterCount(document.text)
            if let minCharacters, characters < minCharacters { return .drop(.tooFewCharacters) }
            if let maxCharacters, characters > maxCharacters { return .drop(.tooManyCharacters) }
        }
        if minWords != nil || maxWords != nil {
            let words = TextMeasures.wordCount(document.text)
            if let minWords, words < minWords { return .drop(.tooFewWords) }
            if let maxWords, words > maxWords { return .drop(.tooManyWords) }
        }
        return .keep
    }
}

extension DropReason {
    public static let tooFewCharacters = DropReason("too_few_characters")
    public static let tooManyCharacters = DropReason("too_many_characters")
    public static let tooFewWords = DropReason("too_few_words")
    public static let tooManyWords = DropReason("too_many_words")
}
