import Synchronization

/// Live counters that tasks add to and a progress display reads; safe from any thread.
public final class ProgressCounters: Sendable {
    public let documents = Atomic<Int>(0)
    public let textBytes = Atomic<Int>(0)
    public let fileBytes = Atomic<Int>(0)
    public let tasksDone = Atomic<Int>(0)
    public let tasksSkipped = Atomic<Int>(0)
    public let tasksFailed = Atomic<Int>(0)
    /// The pass running now (1-based) when a pipeline runs in several (corpus-wide steps cut it).
    public let phase = Atomic<Int>(1)
    public let totalTasks: Int
    public let totalFileBytes: Int
    public let phases: Int

    public init(totalTasks: Int, totalFileBytes: Int, phases: Int = 1) {
        self.totalTasks = totalTasks
        self.totalFileBytes = totalFileBytes
        self.phases = phases
    }

    /// A consistent-enough reading of all counters.
    public struct Snapshot: Sendable {
        public var documents: Int
        public var textBytes: Int
        public var fileBytes: Int
        public var tasksDone: Int
        public var tasksSkipped: Int
        public var tasksFailed: Int
        public var totalTasks: Int
        public var totalFileBytes: Int
        public var phase: Int = 1
        public var phases: Int = 1
    }

    public func snapshot() -> Snapshot {
        Snapshot(documents: documents.load(ordering: .relaxed), textBytes: textBytes.load(ordering: .relaxed),
                 fileBytes: fileBytes.load(ordering: .relaxed), tasksDone: tasksDone.load(ordering: .relaxed),
                 tasksSkipped: tasksSkipped.load(ordering: .relaxed), tasksFailed: tasksFailed.load(ordering: .relaxed),
                 totalTasks: totalTasks, totalFileBytes: totalFileBytes,
                 phase: phase.load(ordering: .relaxed), phases: phases)
    }
}
