import Corpus
import Models

/// Language identification with a fastText model (lid.176): writes `language` (the label without
/// `__label__`) and `language_score` into the metadata and, when asked, keeps only some languages.
///
/// Like datatrove's LanguageFilter: the text is predicted as one line (newlines are separators); a
/// document is kept when its top score is above `min_score` (no `languages` given), or when one of
/// `languages` scores above `min_score` (strictly, as datatrove compares). `min_score: 0` only annotates.
public final class LanguageStep: Step {
    public static let definition = StepDefinition(
        name: "language", summary: "language id with a fastText model (lid.176): metadata.language/_score; keep some languages"
    ) { (options) throws(ConfigError) in
        guard let path = try options.filePath("model") else {
            throw options.error("model", "is required: a fastText language-id model such as lid.176.ftz (Tests/Fixtures/models/lid.176.ftz)")
        }
        let model: FastTextModel
        do {
            model = try FastTextModel.load(path: path)
        } catch {
            throw options.error("model", "cannot be used: \(error)")
        }
        let languages = try options.strings("languages")
        let minScore = try options.double("min_score", range: 0...1) ?? (languages == nil ? 0 : 0.65)
        let field = try options.string("field", default: "language")
        if let languages {
            let known = Set(model.labels.map(LanguageStep.code))
            for language in languages where !known.contains(language) {
                var message = "'\(language)' is not a label of \(path)"
                if let close = ConfigReader.closest(to: language, in: Array(known)) { message += "; did you mean '\(close)'?" }
                throw options.error("languages", message)
            }
        }
        let wanted = languages.map(Set.init)
        let pool = FastTextPredictorPool(model: model)
        return FreshStepFactory(versionedName: "language-v1") {
            LanguageStep(pool: pool, languages: wanted, minScore: Float(minScore), field: field)
        }
    }

    private let predictor: FastTextPredictor
    private let codes: [String]
    public let languages: Set<String>?
    public let minScore: Float
    public let field: String

    /// The pool the predictor is borrowed from, if any: it goes back when the step (one task's) is done.
    private let pool: FastTextPredictorPool?

    public convenience init(pool: FastTextPredictorPool, languages: Set<String>? = nil, minScore: Float = 0, field: String = "language") {
        self.init(predictor: pool.borrow(), pool: pool, languages: languages, minScore: minScore, field: field)
    }

    deinit { pool?.giveBack(predictor) }

    public init(predictor: FastTextPredictor, pool: FastTextPredictorPool? = nil, languages: Set<String>? = nil, minScore: Float = 0,
                field: String = "language") {
        self.predictor = predictor
        self.pool = pool
        self.codes = predictor.model.labels.map(Self.code)
        self.languages = languages
        self.minScore = minScore
        self.field = field
    }

    /// `__label__en` → `en`.
    static func code(_ label: String) -> String {
        label.hasPrefix("__label__") ? String(label.dropFirst(9)) : label
    }

    public func process(_ document: inout Document) -> Verdict {
        let top = document.withTextUTF8 { predictor.predict(utf8: $0, k: 1) }.first
        let language = top.map { codes[$0.label] } ?? "und"
        let score = top?.probability ?? 0
        document.metadata[field] = .string(language)
        document.metadata[field + "_score"] = .number(Self.rounded(score))
        guard let languages else {
            return passes(score) ? .keep : .drop(.languageScoreTooLow)
        }
        if languages.contains(language) && passes(score) { return .keep }
        // Another listed language can reach the bar only when the bar is below one half.
        if minScore < 0.5 {
            let others = document.withTextUTF8 { predictor.predict(utf8: $0, k: codes.count, threshold: minScore) }
            if others.contains(where: { languages.contains(codes[$0.label]) && passes($0.probability) }) { return .keep }
        }
        return .drop(.languageNotWanted)
    }

    private func passes(_ score: Float) -> Bool { minScore == 0 || score > minScore }

    /// Four decimals, as a JSON number text.
    static func rounded(_ score: Float) -> String {
        let value = (Double(score) * 10_000).rounded() / 10_000
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension DropReason {
    /// The document's language is not among the step's `languages` (with at least `min_score`).
    public static let languageNotWanted = DropReason("language_not_wanted")
    /// No `languages` list, and the top language scores below `min_score`.
    public static let languageScoreTooLow = DropReason("language_score_too_low")
}
