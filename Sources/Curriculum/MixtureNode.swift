/// How a stage divides its tokens: by one key (`source`, a source label such as `language`, or a
/// per-document field such as `topic`), each value with a weight and optionally its own division.
///
/// `zh:en = 2:8`, then topics within English, is `MixtureNode(by: "language", groups: [zh 2, en 8 → by topic])`.
public struct MixtureNode: Sendable {
    public var by: String
    public var groups: [MixtureGroup]
    /// The key path in the plan file, for messages (`stages[0].mixture.ratios.en`).
    public var keyPath: String

    public init(by: String, groups: [MixtureGroup], keyPath: String) {
        self.by = by
        self.groups = groups
        self.keyPath = keyPath
    }

    /// The value that matches every value no other group names.
    public static let others = "*"

    public var weightSum: Double { groups.reduce(0) { $0 + $1.weight } }
}

public struct MixtureGroup: Sendable {
    public var value: String
    public var weight: Double
    public var within: MixtureNode?

    public init(value: String, weight: Double, within: MixtureNode? = nil) {
        self.value = value
        self.weight = weight
        self.within = within
    }
}
