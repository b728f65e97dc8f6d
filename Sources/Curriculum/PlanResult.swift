/// What planning produced: per stage, the documents in training order and what each mixture cell and
/// source got; the shortfalls; and what every source gave over the whole plan (the ledger).
public struct PlanResult: Sendable {
    public var stages: [StageResult]
    public var shortfalls: [Shortfall]
    public var sources: [SourceUsage]
}

public struct StageResult: Sendable {
    public var name: String
    public var phase: PlanStage.Phase
    public var targetTokens: Int
    public var cells: [CellResult]
    /// Documents in manifest order: (source index in the plan, document index in its catalog). Empty for
    /// declared-only sources, which have no documents.
    public var entries: [Entry]

    public struct Entry: Sendable, Equatable {
        public var source: Int32
        public var document: UInt32
    }

    public var tokens: Int { cells.reduce(0) { $0 + $1.tokens } }

    /// Tokens taken per source (plan order), summed over cells.
    public func tokens(bySource count: Int) -> [Int] {
        var totals = Array(repeating: 0, count: count)
        for cell in cells { totals[cell.source] += cell.tokens }
        return totals
    }
}

/// A mixture cell's share of one source in one stage.
public struct CellResult: Sendable {
    public var leaf: String
    public var source: Int
    public var targetTokens: Int
    public var tokens: Int
    public var documents: Int
    /// Documents taken that earlier use had already consumed (upsampling).
    public var reusedDocuments: Int
}

/// A cell that could not get its tokens.
public struct Shortfall: Sendable, CustomStringConvertible {
    public var stage: String
    public var stageTokens: Int
    public var leaf: String
    public var source: String
    public var targetTokens: Int
    public var gotTokens: Int
    /// Tokens of the pool (the source's documents in this cell), used or not.
    public var poolTokens: Int
    public var maxEpochs: Int

    public var missingTokens: Int { targetTokens - gotTokens }

    /// The ways out, with the numbers that make each one work.
    public var options: [String] {
        var options: [String] = []
        if gotTokens > 0 {
            let fitting = Int((Double(stageTokens) * Double(gotTokens) / Double(targetTokens)).rounded(.down))
            options.append("lower stage '\(stage)' to \(TokenCount.format(fitting)) tokens (\(fitting)), or lower the weight of \(leaf) so it asks for at most \(TokenCount.format(gotTokens))")
        } else {
            options.append("remove \(leaf) from stage '\(stage)' or give it weight 0")
        }
        if poolTokens > 0 {
            let epochs = Int((Double(targetTokens - gotTokens) / Double(poolTokens)).rounded(.up)) + maxEpochs
            options.append("allow reuse: `sources.\(source).max_epochs: \(epochs)` (now \(maxEpochs))")
        }
        options.append("add at least \(TokenCount.format(missingTokens)) tokens of documents to source '\(source)' (for \(leaf))")
        return options
    }

    public var description: String {
        var text = "stage '\(stage)', \(leaf), source '\(source)': needs \(TokenCount.format(targetTokens)) tokens, only \(TokenCount.format(gotTokens)) available (short by \(TokenCount.format(missingTokens)))"
        for option in options { text += "\n    - " + option }
        return text
    }
}

/// One source over the whole plan.
public struct SourceUsage: Sendable {
    public var name: String
    public var availableTokens: Int
    public var availableDocuments: Int?
    public var takenTokens: Int
    /// Distinct documents used at least once.
    public var usedDocuments: Int?
    /// The most times any one document was used.
    public var maxUses: Int
    public var maxEpochs: Int

    /// Tokens taken over tokens available: 0.5 is half the source, 2 is two passes over it.
    public var epochs: Double { availableTokens > 0 ? Double(takenTokens) / Double(availableTokens) : 0 }
}
