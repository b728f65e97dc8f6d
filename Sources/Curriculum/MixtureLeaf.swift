/// One cell of a stage's mixture: the conditions a document must meet (`language = en`, `topic = Law
/// and Policy`) and the tokens the stage takes from it.
public struct MixtureLeaf: Sendable {
    public struct Condition: Sendable {
        public var key: String
        public var value: String
        /// For `*`: the values its sibling groups name.
        public var excluded: Set<String>

        func matches(_ candidate: String) -> Bool {
            value == MixtureNode.others ? !excluded.contains(candidate) : candidate == value
        }
    }

    public var conditions: [Condition]
    public var targetTokens: Int

    /// `language=en/topic=Law and Policy`, or `all` for a stage without division.
    public var label: String {
        conditions.isEmpty ? "all" : conditions.map { "\($0.key)=\($0.value)" }.joined(separator: "/")
    }
}

extension MixtureNode {
    /// The leaves of this mixture for a budget of `tokens`, apportioned so the leaves' targets sum to
    /// `tokens` exactly (largest remainder; ties go to the group written first).
    public func leaves(tokens: Int, conditions: [MixtureLeaf.Condition] = []) -> [MixtureLeaf] {
        let shares = Self.apportion(tokens, weights: groups.map(\.weight))
        let named = Set(groups.map(\.value).filter { $0 != MixtureNode.others })
        var result: [MixtureLeaf] = []
        for (group, share) in zip(groups, shares) {
            let condition = MixtureLeaf.Condition(key: by, value: group.value,
                                                  excluded: group.value == MixtureNode.others ? named : [])
            if let within = group.within {
                result += within.leaves(tokens: share, conditions: conditions + [condition])
            } else {
                result.append(MixtureLeaf(conditions: conditions + [condition], targetTokens: share))
            }
        }
        return result
    }

    /// Splits `total` in proportion to `weights` into integers that sum to `total`.
    public static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0, total > 0 else { return weights.map { _ in 0 } }
        if let exact = apportionIntegers(total, weights: weights) { return exact }
        let ideal = weights.map { Double(total) * $0 / sum }
        var shares = ideal.map { Int($0.rounded(.down)) }
        var left = total - shares.reduce(0, +)
        let byRemainder = ideal.indices.sorted { a, b in
            let (ra, rb) = (ideal[a] - Double(shares[a]), ideal[b] - Double(shares[b]))
            return ra != rb ? ra > rb : a < b
        }
        var index = 0
        // Float rounding can leave the floors one over the total; take it back from the smallest remainder.
        while left < 0, let smallest = byRemainder.last(where: { shares[$0] > 0 }) {
            shares[smallest] -= 1
            left += 1
        }
        while left > 0 {
            shares[byRemainder[index % byRemainder.count]] += 1
            left -= 1
            index += 1
        }
        return shares
    }

    /// Exact apportionment for whole-number weights (token counts from a recipe): 128-bit products, so a
    /// stage whose weights are its datasets' tokens gets exactly those tokens back.
    static func apportionIntegers(_ total: Int, weights: [Double]) -> [Int]? {
        guard weights.allSatisfy({ $0 >= 0 && $0 < 9.0e15 && $0 == $0.rounded() }) else { return nil }
        let integers = weights.map { Int($0) }
        let (sum, overflow) = integers.reduce((0, false)) { partial, weight in
            let (value, over) = partial.0.addingReportingOverflow(weight)
            return (value, partial.1 || over)
        }
        guard !overflow, sum > 0 else { return nil }
        var shares: [Int] = []
        var remainders: [Int] = []
        for weight in integers {
            let product = total.multipliedFullWidth(by: weight)
            let (quotient, remainder) = sum.dividingFullWidth(product)
            shares.append(quotient)
            remainders.append(remainder)
        }
        var left = total - shares.reduce(0, +)
        let byRemainder = integers.indices.sorted { a, b in remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b }
        var index = 0
        while left > 0 {
            shares[byRemainder[index % byRemainder.count]] += 1
            left -= 1
            index += 1
        }
        return shares
    }
}
