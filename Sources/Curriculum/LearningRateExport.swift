import Foundation

/// The learning-rate schedule as files trainers and people read: a CSV of (tokens, step, lr, stage,
/// phase) at every stage and phase boundary plus evenly spaced points, and a JSON summary with the LR at
/// each stage's start and end.
public struct LearningRateExport: Sendable {
    public var schedule: LearningRateSchedule
    public var stages: [PlanStage]
    /// Evenly spaced points besides the boundaries.
    public var points = 200

    public init(schedule: LearningRateSchedule, stages: [PlanStage]) {
        self.schedule = schedule
        self.stages = stages
    }

    public struct StageRates: Codable, Sendable {
        public var name: String
        public var phase: String
        public var startTokens: Int
        public var endTokens: Int
        public var startStep: Int?
        public var endStep: Int?
        public var lrStart: Double
        public var lrEnd: Double

        enum CodingKeys: String, CodingKey {
            case name, phase, startTokens = "start_tokens", endTokens = "end_tokens", startStep = "start_step"
            case endStep = "end_step", lrStart = "lr_start", lrEnd = "lr_end"
        }
    }

    public struct Summary: Codable, Sendable {
        public var peak: Double
        public var initial: Double
        public var final: Double
        public var warmupTokens: Int
        public var decayTokens: Int
        public var totalTokens: Int
        public var decayStyle: String
        public var tokensPerStep: Int?
        public var stages: [StageRates]

        enum CodingKeys: String, CodingKey {
            case peak, initial, final, warmupTokens = "warmup_tokens", decayTokens = "decay_tokens"
            case totalTokens = "total_tokens", decayStyle = "decay_style", tokensPerStep = "tokens_per_step", stages
        }
    }

    /// The LR over each stage: at its first token and at its last.
    public func stageRates() -> [StageRates] {
        var start = 0
        return stages.map { stage in
            let end = start + stage.tokens
            defer { start = end }
            return StageRates(name: stage.name, phase: stage.phase.rawValue, startTokens: start, endTokens: end,
                              startStep: schedule.step(atTokens: start), endStep: schedule.step(atTokens: end),
                              lrStart: schedule.rate(atTokens: Double(start)), lrEnd: schedule.rate(atTokens: Double(end)))
        }
    }

    public func summary() -> Summary {
        Summary(peak: schedule.peak, initial: schedule.initial, final: schedule.final, warmupTokens: schedule.warmupTokens,
                decayTokens: schedule.decayTokens, totalTokens: schedule.totalTokens, decayStyle: schedule.decayStyle.rawValue,
                tokensPerStep: schedule.tokensPerStep, stages: stageRates())
    }

    public func csv() -> String {
        var marks = Set<Int>([0, schedule.totalTokens, schedule.warmupTokens, schedule.decayStart])
        var boundary = 0
        for stage in stages {
            marks.insert(boundary)
            boundary += stage.tokens
        }
        for index in 0...points { marks.insert(Int((Double(schedule.totalTokens) * Double(index) / Double(points)).rounded())) }
        var stageEnds: [(end: Int, stage: PlanStage)] = []
        boundary = 0
        for stage in stages {
            boundary += stage.tokens
            stageEnds.append((boundary, stage))
        }
        var text = "tokens,step,lr,stage,phase\n"
        for tokens in marks.sorted() where tokens >= 0 && tokens <= schedule.totalTokens {
            let stage = stageEnds.first { tokens < $0.end }?.stage ?? stages.last!
            let step = schedule.step(atTokens: tokens).map(String.init) ?? ""
            text += "\(tokens),\(step),\(String(format: "%.9g", schedule.rate(atTokens: Double(tokens)))),\(csvField(stage.name)),\(stage.phase.rawValue)\n"
        }
        return text
    }

    private func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
