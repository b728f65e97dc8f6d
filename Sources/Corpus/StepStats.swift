/// What one step saw: documents in, kept, and dropped per reason.
public struct StepStats: Sendable, Equatable, Codable {
    public var name: String
    public var input = Counts()
    public var kept = Counts()
    public var dropped: [String: Counts] = [:]

    public init(name: String) {
        self.name = name
    }

    public var droppedTotal: Counts { dropped.values.reduce(Counts(), +) }

    /// Conservation: every document that came in was kept or dropped for a reason. (Bytes need not add
    /// up: `kept.bytes` is measured after the step, which may have changed the text.)
    public var isConserved: Bool {
        input.documents == kept.documents + droppedTotal.documents
    }

    public mutating func merge(_ other: StepStats) {
        input += other.input
        kept += other.kept
        for (reason, counts) in other.dropped { dropped[reason, default: Counts()] += counts }
    }
}
