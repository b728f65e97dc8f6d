/// The plan's `adjust:` section: which groups `syllabus adjust` updates and how strongly.
///
///     adjust: {by: topic, alpha: 0.5, weights: {Mathematics and Physics: 1.5}, floor: 0.02, ceiling: 0.6}
public struct AdjustPolicy: Sendable {
    /// The mixture key whose groups are updated (every node dividing by it).
    public var by: String = "topic"
    /// α, the global step size.
    public var alpha: Double = 0.5
    /// w_i per topic (default 1).
    public var weights: [String: Double] = [:]
    public var floors: [String: Double] = [:]
    public var ceilings: [String: Double] = [:]
    public var defaultFloor: Double?
    public var defaultCeiling: Double?

    public init() {}

    func floors(for topics: [String]) -> [String: Double] {
        bounds(floors, defaultFloor, topics)
    }

    func ceilings(for topics: [String]) -> [String: Double] {
        bounds(ceilings, defaultCeiling, topics)
    }

    private func bounds(_ specific: [String: Double], _ fallback: Double?, _ topics: [String]) -> [String: Double] {
        var result: [String: Double] = [:]
        for topic in topics {
            if let value = specific[topic] ?? fallback { result[topic] = value }
        }
        return result
    }
}
