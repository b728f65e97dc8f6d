/// What phase 2 decided about one document of a duplicate cluster; stored per task, sorted by `ordinal`.
/// Documents in no cluster have no decision and pass unchanged.
struct DuplicateDecision: BitwiseCopyable, Equatable {
    /// Position among the documents the task's collector saw.
    var ordinal: UInt32
    /// Documents in the cluster.
    var size: UInt32
    /// The cluster's id: the global number of the document it keeps.
    var cluster: UInt64
    var flags: UInt32
    /// Jaccard similarity to the kept document, when measured (else -1).
    var similarity: Float32

    static let removed: UInt32 = 1
    /// One of the few documents shown as examples in the run's report.
    static let example: UInt32 = 2

    var isRemoved: Bool { flags & Self.removed != 0 }
    var isExample: Bool { flags & Self.example != 0 }
}
