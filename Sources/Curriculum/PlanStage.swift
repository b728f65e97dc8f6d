/// One stage of a plan: a token budget, a phase, a mixture, which documents to take first and the order
/// they are written in.
public struct PlanStage: Sendable {
    public var name: String
    public var tokens: Int
    public var phase: Phase
    public var mixture: MixtureNode
    public var selection: Selection
    public var order: DocumentOrder
    /// The seed for this stage's random choices (the plan's seed mixed with the stage's position).
    public var seed: UInt64

    public enum Phase: String, Sendable, CaseIterable, Codable {
        case warmup, stable, annealing
    }

    /// Which of a pool's unused documents a stage takes first. The same order holds for every stage, so
    /// consecutive stages consume a source in sequence (a `ppl_ascending` selection gives an easy→hard
    /// curriculum across stages).
    public enum Selection: String, Sendable, CaseIterable, Codable {
        case random
        case pplAscending = "ppl_ascending"
        case pplDescending = "ppl_descending"
        /// Files in path order, records in file order.
        case file
    }
}

/// The order of a stage's documents in its manifest (and so in the training files).
public struct DocumentOrder: Sendable, Equatable {
    public var key: Key
    /// Sort over the whole stage, or within each source (then sources follow one another, or interleave).
    public var scope: Scope
    /// With `scope: source`: spread every source evenly over the stage instead of one block per source.
    public var interleave: Bool
    /// Where documents without a perplexity go when ordering by it.
    public var missingPPL: MissingValue

    public enum Key: String, Sendable, CaseIterable {
        case random
        case pplAscending = "ppl_ascending"
        case pplDescending = "ppl_descending"
        /// The order documents were selected in.
        case selection
    }

    public enum Scope: String, Sendable, CaseIterable {
        case stage, source
    }

    public enum MissingValue: String, Sendable, CaseIterable {
        case error, first, last
    }

    public static let random = DocumentOrder(key: .random, scope: .stage, interleave: false, missingPPL: .error)

    public var usesPPL: Bool { key == .pplAscending || key == .pplDescending }
}
