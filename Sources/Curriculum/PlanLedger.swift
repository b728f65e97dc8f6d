/// `ledger.json`: what each stage took from each source and mixture cell, and what each source gave
/// over the whole plan (with epochs), so the next person can audit a mixture without re-planning.
public struct PlanLedger: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public var name: String
        public var phase: String
        public var manifest: String
        public var targetTokens: Int
        public var tokens: Int
        public var documents: Int
        public var cells: [Cell]
    }

    public struct Cell: Codable, Sendable {
        public var cell: String
        public var source: String
        public var targetTokens: Int
        public var tokens: Int
        public var documents: Int
        public var reusedDocuments: Int
    }

    public struct Source: Codable, Sendable {
        public var name: String
        public var availableTokens: Int
        public var availableDocuments: Int?
        public var takenTokens: Int
        public var usedDocuments: Int?
        public var epochs: Double
        public var maxUses: Int
        public var maxEpochs: Int
    }

    public struct Short: Codable, Sendable {
        public var stage: String
        public var cell: String
        public var source: String
        public var targetTokens: Int
        public var tokens: Int
        public var options: [String]
    }

    public var plan: String
    public var planFile: String
    public var seed: UInt64
    public var totalTokens: Int
    public var stages: [Stage]
    public var sources: [Source]
    public var shortfalls: [Short]

    public init(plan: CurriculumPlan, result: PlanResult) {
        self.plan = plan.name
        planFile = plan.file
        seed = plan.seed
        totalTokens = result.stages.reduce(0) { $0 + $1.tokens }
        stages = result.stages.enumerated().map { index, stage in
            Stage(name: stage.name, phase: stage.phase.rawValue, manifest: StageManifest.fileName(stage: index),
                  targetTokens: stage.targetTokens, tokens: stage.tokens,
                  documents: stage.entries.count,
                  cells: stage.cells.map { cell in
                      Cell(cell: cell.leaf, source: plan.sources[cell.source].name, targetTokens: cell.targetTokens,
                           tokens: cell.tokens, documents: cell.documents, reusedDocuments: cell.reusedDocuments)
                  })
        }
        sources = result.sources.map { usage in
            Source(name: usage.name, availableTokens: usage.availableTokens, availableDocuments: usage.availableDocuments,
                   takenTokens: usage.takenTokens, usedDocuments: usage.usedDocuments,
                   epochs: (usage.epochs * 1e6).rounded() / 1e6, maxUses: usage.maxUses, maxEpochs: usage.maxEpochs)
        }
        shortfalls = result.shortfalls.map { short in
            Short(stage: short.stage, cell: short.leaf, source: short.source, targetTokens: short.targetTokens,
                  tokens: short.gotTokens, options: short.options)
        }
    }

    enum CodingKeys: String, CodingKey {
        case plan, planFile = "plan_file", seed, totalTokens = "total_tokens", stages, sources, shortfalls
    }
}

extension PlanLedger.Stage {
    enum CodingKeys: String, CodingKey {
        case name, phase, manifest, targetTokens = "target_tokens", tokens, documents, cells
    }
}

extension PlanLedger.Cell {
    enum CodingKeys: String, CodingKey {
        case cell, source, targetTokens = "target_tokens", tokens, documents, reusedDocuments = "reused_documents"
    }
}

extension PlanLedger.Source {
    enum CodingKeys: String, CodingKey {
        case name, availableTokens = "available_tokens", availableDocuments = "available_documents"
        case takenTokens = "taken_tokens", usedDocuments = "used_documents", epochs, maxUses = "max_uses"
        case maxEpochs = "max_epochs"
    }
}

extension PlanLedger.Short {
    enum CodingKeys: String, CodingKey {
        case stage, cell, source, targetTokens = "target_tokens", tokens, options
    }
}
