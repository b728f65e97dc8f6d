import Foundation

/// `syllabus plan --explain`: tokens per source per stage, each source's share and how it moved since
/// the previous stage, per-stage totals against their budgets, and the largest move between
/// consecutive stages (smooth transitions are what YuLan-Mini aimed for).
public struct PlanExplanation {
    public let plan: CurriculumPlan
    public let result: PlanResult

    public init(plan: CurriculumPlan, result: PlanResult) {
        self.plan = plan
        self.result = result
    }

    /// Tokens per source (rows, plan order) per stage (columns).
    public var matrix: [[Int]] {
        let perStage = result.stages.map { $0.tokens(bySource: plan.sources.count) }
        return plan.sources.indices.map { source in perStage.map { $0[source] } }
    }

    public struct Change: Sendable {
        public var source: String
        public var fromStage: String
        public var toStage: String
        public var fromShare: Double
        public var toShare: Double
        public var delta: Double { toShare - fromShare }
    }

    /// For each pair of consecutive stages, the source whose share moved most.
    public func largestChanges() -> [Change] {
        let matrix = self.matrix
        var changes: [Change] = []
        for stage in result.stages.indices.dropFirst() {
            let (before, after) = (result.stages[stage - 1].tokens, result.stages[stage].tokens)
            guard before > 0, after > 0 else { continue }
            var best: Change?
            for (source, row) in matrix.enumerated() {
                let change = Change(source: plan.sources[source].name, fromStage: result.stages[stage - 1].name,
                                    toStage: result.stages[stage].name, fromShare: Double(row[stage - 1]) / Double(before),
                                    toShare: Double(row[stage]) / Double(after))
                if best == nil || abs(change.delta) > abs(best!.delta) { best = change }
            }
            if let best { changes.append(best) }
        }
        return changes
    }

    public func text() -> String {
        let matrix = self.matrix
        var out = "Plan \(plan.name) (\(plan.file)): \(result.stages.count) stage(s), \(TokenCount.format(result.stages.reduce(0) { $0 + $1.tokens })) tokens planned of \(TokenCount.format(plan.totalTokens)), \(plan.sources.count) source(s)\n"
        let width = max(12, plan.sources.map(\.name.count).max() ?? 0)
        func pad(_ text: String, _ count: Int, left: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, count - text.count))
            return left ? padding + text : text + padding
        }
        for (index, stage) in result.stages.enumerated() {
            out += "\nStage \(index + 1) \(stage.name) (\(stage.phase.rawValue)): \(TokenCount.format(stage.tokens)) of \(TokenCount.format(stage.targetTokens)) tokens"
            out += stage.entries.isEmpty ? "\n" : ", \(stage.entries.count) documents\n"
            out += "  " + pad("source", width) + pad("tokens", 14, left: true) + pad("share", 9, left: true)
            out += index > 0 ? pad("Δ share", 10, left: true) + "\n" : "\n"
            for (source, row) in matrix.enumerated() where row[index] > 0 || (index > 0 && row[index - 1] > 0) {
                let share = stage.tokens > 0 ? Double(row[index]) / Double(stage.tokens) : 0
                out += "  " + pad(plan.sources[source].name, width) + pad(TokenCount.format(row[index]), 14, left: true)
                out += pad(String(format: "%.2f%%", share * 100), 9, left: true)
                if index > 0 {
                    let previousTotal = result.stages[index - 1].tokens
                    let previous = previousTotal > 0 ? Double(row[index - 1]) / Double(previousTotal) : 0
                    out += pad(String(format: "%+.2f pp", (share - previous) * 100), 10, left: true)
                }
                out += "\n"
            }
            out += "  " + pad("total", width) + pad(TokenCount.format(stage.tokens), 14, left: true) + "  (\(stage.tokens) tokens; budget \(stage.targetTokens))\n"
            // Mixture cells finer than sources (labels, topics): what each asked for and got.
            if stage.cells.contains(where: { !$0.leaf.hasPrefix("source=") }) {
                let labelWidth = stage.cells.map { $0.leaf.count + plan.sources[$0.source].name.count + 3 }.max() ?? 0
                out += "  cells:\n"
                for cell in stage.cells {
                    let label = "\(cell.leaf) · \(plan.sources[cell.source].name)"
                    out += "    " + pad(label, labelWidth) + pad(TokenCount.format(cell.tokens), 12, left: true)
                    out += " of " + pad(TokenCount.format(cell.targetTokens), 10, left: true)
                    out += stage.entries.isEmpty ? "\n" : " (\(cell.documents) documents\(cell.reusedDocuments > 0 ? ", \(cell.reusedDocuments) reused" : ""))\n"
                }
            }
        }
        let changes = largestChanges()
        if let largest = changes.max(by: { abs($0.delta) < abs($1.delta) }) {
            out += "\nLargest share change between consecutive stages: \(largest.source), \(largest.fromStage) → \(largest.toStage): "
            out += String(format: "%.2f%% → %.2f%% (%+.2f pp)\n", largest.fromShare * 100, largest.toShare * 100, largest.delta * 100)
            out += "Largest change per transition:\n"
            for change in changes {
                out += "  " + pad("\(change.fromStage) → \(change.toStage)", 2 * 20) + " " + pad(change.source, width)
                out += String(format: " %+.2f pp\n", change.delta * 100)
            }
        }
        out += "\nSources over the plan:\n"
        for usage in result.sources {
            out += "  " + pad(usage.name, width) + " took " + pad(TokenCount.format(usage.takenTokens), 9, left: true)
            out += " of " + pad(TokenCount.format(usage.availableTokens), 9, left: true)
            out += String(format: " (%.2f epochs)", usage.epochs)
            if let used = usage.usedDocuments, let available = usage.availableDocuments {
                out += ", \(used) of \(available) documents used"
                if usage.maxUses > 1 { out += ", some \(usage.maxUses)×" }
            }
            out += "\n"
        }
        return out
    }

    /// The matrix as CSV: source, then one column of tokens per stage.
    public func csv() -> String {
        var out = "source," + result.stages.map(\.name).joined(separator: ",") + "\n"
        for (source, row) in matrix.enumerated() {
            out += plan.sources[source].name + "," + row.map(String.init).joined(separator: ",") + "\n"
        }
        out += "total," + result.stages.map { String($0.tokens) }.joined(separator: ",") + "\n"
        return out
    }
}
