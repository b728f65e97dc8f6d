import Corpus

extension CurriculumPlan {
    /// Checks what can be checked without reading documents: mixture keys and values name real sources
    /// and labels, ratio sums follow the plan's policy, adjustments name stages and groups that exist.
    func validate(stageLocations: [ConfigLocation?]) throws(ConfigError) {
        for (index, stage) in stages.enumerated() {
            try validate(stage.mixture, stage: index, location: stageLocations[index], candidates: sources)
        }
        for (index, adjustment) in adjustments.enumerated() {
            guard let stageIndex = stages.firstIndex(where: { $0.name == adjustment.stage }) else {
                throw ConfigError(keyPath: "adjustments[\(index)].stage", location: adjustment.location,
                                  message: "no stage is named '\(adjustment.stage)' (stages: \(stages.map(\.name).joined(separator: ", ")))")
            }
            guard let node = stages[stageIndex].mixture.node(at: adjustment.group) else {
                throw ConfigError(keyPath: "adjustments[\(index)].group", location: adjustment.location,
                                  message: "stage '\(adjustment.stage)' has no mixture group '\(adjustment.group)' (groups: \(stages[stageIndex].mixture.groupPaths().joined(separator: ", ")))")
            }
            let values = Set(node.groups.map(\.value))
            let adjusted = Set(adjustment.ratios.map(\.0))
            guard values == adjusted else {
                throw ConfigError(keyPath: "adjustments[\(index)].ratios", location: adjustment.location,
                                  message: "gives ratios for \(adjusted.sorted().joined(separator: ", ")) but stage '\(adjustment.stage)' group '\(adjustment.group)' has \(values.sorted().joined(separator: ", "))")
            }
        }
    }

    private func validate(_ node: MixtureNode, stage: Int, location: ConfigLocation?, candidates: [PlanSource]) throws(ConfigError) {
        let stageName = stages[stage].name
        func fail(_ path: String, _ message: String) -> ConfigError {
            ConfigError(keyPath: path, location: location, message: "stage '\(stageName)': " + message)
        }
        guard !["tokens", "ppl"].contains(node.by) else {
            throw fail(node.keyPath, "cannot divide by '\(node.by)'; divide by source, a label or a field such as topic")
        }
        let constant = candidates.filter { $0.constantValue(for: node.by) != nil }
        let perDocument = candidates.filter { $0.constantValue(for: node.by) == nil && $0.fields[node.by] != nil }
        if constant.isEmpty && perDocument.isEmpty {
            let labels = Set(sources.flatMap { $0.labels.keys }).sorted()
            throw fail(node.keyPath, "no source has a label or field '\(node.by)' (labels: \(labels.joined(separator: ", ")); fields: topic and those under sources.*.fields)")
        }
        let weightSum = node.weightSum
        guard weightSum > 0 else { throw fail(node.keyPath, "all weights are 0") }
        if ratioSums == .exact && abs(weightSum - 1) > 1e-6 {
            throw fail(node.keyPath, "ratios sum to \(weightSum), not 1 (the plan says `ratio_sums: exact`; fix them or use `ratio_sums: normalize`)")
        }
        let named = Set(node.groups.map(\.value))
        for group in node.groups {
            let path = node.keyPath + "." + group.value
            var matching = candidates.filter { source in
                guard let value = source.constantValue(for: node.by) else { return false }
                return group.value == value || (group.value == MixtureNode.others && !named.contains(value))
            }
            if perDocument.isEmpty {
                if matching.isEmpty && group.value != MixtureNode.others {
                    let known = Set(constant.compactMap { $0.constantValue(for: node.by) }).sorted()
                    var message = node.by == "source"
                        ? "no source is named '\(group.value)' among those this group can use (\(known.joined(separator: ", ")))"
                        : "no source has \(node.by) '\(group.value)' (values: \(known.joined(separator: ", ")))"
                    if let close = ConfigReader.closest(to: group.value, in: known) { message += "; did you mean '\(close)'?" }
                    throw fail(path, message)
                }
            } else {
                // A per-document field (topic): which values exist is known only once documents are read.
                matching += perDocument
            }
            if let within = group.within {
                try validate(within, stage: stage, location: location, candidates: matching)
            }
        }
    }
}

extension MixtureNode {
    /// The node at a group path such as `topic` or `language=en/topic`.
    public func node(at path: String) -> MixtureNode? {
        let parts = path.split(separator: "/").map(String.init)
        var current = self
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1 { return part == current.by ? current : nil }
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0] == current.by,
                  let next = current.groups.first(where: { $0.value == pair[1] })?.within else { return nil }
            current = next
        }
        return nil
    }

    /// Every node's group path, root first (`language`, `language=en/topic`, …).
    public func groupPaths(prefix: String = "") -> [String] {
        var paths = [prefix + by]
        for group in groups {
            if let within = group.within {
                paths += within.groupPaths(prefix: prefix + by + "=" + group.value + "/")
            }
        }
        return paths
    }

    /// A copy with the weights of the node at `path` replaced.
    func replacingWeights(at path: String, with ratios: [(String, Double)]) -> MixtureNode {
        var copy = self
        let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 1 {
            for index in copy.groups.indices {
                if let ratio = ratios.first(where: { $0.0 == copy.groups[index].value }) { copy.groups[index].weight = ratio.1 }
            }
            return copy
        }
        let pair = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
        for index in copy.groups.indices where pair.count == 2 && copy.groups[index].value == pair[1] {
            copy.groups[index].within = copy.groups[index].within?.replacingWeights(at: parts[1], with: ratios)
        }
        return copy
    }
}
