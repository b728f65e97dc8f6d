import Corpus
import Foundation

/// `syllabus adjust`: the next stage's topic ratios from an evaluation, written into the plan.
///
/// For every mixture group that divides by the policy's key (`topic`) in stage t−1 and exists in stage
/// t, it applies `RatioUpdate` to stage t−1's effective ratios with the evaluation's perplexities, and
/// appends the result to the plan's `adjustments:` list (the last top-level key, so everything above it,
/// comments included, stays as written). Older entries stay as history; the latest per stage and group
/// wins.
public struct PlanAdjuster {
    public let plan: CurriculumPlan
    /// Index of stage t, the stage that gets the new ratios (≥ 1).
    public let stage: Int
    public let evaluation: Evaluation
    public var policy: AdjustPolicy

    /// Per-topic perplexities before (t−1) and after (t) the period; flat (`topic: ppl`) or scoped by
    /// the enclosing group (`"language=en": {topic: ppl}`) when topic names repeat across groups.
    public struct Evaluation: Sendable {
        public var file: String
        public var previous: [String: ConfigValue]
        public var current: [String: ConfigValue]

        public static func load(path: String) throws -> Evaluation {
            let tree = try YAMLConfigParser.load(path: path)
            guard case let .mapping(entries, _) = tree else {
                throw PlanError("\(path): expected a mapping with `previous:` and `current:` perplexities per topic",
                                hint: "e.g. previous: {Law and Policy: 8.1, Others: 9.0}\\ncurrent: {Law and Policy: 8.4, Others: 8.7}")
            }
            func section(_ key: String) throws -> [String: ConfigValue] {
                guard case let .mapping(items, _)? = entries.first(where: { $0.0 == key })?.1 else {
                    throw PlanError("\(path): `\(key):` is missing or not a mapping of topic → perplexity",
                                    hint: "`previous:` holds p_i(t−1), `current:` holds p_i(t), the held-out perplexity per topic")
                }
                return Dictionary(items, uniquingKeysWith: { $1 })
            }
            return Evaluation(file: path, previous: try section("previous"), current: try section("current"))
        }

        /// The perplexities for a group at `scope` (`language=en/category=qa`, or "" at the root).
        func perplexities(_ section: [String: ConfigValue], scope: String, which: String) throws -> [String: Double] {
            var table = section
            if !scope.isEmpty, case let .mapping(items, _)? = section[scope] { table = Dictionary(items, uniquingKeysWith: { $1 }) }
            var result: [String: Double] = [:]
            for (topic, value) in table {
                guard case let .scalar(text, _) = value else { continue }
                guard let number = Double(text), number.isFinite, number > 0 else {
                    throw PlanError("\(file): \(which).\(topic) is '\(text)', not a perplexity", hint: "perplexities are numbers > 0")
                }
                result[topic] = number
            }
            return result
        }
    }

    public struct GroupUpdate: Sendable {
        public var group: String
        public var update: RatioUpdate
    }

    public init(plan: CurriculumPlan, stage: Int, evaluation: Evaluation, policy: AdjustPolicy? = nil) {
        self.plan = plan
        self.stage = stage
        self.evaluation = evaluation
        self.policy = policy ?? plan.adjustPolicy
    }

    public func compute() throws -> [GroupUpdate] {
        guard stage >= 1, stage < plan.stages.count else {
            throw PlanError("there is no stage before stage \(stage + 1) to adjust from", hint: "name a stage after the first (stages: \(plan.stages.map(\.name).joined(separator: ", ")))")
        }
        let previousMixture = plan.effectiveMixture(of: stage - 1)
        let nextMixture = plan.effectiveMixture(of: stage)
        let groups = previousMixture.groupPaths().filter { $0 == policy.by || $0.hasSuffix("/" + policy.by) }
        guard !groups.isEmpty else {
            throw PlanError("stage '\(plan.stages[stage - 1].name)' has no mixture group divided by \(policy.by) (groups: \(previousMixture.groupPaths().joined(separator: ", ")))",
                            hint: "divide a group by \(policy.by) in the plan, or set `adjust: {by: …}`")
        }
        var updates: [GroupUpdate] = []
        for group in groups {
            guard let node = previousMixture.node(at: group) else { continue }
            guard let next = nextMixture.node(at: group) else {
                throw PlanError("stage '\(plan.stages[stage].name)' has no group '\(group)', which stage '\(plan.stages[stage - 1].name)' has",
                                hint: "give both stages the same \(policy.by) division to carry ratios from one to the next")
            }
            let topics = node.groups.map(\.value)
            let missing = Set(topics).symmetricDifference(next.groups.map(\.value))
            guard missing.isEmpty else {
                throw PlanError("group '\(group)' has different \(policy.by) values in stages '\(plan.stages[stage - 1].name)' and '\(plan.stages[stage].name)': \(missing.sorted().joined(separator: ", "))",
                                hint: "use the same values in both stages")
            }
            let scope = group.contains("/") ? String(group[..<group.lastIndex(of: "/")!]) : ""
            let before = try evaluation.perplexities(evaluation.previous, scope: scope, which: "previous")
            let after = try evaluation.perplexities(evaluation.current, scope: scope, which: "current")
            do {
                let update = try RatioUpdate(ratios: node.groups.map { ($0.value, $0.weight) }, before: before, after: after,
                                             alpha: policy.alpha, weights: policy.weights,
                                             floors: policy.floors(for: topics), ceilings: policy.ceilings(for: topics))
                updates.append(GroupUpdate(group: group, update: update))
            } catch {
                throw PlanError("group '\(group)' (evaluation \(evaluation.file)): \(error)",
                                hint: "every \(policy.by) of the group needs a previous and a current perplexity\(scope.isEmpty ? "" : ", at the top level or under \"\(scope)\":")")
            }
        }
        return updates
    }

    /// The YAML appended to the plan for `updates`.
    public func yaml(_ updates: [GroupUpdate], date: Date = Date()) -> String {
        func quoted(_ text: String) -> String {
            var bytes: [UInt8] = []
            JSONEscaping.appendQuoted(text, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        func map(_ pairs: [(String, Double)]) -> String {
            "{" + pairs.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
        }
        let stamp = ISO8601DateFormatter().string(from: date)
        var text = "  # syllabus adjust --stage \(quoted(plan.stages[stage].name)) --eval \(quoted(evaluation.file)) (\(stamp))\n"
        for entry in updates {
            let topics = entry.update.topics
            text += "  - stage: \(quoted(plan.stages[stage].name))\n"
            text += "    group: \(quoted(entry.group))\n"
            text += "    ratios: \(map(topics.map { ($0.name, $0.ratio) }))\n"
            text += "    from_stage: \(quoted(plan.stages[stage - 1].name))\n"
            text += "    evaluation: \(quoted(evaluation.file))\n"
            text += "    alpha: \(entry.update.alpha)\n"
            text += "    previous_ratios: \(map(topics.map { ($0.name, $0.previousRatio) }))\n"
            text += "    perplexity_before: \(map(topics.map { ($0.name, $0.perplexityBefore) }))\n"
            text += "    perplexity_after: \(map(topics.map { ($0.name, $0.perplexityAfter) }))\n"
            text += "    weights: \(map(topics.map { ($0.name, $0.weight) }))\n"
            text += "    factors: \(map(topics.map { ($0.name, $0.factor) }))\n"
            text += "    formula_ratios: \(map(topics.map { ($0.name, $0.formulaRatio) }))\n"
        }
        return text
    }

    /// Appends `updates` to the plan file, after checking that `adjustments:` (if present) is its last
    /// top-level key. Returns the new plan, re-read, so a broken write is caught at once.
    @discardableResult
    public func write(_ updates: [GroupUpdate]) throws -> CurriculumPlan {
        guard let data = FileManager.default.contents(atPath: plan.file), var text = String(data: data, encoding: .utf8) else {
            throw PlanError("cannot read \(plan.file)", hint: "check the path")
        }
        let tree = try YAMLConfigParser.parse(text, file: plan.file)
        guard case let .mapping(entries, _) = tree else { throw PlanError("\(plan.file): not a mapping", hint: "") }
        if let index = entries.firstIndex(where: { $0.0 == "adjustments" }), index != entries.count - 1 {
            throw PlanError("\(plan.file): `adjustments:` must be the last top-level key for `syllabus adjust` to append to it",
                            hint: "move the `adjustments:` section to the end of the file")
        }
        if !text.hasSuffix("\n") { text += "\n" }
        if !entries.contains(where: { $0.0 == "adjustments" }) {
            text += "\n# Ratio updates written by `syllabus adjust` (SPEC.md §4); the latest per stage and group wins.\nadjustments:\n"
        }
        text += yaml(updates)
        let temporary = plan.file + ".tmp"
        try FileSystem.writeAtomically(Array(text.utf8), to: temporary)
        let updated: CurriculumPlan
        do {
            updated = try CurriculumPlan.parse(YAMLConfigParser.parse(text, file: plan.file), file: plan.file)
        } catch {
            FileSystem.remove(temporary)
            throw PlanError("the adjusted plan does not read back: \(error)", hint: "the plan file was left unchanged; please report this")
        }
        try FileSystem.rename(temporary, to: plan.file)
        return updated
    }
}
