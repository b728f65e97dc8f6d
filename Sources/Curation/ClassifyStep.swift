import Corpus
import Models

/// Annotates documents with any fastText classifier (a topic model, DCLM's quality model, YuLan's math
/// model) and optionally filters on it.
///
/// - Without `score_label`: `metadata.<field>` is the top label (without `__label__`) and
///   `<field>_score` its probability; `labels:` keeps only documents whose top label is listed, and
///   `min_score` only those whose top probability reaches it.
/// - With `score_label: hq`: `metadata.<field>` is the probability of that one label (DCLM's quality
///   score: P(hq)), and `min_score`/`max_score` filter on it.
/// - `taxonomy: en|zh` checks at load time that the model's labels are the SPEC topics (`TopicTaxonomy`).
///
/// The text is predicted as one line, newlines being separators, as `language` does.
public final class ClassifyStep: Step {
    public static let definition = StepDefinition(
        name: "classify", summary: "annotate with a fastText classifier (topic, quality): metadata.<field> and <field>_score; filter on them"
    ) { (options) throws(ConfigError) in
        guard let path = try options.filePath("model") else {
            throw options.error("model", "is required: a fastText classifier (.bin or .ftz), e.g. one made by `syllabus train-classifier`")
        }
        let model: FastTextModel
        do {
            model = try FastTextModel.load(path: path)
        } catch {
            throw options.error("model", "cannot be used: \(error)")
        }
        let labels = model.labels.map(LanguageStep.code)
        if let taxonomy = try options.choice("taxonomy", as: TopicTaxonomy.self) {
            let unknown = taxonomy.unknownLabels(model.labels)
            if !unknown.isEmpty {
                throw options.error("taxonomy", "\(path) has labels that are not \(taxonomy.rawValue) topics: \(unknown.joined(separator: ", ")). "
                                    + "Topics: \(taxonomy.labels.joined(separator: ", "))")
            }
        }
        func label(_ key: String, _ name: String) throws(ConfigError) -> Int {
            guard let index = labels.firstIndex(of: name) else {
                var message = "'\(name)' is not a label of \(path) (labels: \(labels.joined(separator: ", ")))"
                if let close = ConfigReader.closest(to: name, in: labels) { message += "; did you mean '\(close)'?" }
                throw options.error(key, message)
            }
            return index
        }
        let scoreLabel = try options.string("score_label").map { (name) throws(ConfigError) in try label("score_label", name) }
        var keep: Set<Int>?
        if let names = try options.strings("labels") {
            guard scoreLabel == nil else { throw options.error("labels", "cannot be combined with score_label (filter with min_score/max_score)") }
            var set = Set<Int>()
            for name in names { set.insert(try label("labels", name)) }
            keep = set
        }
        let minScore = try options.double("min_score", range: 0...1) ?? 0
        let maxScore = try options.double("max_score", range: 0...1) ?? 1
        guard minScore <= maxScore else { throw options.error("max_score", "must be at least min_score (\(minScore))") }
        let field = try options.string("field", default: "class")
        let keepLabels = keep
        let pool = FastTextPredictorPool(model: model)
        return FreshStepFactory(versionedName: "classify-v1") {
            ClassifyStep(pool: pool, field: field, scoreLabel: scoreLabel, keep: keepLabels,
                         minScore: Float(minScore), maxScore: Float(maxScore))
        }
    }

    private let predictor: FastTextPredictor
    private let names: [String]
    let field: String
    let scoreField: String
    let scoreLabel: Int?
    let keep: Set<Int>?
    let minScore: Float
    let maxScore: Float

    /// The pool the predictor was borrowed from: it goes back when the step (one task's) is done.
    private let pool: FastTextPredictorPool

    deinit { pool.giveBack(predictor) }

    init(pool: FastTextPredictorPool, field: String, scoreLabel: Int?, keep: Set<Int>?, minScore: Float, maxScore: Float) {
        self.pool = pool
        let predictor = pool.borrow()
        self.predictor = predictor
        self.names = predictor.model.labels.map(LanguageStep.code)
        self.field = field
        self.scoreField = field + "_score"
        self.scoreLabel = scoreLabel
        self.keep = keep
        self.minScore = minScore
        self.maxScore = maxScore
    }

    public func process(_ document: inout Document) -> Verdict {
        if let scoreLabel {
            // The probability of one label: ask for all labels (k = count) and pick it.
            let all = document.withTextUTF8 { predictor.predict(utf8: $0, k: names.count) }
            let score = all.first { $0.label == scoreLabel }?.probability ?? 0
            document.metadata[field] = .number(LanguageStep.rounded(score))
            return score >= minScore && score <= maxScore ? .keep : .drop(.classifierScoreOutOfRange)
        }
        let top = document.withTextUTF8 { predictor.predict(utf8: $0, k: 1) }.first
        let score = top?.probability ?? 0
        document.metadata[field] = .string(top.map { names[$0.label] } ?? "none")
        document.metadata[scoreField] = .number(LanguageStep.rounded(score))
        if let keep, !(top.map { keep.contains($0.label) } ?? false) { return .drop(.classifierLabelNotWanted) }
        return score >= minScore && score <= maxScore ? .keep : .drop(.classifierScoreOutOfRange)
    }
}

extension DropReason {
    public static let classifierLabelNotWanted = DropReason("classifier_label_not_wanted")
    public static let classifierScoreOutOfRange = DropReason("classifier_score_out_of_range")
}
