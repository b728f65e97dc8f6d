import Corpus

/// One entry of the plan's `adjustments:` list, written by `syllabus adjust`: the ratios a stage's group
/// uses instead of those in its mixture, and (kept as history, not read back) how they were computed.
public struct RatioAdjustmentRecord: Sendable {
    public var stage: String
    /// The mixture group path (`topic`, `language=en/topic`).
    public var group: String
    public var ratios: [(String, Double)]
    public var location: ConfigLocation?

    static func parseList(_ value: ConfigValue, keyPath: String) throws(ConfigError) -> [RatioAdjustmentRecord] {
        guard case let .sequence(items, _) = value else {
            throw ConfigError(keyPath: keyPath, location: value.location, message: "expected a list (written by `syllabus adjust`)")
        }
        var records: [RatioAdjustmentRecord] = []
        for (index, item) in items.enumerated() {
            let path = "\(keyPath)[\(index)]"
            guard case let .mapping(entries, location) = item else {
                throw ConfigError(keyPath: path, location: item.location, message: "expected a mapping with stage, group and ratios")
            }
            func scalar(_ key: String) throws(ConfigError) -> String {
                guard case let .scalar(text, _)? = entries.first(where: { $0.0 == key })?.1 else {
                    throw ConfigError(keyPath: "\(path).\(key)", location: location, message: "is required")
                }
                return text
            }
            guard case let .mapping(ratioEntries, _)? = entries.first(where: { $0.0 == "ratios" })?.1 else {
                throw ConfigError(keyPath: "\(path).ratios", location: location, message: "is required: topic → ratio")
            }
            var ratios: [(String, Double)] = []
            for (name, ratioValue) in ratioEntries {
                guard case let .scalar(text, _) = ratioValue, let ratio = Double(text), ratio >= 0 else {
                    throw ConfigError(keyPath: "\(path).ratios.\(name)", location: ratioValue.location, message: "expected a ratio ≥ 0")
                }
                ratios.append((name, ratio))
            }
            records.append(RatioAdjustmentRecord(stage: try scalar("stage"), group: try scalar("group"), ratios: ratios,
                                                 location: location))
        }
        return records
    }
}

extension CurriculumPlan {
    /// A stage's mixture with the plan's adjustments for it applied (the latest per group wins).
    public func effectiveMixture(of stageIndex: Int) -> MixtureNode {
        var mixture = stages[stageIndex].mixture
        for adjustment in adjustments where adjustment.stage == stages[stageIndex].name {
            mixture = mixture.replacingWeights(at: adjustment.group, with: adjustment.ratios)
        }
        return mixture
    }
}
