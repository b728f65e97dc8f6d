/// Turns a plan and its sources' catalogs into per-stage document lists.
///
/// Per stage: the mixture gives each cell (leaf) its tokens; a cell spanning several sources splits them
/// in proportion to each source's unused tokens in the cell; each (cell, source) then takes documents in
/// the source's selection order — least-used first, so nothing is reused while unused documents remain,
/// and never more than `max_epochs` uses — until its tokens are met (within one document). What a cell
/// cannot get is a `Shortfall`. Then the stage's documents are put in training order.
public struct CurriculumPlanner {
    public let plan: CurriculumPlan
    /// Per plan source (same order); nil for a declared-only source.
    public let catalogs: [SourceCatalog?]

    /// The selection the catalogs are already sorted by (see `sortedForSelection()`).
    let presortedBy: PlanStage.Selection?

    public init(plan: CurriculumPlan, catalogs: [SourceCatalog?]) {
        precondition(catalogs.count == plan.sources.count)
        self.plan = plan
        self.catalogs = catalogs
        presortedBy = nil
    }

    private init(plan: CurriculumPlan, catalogs: [SourceCatalog?], presorted: PlanStage.Selection) {
        self.plan = plan
        self.catalogs = catalogs
        self.presortedBy = presorted
    }

    /// When every stage selects the same way, a planner over catalogs stored in that order: each stage's
    /// passes then read documents front to back instead of jumping through a permutation (at 10M
    /// documents, 13 s → see Benchmarks/results). The result is the same either way.
    public func sortedForSelection() -> CurriculumPlanner {
        let selections = Set(plan.stages.map(\.selection))
        guard selections.count == 1, let selection = selections.first, selection != .file, presortedBy == nil else { return self }
        var state = UsageState(plan: plan, catalogs: catalogs)
        let sorted = catalogs.indices.map { index -> SourceCatalog? in
            guard let catalog = catalogs[index] else { return nil }
            return catalog.permuted(by: selectionOrder(selection, source: index, state: &state))
        }
        return CurriculumPlanner(plan: plan, catalogs: sorted, presorted: selection)
    }

    /// Which per-document fields each source must be scanned for, and whether perplexity is needed.
    public static func scanNeeds(_ plan: CurriculumPlan) -> (readsPPL: Bool, groupingFields: [[String]]) {
        let readsPPL = plan.stages.contains { $0.order.usesPPL || $0.selection == .pplAscending || $0.selection == .pplDescending }
        var fields = Array(repeating: Set<String>(), count: plan.sources.count)
        for index in plan.stages.indices {
            for leaf in plan.effectiveMixture(of: index).leaves(tokens: 0) {
                for (sourceIndex, source) in plan.sources.enumerated() {
                    var keys: [String] = []
                    let matches = leaf.conditions.allSatisfy { condition in
                        if let constant = source.constantValue(for: condition.key) { return condition.matches(constant) }
                        guard source.fields[condition.key] != nil else { return false }
                        keys.append(condition.key)
                        return true
                    }
                    if matches { fields[sourceIndex].formUnion(keys) }
                }
            }
        }
        return (readsPPL, fields.map { $0.sorted() })
    }

    public func run() throws -> PlanResult {
        var state = UsageState(plan: plan, catalogs: catalogs)
        var stages: [StageResult] = []
        var shortfalls: [Shortfall] = []
        for index in plan.stages.indices {
            let (stage, stageShortfalls) = try planStage(index, state: &state)
            stages.append(stage)
            shortfalls += stageShortfalls
        }
        return PlanResult(stages: stages, shortfalls: shortfalls, sources: state.usage(plan: plan, catalogs: catalogs))
    }

    /// Documents' use counts and declared sources' consumption, carried from stage to stage.
    struct UsageState {
        var useCounts: [[UInt16]]
        var declaredTaken: [Int]
        var takenTokens: [Int]
        var selectionOrders: [PlanStage.Selection: [[UInt32]]] = [:]

        init(plan: CurriculumPlan, catalogs: [SourceCatalog?]) {
            useCounts = catalogs.map { Array(repeating: 0, count: $0?.count ?? 0) }
            declaredTaken = Array(repeating: 0, count: catalogs.count)
            takenTokens = Array(repeating: 0, count: catalogs.count)
        }

        func usage(plan: CurriculumPlan, catalogs: [SourceCatalog?]) -> [SourceUsage] {
            plan.sources.indices.map { index in
                let source = plan.sources[index]
                if let catalog = catalogs[index] {
                    let counts = useCounts[index]
                    return SourceUsage(name: source.name, availableTokens: catalog.totalTokens, availableDocuments: catalog.count,
                                       takenTokens: takenTokens[index], usedDocuments: counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) },
                                       maxUses: Int(counts.max() ?? 0), maxEpochs: source.maxEpochs)
                }
                let available = source.declaredTokens ?? 0
                return SourceUsage(name: source.name, availableTokens: available, availableDocuments: nil,
                                   takenTokens: takenTokens[index], usedDocuments: nil,
                                   maxUses: available > 0 ? Int((Double(declaredTaken[index]) / Double(available)).rounded(.up)) : 0,
                                   maxEpochs: source.maxEpochs)
            }
        }
    }

    /// A (cell, source) pair: the tokens it must take and what it took.
    struct Draw {
        var leaf: Int
        var source: Int
        var target: Int
        var taken = 0
        var documents = 0
        var reused = 0
        var poolTokens = 0
        /// Stopped within half a document below its target: the next document would overshoot more.
        var settled = false
    }

    func planStage(_ stageIndex: Int, state: inout UsageState) throws -> (StageResult, [Shortfall]) {
        let stage = plan.stages[stageIndex]
        let leaves = plan.effectiveMixture(of: stageIndex).leaves(tokens: stage.tokens)

        // Which sources each leaf can draw from, and which of their documents (per-document conditions).
        var draws: [Draw] = []
        var leafOf: [[Int32]] = Array(repeating: [], count: plan.sources.count)
        for (sourceIndex, source) in plan.sources.enumerated() {
            let catalog = catalogs[sourceIndex]
            var matchingLeaves: [(leaf: Int, conditions: [MixtureLeaf.Condition])] = []
            for (leafIndex, leaf) in leaves.enumerated() {
                var documentConditions: [MixtureLeaf.Condition] = []
                var matches = true
                for condition in leaf.conditions {
                    if let constant = source.constantValue(for: condition.key) {
                        if !condition.matches(constant) { matches = false; break }
                    } else if let catalog, catalog.fieldValues[condition.key] != nil {
                        documentConditions.append(condition)
                    } else {
                        matches = false
                        break
                    }
                }
                if matches { matchingLeaves.append((leafIndex, documentConditions)) }
            }
            guard !matchingLeaves.isEmpty else { continue }
            if let catalog {
                leafOf[sourceIndex] = Self.owners(catalog, matchingLeaves)
            }
            for (leafIndex, _) in matchingLeaves {
                draws.append(Draw(leaf: leafIndex, source: sourceIndex, target: 0))
            }
        }

        // Pool sizes (all and unused tokens per draw), then each leaf's tokens split over its draws.
        var unused = Array(repeating: 0, count: draws.count)
        for sourceIndex in plan.sources.indices {
            if let catalog = catalogs[sourceIndex] {
                let owner = leafOf[sourceIndex]
                guard !owner.isEmpty else { continue }
                let counts = state.useCounts[sourceIndex]
                var pool = Array(repeating: 0, count: leaves.count), fresh = pool
                for document in 0..<catalog.count where owner[document] >= 0 {
                    let leaf = Int(owner[document])
                    let tokens = catalog.tokens(document)
                    pool[leaf] += tokens
                    if counts[document] == 0 { fresh[leaf] += tokens }
                }
                for draw in draws.indices where draws[draw].source == sourceIndex {
                    draws[draw].poolTokens = pool[draws[draw].leaf]
                    unused[draw] = fresh[draws[draw].leaf]
                }
            } else {
                let available = plan.sources[sourceIndex].declaredTokens ?? 0
                for draw in draws.indices where draws[draw].source == sourceIndex {
                    draws[draw].poolTokens = available
                    unused[draw] = max(0, available - state.declaredTaken[sourceIndex])
                }
            }
        }
        for leafIndex in leaves.indices {
            let members = draws.indices.filter { draws[$0].leaf == leafIndex }
            guard !members.isEmpty else { continue }
            var weights = members.map { Double(unused[$0]) }
            if weights.allSatisfy({ $0 == 0 }) { weights = members.map { Double(draws[$0].poolTokens) } }
            if weights.allSatisfy({ $0 == 0 }) { weights = members.map { _ in 1 } }
            for (member, share) in zip(members, MixtureNode.apportion(leaves[leafIndex].targetTokens, weights: weights)) {
                draws[member].target = share
            }
        }

        // Take documents.
        var selected: [[UInt32]] = Array(repeating: [], count: plan.sources.count)
        for sourceIndex in plan.sources.indices {
            let sourceDraws = draws.indices.filter { draws[$0].source == sourceIndex }
            guard !sourceDraws.isEmpty else { continue }
            let maxEpochs = plan.sources[sourceIndex].maxEpochs
            guard let catalog = catalogs[sourceIndex] else {
                for draw in sourceDraws {
                    let capacity = (plan.sources[sourceIndex].declaredTokens ?? 0) * maxEpochs - state.declaredTaken[sourceIndex]
                    let taken = max(0, min(draws[draw].target, capacity))
                    draws[draw].taken = taken
                    state.declaredTaken[sourceIndex] += taken
                }
                continue
            }
            let order = selectionOrder(stage.selection, source: sourceIndex, state: &state)
            let owner = leafOf[sourceIndex]
            var slot = [Int32](repeating: -1, count: leaves.count)
            for draw in sourceDraws { slot[draws[draw].leaf] = Int32(draw) }
            var open = sourceDraws.filter { draws[$0].target > 0 }.count
            var picked: [UInt32] = []
            state.useCounts[sourceIndex].withUnsafeMutableBufferPointer { counts in
                catalog.rows.withUnsafeBufferPointer { rows in
                    for pass in 0..<maxEpochs where open > 0 {
                        for document in order {
                            let d = Int(document)
                            guard Int(counts[d]) == pass else { continue }
                            let leaf = owner[d]
                            guard leaf >= 0 else { continue }
                            let draw = Int(slot[Int(leaf)])
                            let remaining = draws[draw].target - draws[draw].taken
                            guard remaining > 0, !draws[draw].settled else { continue }
                            // The last document is taken only if that lands closer to the target than
                            // leaving it out; left out, it stays first in line for the next stage.
                            let size = Int(rows[d].tokens)
                            if size - remaining > remaining {
                                draws[draw].settled = true
                                open -= 1
                                if open == 0 { break }
                                continue
                            }
                            draws[draw].taken += size
                            draws[draw].documents += 1
                            if pass > 0 { draws[draw].reused += 1 }
                            counts[d] += 1
                            picked.append(document)
                            if draws[draw].taken >= draws[draw].target {
                                open -= 1
                                if open == 0 { break }
                            }
                        }
                    }
                }
            }
            selected[sourceIndex] = picked
        }

        var shortfalls: [Shortfall] = []
        for draw in draws {
            state.takenTokens[draw.source] += draw.taken
            if draw.taken < draw.target && !draw.settled {
                shortfalls.append(Shortfall(stage: stage.name, stageTokens: stage.tokens, leaf: leaves[draw.leaf].label,
                                            source: plan.sources[draw.source].name, targetTokens: draw.target,
                                            gotTokens: draw.taken, poolTokens: draw.poolTokens,
                                            maxEpochs: plan.sources[draw.source].maxEpochs))
            }
        }
        // Leaves no source can serve at all.
        for (leafIndex, leaf) in leaves.enumerated() where leaf.targetTokens > 0 && !draws.contains(where: { $0.leaf == leafIndex }) {
            shortfalls.append(Shortfall(stage: stage.name, stageTokens: stage.tokens, leaf: leaf.label, source: "(none)",
                                        targetTokens: leaf.targetTokens, gotTokens: 0, poolTokens: 0, maxEpochs: 1))
        }

        let entries = try StageOrdering(stage: stage, plan: plan, catalogs: catalogs).order(selected)
        let cells = draws.map { draw in
            CellResult(leaf: leaves[draw.leaf].label, source: draw.source, targetTokens: draw.target, tokens: draw.taken,
                       documents: draw.documents, reusedDocuments: draw.reused)
        }
        return (StageResult(name: stage.name, phase: stage.phase, targetTokens: stage.tokens, cells: cells, entries: entries),
                shortfalls)
    }

    /// The leaf each document of a source belongs to in this stage (-1: none). The leaves partition the
    /// documents, so the first match is the only one. One per-document field (the usual `topic`) is a
    /// table lookup per document.
    static func owners(_ catalog: SourceCatalog, _ leaves: [(leaf: Int, conditions: [MixtureLeaf.Condition])]) -> [Int32] {
        let fields = Set(leaves.flatMap { $0.conditions.map(\.key) })
        if fields.isEmpty {
            return [Int32](repeating: Int32(leaves[0].leaf), count: catalog.count)
        }
        if fields.count == 1, let field = fields.first, let values = catalog.fieldValues[field], let names = catalog.fieldNames[field] {
            let table: [Int32] = names.map { name in
                for (leaf, conditions) in leaves where conditions.allSatisfy({ $0.matches(name) }) { return Int32(leaf) }
                return -1
            }
            return values.map { table[Int($0)] }
        }
        return (0..<catalog.count).map { document in
            for (leaf, conditions) in leaves {
                if conditions.allSatisfy({ condition in
                    guard let values = catalog.fieldValues[condition.key], let names = catalog.fieldNames[condition.key] else { return false }
                    return condition.matches(names[Int(values[document])])
                }) { return Int32(leaf) }
            }
            return -1
        }
    }

    /// A source's documents in the order stages take them; the same for every stage with the same
    /// selection, so stages consume a source in sequence.
    func selectionOrder(_ selection: PlanStage.Selection, source: Int, state: inout UsageState) -> [UInt32] {
        if let cached = state.selectionOrders[selection]?[source], !cached.isEmpty { return cached }
        let catalog = catalogs[source]!
        var order: [UInt32]
        switch selection {
        case _ where selection == presortedBy, .file:
            order = (0..<UInt32(catalog.count)).map { $0 }
        case .random:
            let fileHashes = catalog.files.map { SeededHash.combine(plan.seed, SeededHash.string(String($0.split(separator: "/").last ?? Substring($0)))) }
            var keyed = (0..<catalog.count).map { document in
                (SeededHash.combine(fileHashes[Int(catalog.rows[document].file)], UInt64(catalog.rows[document].position)), UInt32(document))
            }
            keyed.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            order = keyed.map(\.1)
        case .pplAscending, .pplDescending:
            let ascending = selection == .pplAscending
            order = (0..<UInt32(catalog.count)).map { $0 }
            let ppl = catalog.rows.map(\.ppl)
            // Documents without a perplexity come last either way.
            order.sort { a, b in
                let (pa, pb) = (ppl[Int(a)], ppl[Int(b)])
                if pa.isNaN || pb.isNaN { return pa.isNaN == pb.isNaN ? a < b : pb.isNaN }
                if pa != pb { return ascending ? pa < pb : pa > pb }
                return a < b
            }
        }
        if state.selectionOrders[selection] == nil {
            state.selectionOrders[selection] = Array(repeating: [], count: catalogs.count)
        }
        state.selectionOrders[selection]![source] = order
        return order
    }
}

