/// The dynamic topic-ratio update of Llama-3-SynE (SPEC.md §4): after period t, a topic whose held-out
/// perplexity rose (it is being forgotten) gets more data.
///
///     Δp_i = p_i(t) − p_i(t−1)
///     δ_i  = Δp_i / max_j |Δp_j|
///     f_i  = 1 + α · δ_i · w_i
///     r_i(t) = r_i(t−1) · f_i / Σ_j r_j(t−1) · f_j
///
/// then, when floors or ceilings are given, ratios are clamped and the rest renormalised over the
/// unclamped topics until all bounds hold.
public struct RatioUpdate: Sendable {
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var previousRatio: Double
        public var perplexityBefore: Double
        public var perplexityAfter: Double
        public var weight: Double
        public var delta: Double
        public var normalizedDelta: Double
        public var factor: Double
        /// r_i(t) by the formula, before any floor or ceiling.
        public var formulaRatio: Double
        public var ratio: Double
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missingPerplexity(topic: String, which: String)
        case nonPositiveFactor(topic: String, factor: Double)
        case infeasibleBounds(String)
        case badRatio(topic: String, ratio: Double)

        public var description: String {
            switch self {
            case let .missingPerplexity(topic, which):
                return "the evaluation has no \(which) perplexity for topic '\(topic)'; add it, or leave the topic out of the group"
            case let .nonPositiveFactor(topic, factor):
                return "f = 1 + α·δ·w is \(factor) for topic '\(topic)': α·w must stay below 1 so that no topic's data vanishes; lower alpha or the weight"
            case let .infeasibleBounds(message):
                return message
            case let .badRatio(topic, ratio):
                return "the previous ratio of topic '\(topic)' is \(ratio); ratios must be ≥ 0 and not all 0"
            }
        }
    }

    public var topics: [Topic]
    public var alpha: Double

    /// - Parameters:
    ///   - ratios: r(t−1) per topic (any positive scale; normalised here), in the plan's order.
    ///   - before / after: p(t−1) and p(t) per topic.
    ///   - weights: w_i (default 1).
    ///   - floors / ceilings: bounds on the new normalised ratios.
    public init(ratios: [(String, Double)], before: [String: Double], after: [String: Double], alpha: Double,
                weights: [String: Double] = [:], floors: [String: Double] = [:], ceilings: [String: Double] = [:]) throws(Failure) {
        self.alpha = alpha
        let total = ratios.reduce(0) { $0 + $1.1 }
        for (name, ratio) in ratios where ratio < 0 || !ratio.isFinite || total <= 0 {
            throw .badRatio(topic: name, ratio: ratio)
        }
        var topics: [Topic] = []
        for (name, ratio) in ratios {
            guard let p0 = before[name] else { throw .missingPerplexity(topic: name, which: "previous (t−1)") }
            guard let p1 = after[name] else { throw .missingPerplexity(topic: name, which: "current (t)") }
            topics.append(Topic(name: name, previousRatio: ratio / total, perplexityBefore: p0, perplexityAfter: p1,
                                weight: weights[name] ?? 1, delta: p1 - p0, normalizedDelta: 0, factor: 1,
                                formulaRatio: 0, ratio: 0))
        }
        let largest = topics.map { abs($0.delta) }.max() ?? 0
        var denominator = 0.0
        for index in topics.indices {
            topics[index].normalizedDelta = largest > 0 ? topics[index].delta / largest : 0
            topics[index].factor = 1 + alpha * topics[index].normalizedDelta * topics[index].weight
            guard topics[index].factor > 0 else {
                throw .nonPositiveFactor(topic: topics[index].name, factor: topics[index].factor)
            }
            denominator += topics[index].previousRatio * topics[index].factor
        }
        for index in topics.indices {
            topics[index].formulaRatio = topics[index].previousRatio * topics[index].factor / denominator
        }
        let bounded = try Self.clamp(topics.map { ($0.name, $0.formulaRatio) }, floors: floors, ceilings: ceilings)
        for index in topics.indices { topics[index].ratio = bounded[index] }
        self.topics = topics
    }

    /// Clamps ratios into [floor, ceiling] and spreads what clamping freed or took over the other topics
    /// in proportion to their ratios, repeating until no bound is violated.
    static func clamp(_ ratios: [(String, Double)], floors: [String: Double], ceilings: [String: Double]) throws(Failure) -> [Double] {
        let lower = ratios.map { floors[$0.0] ?? 0 }
        let upper = ratios.map { ceilings[$0.0] ?? 1 }
        guard lower.reduce(0, +) <= 1 + 1e-12 else { throw .infeasibleBounds("the floors sum to \(lower.reduce(0, +)), more than 1") }
        guard upper.reduce(0, +) >= 1 - 1e-12 else { throw .infeasibleBounds("the ceilings sum to \(upper.reduce(0, +)), less than 1") }
        for index in ratios.indices where lower[index] > upper[index] {
            throw .infeasibleBounds("topic '\(ratios[index].0)' has floor \(lower[index]) above its ceiling \(upper[index])")
        }
        var values = ratios.map(\.1)
        var fixed = Array(repeating: false, count: values.count)
        for _ in 0...values.count {
            var changed = false
            for index in values.indices where !fixed[index] {
                if values[index] < lower[index] { values[index] = lower[index]; fixed[index] = true; changed = true }
                else if values[index] > upper[index] { values[index] = upper[index]; fixed[index] = true; changed = true }
            }
            if !changed { break }
            let fixedMass = values.indices.filter { fixed[$0] }.reduce(0) { $0 + values[$1] }
            let freeIndices = values.indices.filter { !fixed[$0] }
            let freeMass = freeIndices.reduce(0) { $0 + values[$1] }
            guard !freeIndices.isEmpty else { break }
            let scale = freeMass > 0 ? (1 - fixedMass) / freeMass : 0
            for index in freeIndices {
                values[index] = freeMass > 0 ? values[index] * scale : (1 - fixedMass) / Double(freeIndices.count)
            }
        }
        return values
    }
}
