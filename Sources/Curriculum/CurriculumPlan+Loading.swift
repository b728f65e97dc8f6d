import Corpus
import Foundation

extension CurriculumPlan {
    /// Reads a plan YAML file. Errors name the key path and line (`stages[1].mixture.ratios.zh: …`).
    public static func load(path: String) throws(ConfigError) -> CurriculumPlan {
        try parse(YAMLConfigParser.load(path: path), file: path)
    }

    /// Parses a plan; relative paths are taken from the folder of `file`.
    public static func parse(_ tree: ConfigValue, file: String) throws(ConfigError) -> CurriculumPlan {
        let root = try ConfigReader(tree, keyPath: "")
        let baseFolder = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().path
        let name = try root.string("name") ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let seed = UInt64(try root.int("seed", range: 0...Int.max) ?? 0)
        let ratioSums = try root.choice("ratio_sums", as: RatioSumPolicy.self) ?? .normalize

        guard let sourcesValue = root.value("sources"), case let .mapping(sourceEntries, _) = sourcesValue, !sourceEntries.isEmpty else {
            throw root.error("sources", "is required: a mapping of source names to {paths: [globs], labels: {...}}")
        }
        var sources: [PlanSource] = []
        for (sourceName, value) in sourceEntries {
            sources.append(try parseSource(sourceName, value, keyPath: "sources.\(sourceName)", baseFolder: baseFolder))
        }

        guard let stagesValue = root.value("stages"), case let .sequence(stageItems, _) = stagesValue, !stageItems.isEmpty else {
            throw root.error("stages", "is required: a list of stages, each with tokens and a mixture")
        }
        var stages: [PlanStage] = []
        var remainderStage: Int?
        for (index, item) in stageItems.enumerated() {
            let keyPath = "stages[\(index)]"
            let reader = try ConfigReader(item, keyPath: keyPath)
            let tokens = try tokenAmount(reader, "tokens")
            if tokens == nil {
                guard remainderStage == nil else {
                    throw reader.error("tokens", "is required (only one stage may leave it out and take what the total leaves)")
                }
                remainderStage = index
            }
            let stageName = try reader.string("name") ?? "stage-\(index + 1)"
            guard !stages.contains(where: { $0.name == stageName }) else {
                throw reader.error("name", "'\(stageName)' names two stages")
            }
            guard let mixtureValue = reader.value("mixture") else {
                throw reader.error("mixture", "is required: e.g. `mixture: {by: language, ratios: {zh: 2, en: 8}}`")
            }
            let mixture = try parseMixture(mixtureValue, keyPath: keyPath + ".mixture")
            let selection = try reader.choice("select", as: PlanStage.Selection.self) ?? .random
            let order = try parseOrder(reader.value("order"), keyPath: keyPath + ".order")
            let phase = try reader.choice("phase", as: PlanStage.Phase.self) ?? .stable
            let stageSeed = try reader.int("seed", range: 0...Int.max).map(UInt64.init) ?? (seed &+ UInt64(index))
            try reader.finish()
            stages.append(PlanStage(name: stageName, tokens: tokens ?? 0, phase: phase, mixture: mixture,
                                    selection: selection, order: order, seed: stageSeed))
        }
        if let total = try tokenAmount(root, "total_tokens") {
            let given = stages.reduce(0) { $0 + $1.tokens }
            if let remainderStage {
                guard total > given else {
                    throw root.error("total_tokens", "is \(TokenCount.format(total)) but the other stages already take \(TokenCount.format(given)); nothing is left for \(stages[remainderStage].name)")
                }
                stages[remainderStage].tokens = total - given
            } else if total != given {
                throw root.error("total_tokens", "is \(TokenCount.format(total)) but the stages' tokens sum to \(TokenCount.format(given)) (\(given) tokens): make them agree, or leave one stage's tokens out to take the rest")
            }
        } else if let remainderStage {
            throw ConfigError(keyPath: "stages[\(remainderStage)].tokens", location: stageItems[remainderStage].location,
                              message: "is required unless the plan gives total_tokens")
        }
        for (index, stage) in stages.enumerated() where stage.tokens <= 0 {
            throw ConfigError(keyPath: "stages[\(index)].tokens", location: stageItems[index].location,
                              message: "must be more than 0 tokens")
        }

        let learningRate = try root.value("learning_rate").map { value throws(ConfigError) in
            try parseLearningRate(value, keyPath: "learning_rate")
        }
        let adjustments = try root.value("adjustments").map { value throws(ConfigError) in
            try RatioAdjustmentRecord.parseList(value, keyPath: "adjustments")
        } ?? []
        let output = try root.string("output").map { absolute($0, in: baseFolder) }
        let adjustPolicy = try root.value("adjust").map { value throws(ConfigError) in try parseAdjustPolicy(value, keyPath: "adjust") } ?? AdjustPolicy()
        try root.finish()

        let plan = CurriculumPlan(name: name, file: file, seed: seed, sources: sources, stages: stages,
                                  ratioSums: ratioSums, learningRate: learningRate, adjustments: adjustments, adjustPolicy: adjustPolicy,
                                  outputFolder: output)
        try plan.validate(stageLocations: stageItems.map(\.location))
        return plan
    }

    static func parseSource(_ name: String, _ value: ConfigValue, keyPath: String, baseFolder: String) throws(ConfigError) -> PlanSource {
        guard NameCharacters.isValid(name, punctuation: "_.-/"), name != MixtureNode.others else {
            throw ConfigError(keyPath: keyPath, location: value.location,
                              message: "source names may use letters, digits, '_', '-', '.' and '/' only")
        }
        let reader = try ConfigReader(value, keyPath: keyPath)
        let patterns = try reader.strings("paths") ?? []
        let declared = try tokenAmount(reader, "available_tokens")
        guard !patterns.isEmpty || declared != nil else {
            throw reader.error("paths", "is required: the source's curated shards (globs), or `available_tokens: 45B` for a plan that is only explained")
        }
        var labels: [String: String] = [:]
        for (key, text) in try stringMap(reader, "labels") {
            guard !["source", "tokens", "ppl"].contains(key) else {
                throw reader.error("labels", "'\(key)' is reserved; choose another label name")
            }
            labels[key] = text
        }
        var fields = PlanSource.defaultFields
        for (key, path) in try stringMap(reader, "fields") { fields[key] = path }
        for key in ["tokens", "ppl", "topic"] {
            if let path = try reader.string("\(key)_field") { fields[key] = path }
        }
        let defaults = try stringMap(reader, "defaults")
        let maxEpochs = try reader.int("max_epochs", range: 1...1_000_000) ?? 1
        try reader.finish()
        return PlanSource(name: name, paths: [], patterns: patterns.map { absolute($0, in: baseFolder) },
                          labels: labels, fields: fields, fieldDefaults: Dictionary(defaults, uniquingKeysWith: { $1 }), declaredTokens: declared,
                          maxEpochs: maxEpochs)
    }

    /// `{by: KEY, ratios: {VALUE: WEIGHT | {weight: W, by: …, ratios: …}}}`; a mapping without `by` is a
    /// mixture by source (`{web: 0.7, books: 0.3}`).
    static func parseMixture(_ value: ConfigValue, keyPath: String) throws(ConfigError) -> MixtureNode {
        guard case let .mapping(entries, location) = value else {
            throw ConfigError(keyPath: keyPath, location: value.location,
                              message: "expected a mapping such as {by: language, ratios: {zh: 2, en: 8}}, found \(value.kindDescription)")
        }
        let by: String
        let ratioEntries: [(String, ConfigValue)]
        let ratiosPath: String
        if entries.contains(where: { $0.0 == "by" }) {
            let reader = try ConfigReader(value, keyPath: keyPath)
            by = try reader.requiredString("by")
            guard let ratios = reader.value("ratios"), case let .mapping(items, _) = ratios, !items.isEmpty else {
                throw reader.error("ratios", "is required: a mapping of \(by) values to weights")
            }
            try reader.finish()
            ratioEntries = items
            ratiosPath = keyPath + ".ratios"
        } else {
            by = "source"
            ratioEntries = entries
            ratiosPath = keyPath
        }
        var groups: [MixtureGroup] = []
        for (groupValue, item) in ratioEntries {
            let path = ratiosPath + "." + groupValue
            guard !groups.contains(where: { $0.value == groupValue }) else {
                throw ConfigError(keyPath: path, location: item.location, message: "'\(groupValue)' appears twice")
            }
            switch item {
            case let .scalar(text, itemLocation):
                groups.append(MixtureGroup(value: groupValue, weight: try weight(text, keyPath: path, location: itemLocation)))
            case .mapping:
                let reader = try ConfigReader(item, keyPath: path)
                guard let weightText = try reader.string("weight") else {
                    throw reader.error("weight", "is required when a group has its own division ({weight: 8, by: topic, ratios: {...}})")
                }
                let groupWeight = try weight(weightText, keyPath: reader.path("weight"), location: item.location)
                var within: MixtureNode?
                if reader.has("by") || reader.has("ratios") {
                    var inner: [(String, ConfigValue)] = []
                    if let byValue = reader.value("by") { inner.append(("by", byValue)) }
                    if let ratios = reader.value("ratios") { inner.append(("ratios", ratios)) }
                    within = try parseMixture(.mapping(inner, item.location), keyPath: path)
                }
                try reader.finish()
                groups.append(MixtureGroup(value: groupValue, weight: groupWeight, within: within))
            default:
                throw ConfigError(keyPath: path, location: item.location,
                                  message: "expected a weight (2, 0.25, 1.8B) or {weight: …, by: …, ratios: …}")
            }
        }
        _ = location
        return MixtureNode(by: by, groups: groups, keyPath: ratiosPath)
    }

    /// A ratio weight: a number, or a token amount (`1.80B`) when a recipe gives tokens per dataset.
    static func weight(_ text: String, keyPath: String, location: ConfigLocation?) throws(ConfigError) -> Double {
        if let number = Double(text), number.isFinite, number >= 0 { return number }
        if let tokens = TokenCount.parse(text) { return Double(tokens) }
        throw ConfigError(keyPath: keyPath, location: location, message: "expected a weight ≥ 0 (2, 0.25, 1.8B), found '\(text)'")
    }

    static func parseOrder(_ value: ConfigValue?, keyPath: String) throws(ConfigError) -> DocumentOrder {
        guard let value else { return .random }
        if case let .scalar(text, location) = value {
            guard let key = DocumentOrder.Key(rawValue: text) else {
                throw ConfigError(keyPath: keyPath, location: location,
                                  message: "expected one of \(DocumentOrder.Key.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
            }
            return DocumentOrder(key: key, scope: .stage, interleave: false, missingPPL: .error)
        }
        let reader = try ConfigReader(value, keyPath: keyPath)
        let order = DocumentOrder(key: try reader.choice("by", as: DocumentOrder.Key.self) ?? .random,
                                  scope: try reader.choice("scope", as: DocumentOrder.Scope.self) ?? .stage,
                                  interleave: try reader.bool("interleave") ?? false,
                                  missingPPL: try reader.choice("missing_ppl", as: DocumentOrder.MissingValue.self) ?? .error)
        try reader.finish()
        if order.interleave && order.scope != .source {
            throw reader.error("interleave", "needs `scope: source` (a stage-wide order already mixes the sources)")
        }
        return order
    }

    static func parseLearningRate(_ value: ConfigValue, keyPath: String) throws(ConfigError) -> LearningRateSpec {
        let reader = try ConfigReader(value, keyPath: keyPath)
        guard let peak = try reader.double("peak", range: 0...1e3), peak > 0 else {
            throw reader.error("peak", "is required: the stable learning rate, e.g. 1e-2")
        }
        let spec = LearningRateSpec(
            peak: peak,
            initial: try reader.double("initial", range: 0...1e3) ?? 0,
            final: try reader.double("final", range: 0...1e3) ?? 0,
            warmupTokens: try tokenAmount(reader, "warmup_tokens"),
            decayTokens: try tokenAmount(reader, "decay_tokens"),
            decayStyle: try reader.choice("decay_style", as: LearningRateSchedule.DecayStyle.self) ?? .oneMinusSqrt,
            tokensPerStep: try tokenAmount(reader, "tokens_per_step"))
        try reader.finish()
        if spec.tokensPerStep == 0 { throw reader.error("tokens_per_step", "must be more than 0") }
        return spec
    }

    static func parseAdjustPolicy(_ value: ConfigValue, keyPath: String) throws(ConfigError) -> AdjustPolicy {
        let reader = try ConfigReader(value, keyPath: keyPath)
        var policy = AdjustPolicy()
        policy.by = try reader.string("by", default: "topic")
        policy.alpha = try reader.double("alpha", range: 0...100) ?? 0.5
        policy.weights = try numberMap(reader, "weights", range: 0...1000)
        for (key, isFloor) in [("floor", true), ("ceiling", false)] {
            guard let item = reader.value(key) else { continue }
            if case let .scalar(text, location) = item {
                guard let bound = Double(text), (0...1).contains(bound) else {
                    throw ConfigError(keyPath: reader.path(key), location: location, message: "expected a ratio between 0 and 1, found '\(text)'")
                }
                if isFloor { policy.defaultFloor = bound } else { policy.defaultCeiling = bound }
            } else {
                let bounds = try numberMap(ConfigReader(.mapping([(key, item)], item.location), keyPath: keyPath), key, range: 0...1)
                if isFloor { policy.floors = bounds } else { policy.ceilings = bounds }
            }
        }
        try reader.finish()
        return policy
    }

    static func numberMap(_ reader: ConfigReader, _ key: String, range: ClosedRange<Double>) throws(ConfigError) -> [String: Double] {
        var result: [String: Double] = [:]
        for (name, text) in try stringMap(reader, key) {
            guard let number = Double(text), range.contains(number) else {
                throw ConfigError(keyPath: reader.path(key) + "." + name, location: reader.location,
                                  message: "expected a number between \(range.lowerBound) and \(range.upperBound), found '\(text)'")
            }
            result[name] = number
        }
        return result
    }

    static func tokenAmount(_ reader: ConfigReader, _ key: String) throws(ConfigError) -> Int? {
        guard let text = try reader.string(key) else { return nil }
        guard let tokens = TokenCount.parse(text) else {
            throw reader.error(key, "expected a token amount such as 40B, 7.5B, 500M or 120000, found '\(text)'")
        }
        return tokens
    }

    static func stringMap(_ reader: ConfigReader, _ key: String) throws(ConfigError) -> [(String, String)] {
        guard let value = reader.value(key) else { return [] }
        guard case let .mapping(entries, _) = value else {
            throw reader.error(key, "expected a mapping of names to values, found \(value.kindDescription)")
        }
        var result: [(String, String)] = []
        for (name, item) in entries {
            guard case let .scalar(text, _) = item else {
                throw ConfigError(keyPath: reader.path(key) + "." + name, location: item.location,
                                  message: "expected a value, found \(item.kindDescription)")
            }
            result.append((name, text))
        }
        return result
    }

    static func absolute(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: folder + "/" + path).standardizedFileURL.path
    }
}
