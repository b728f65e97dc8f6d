/// A training-data plan: where the documents are (sources), how many tokens each stage takes, in which
/// mixture and order, and the learning-rate phases. Read from YAML by `CurriculumPlan.load(path:)`.
public struct CurriculumPlan: Sendable {
    public var name: String
    /// The plan file, for messages and for `adjust` to write back to.
    public var file: String
    public var seed: UInt64
    public var sources: [PlanSource]
    public var stages: [PlanStage]
    /// What to do when a group's ratios do not sum to 1.
    public var ratioSums: RatioSumPolicy
    public var learningRate: LearningRateSpec?
    /// Ratio updates written by `syllabus adjust`, oldest first; they override the stages' own ratios.
    public var adjustments: [RatioAdjustmentRecord]
    /// How `syllabus adjust` updates ratios (defaults: topic groups, α = 0.5, w = 1).
    public var adjustPolicy: AdjustPolicy
    /// Where `syllabus plan` writes manifests unless `--output` says otherwise.
    public var outputFolder: String?

    public enum RatioSumPolicy: String, Sendable, CaseIterable {
        /// Divide by the sum (`zh: 2, en: 8` means 20% and 80%).
        case normalize
        /// Refuse a group whose ratios do not sum to 1 (within 1e-6).
        case exact
    }

    public func source(named name: String) -> PlanSource? { sources.first { $0.name == name } }

    public var totalTokens: Int { stages.reduce(0) { $0 + $1.tokens } }
}

/// One source of documents: curated shards (or, for explain-only plans, a declared token total), its
/// constant labels (language, category) and the record fields that hold per-document values.
public struct PlanSource: Sendable {
    public var name: String
    /// Files (globs resolved, absolute); empty for a declared-only source.
    public var paths: [String]
    /// The globs as written, for messages.
    public var patterns: [String]
    /// Constant per source: `language: zh`, `category: web`.
    public var labels: [String: String]
    /// Per-document values, by name → dotted record path. Always has `tokens` and `ppl`; `topic` by default.
    public var fields: [String: String]
    /// Values for documents that lack a field (e.g. `topic: Others`); a field without one is an error.
    public var fieldDefaults: [String: String]
    /// Tokens the source holds when it has no files (explain-only plans, imported recipes).
    public var declaredTokens: Int?
    /// How many times a document may be used over the whole plan (1: never reused).
    public var maxEpochs: Int

    public static let defaultFields = ["tokens": "metadata.tokens", "ppl": "metadata.ppl", "topic": "metadata.topic"]

    /// The value that groups this source by `key` when it is constant for the source: its name or a label.
    public func constantValue(for key: String) -> String? {
        key == "source" ? name : labels[key]
    }
}
