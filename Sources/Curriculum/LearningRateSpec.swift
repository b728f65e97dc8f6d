/// The plan's `learning_rate:` section. Warm-up and decay lengths default to the tokens of the stages
/// whose phase is `warmup` and `annealing`.
public struct LearningRateSpec: Sendable {
    public var peak: Double
    public var initial: Double
    public var final: Double
    public var warmupTokens: Int?
    public var decayTokens: Int?
    public var decayStyle: LearningRateSchedule.DecayStyle
    public var tokensPerStep: Int?

    public func schedule(for stages: [PlanStage]) -> LearningRateSchedule {
        let total = stages.reduce(0) { $0 + $1.tokens }
        let warmup = warmupTokens ?? stages.filter { $0.phase == .warmup }.reduce(0) { $0 + $1.tokens }
        let decay = decayTokens ?? stages.filter { $0.phase == .annealing }.reduce(0) { $0 + $1.tokens }
        return LearningRateSchedule(peak: peak, initial: initial, final: final, warmupTokens: warmup,
                                    decayTokens: decay, totalTokens: total, decayStyle: decayStyle,
                                    tokensPerStep: tokensPerStep)
    }
}
