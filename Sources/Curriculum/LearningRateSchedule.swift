import Foundation

/// Warm-up / stable / decay learning rates over tokens (the WSD schedule YuLan-Mini and MiniCPM use):
/// a linear warm-up from `initial` to `peak`, `peak` held, then a decay to `final` over the last
/// `decayTokens` tokens in one of the usual shapes.
public struct LearningRateSchedule: Sendable, Equatable {
    public var peak: Double
    public var initial: Double
    public var final: Double
    public var warmupTokens: Int
    public var decayTokens: Int
    public var totalTokens: Int
    public var decayStyle: DecayStyle
    /// Tokens per optimizer step (global batch × sequence length), to speak in steps as trainers do.
    public var tokensPerStep: Int?

    public enum DecayStyle: String, Sendable, CaseIterable, Codable {
        case linear
        case cosine
        /// `1 − sqrt(progress)`: YuLan-Mini's annealing (1e-2 → 5.22e-5).
        case oneMinusSqrt = "1-sqrt"
    }

    public init(peak: Double, initial: Double = 0, final: Double = 0, warmupTokens: Int, decayTokens: Int,
                totalTokens: Int, decayStyle: DecayStyle, tokensPerStep: Int? = nil) {
        self.peak = peak
        self.initial = initial
        self.final = final
        self.warmupTokens = warmupTokens
        self.decayTokens = decayTokens
        self.totalTokens = totalTokens
        self.decayStyle = decayStyle
        self.tokensPerStep = tokensPerStep
    }

    public var decayStart: Int { totalTokens - decayTokens }

    /// The rate after `tokens` tokens of training.
    public func rate(atTokens tokens: Double) -> Double {
        if tokens < Double(warmupTokens) {
            return initial + (peak - initial) * tokens / Double(warmupTokens)
        }
        let start = Double(decayStart)
        guard decayTokens > 0, tokens > start else { return peak }
        let progress = min(1, (tokens - start) / Double(decayTokens))
        let shape: Double
        switch decayStyle {
        case .linear: shape = 1 - progress
        case .cosine: shape = (1 + cos(Double.pi * progress)) / 2
        case .oneMinusSqrt: shape = 1 - progress.squareRoot()
        }
        return final + (peak - final) * shape
    }

    /// The rate at optimizer step `step` (needs `tokensPerStep`; steps count from 0).
    public func rate(atStep step: Int) -> Double? {
        tokensPerStep.map { rate(atTokens: Double(step) * Double($0)) }
    }

    public func step(atTokens tokens: Int) -> Int? {
        tokensPerStep.map { tokens / $0 }
    }
}
