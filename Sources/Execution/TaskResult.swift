import Corpus

/// What a completed task wrote and counted; stored as its completion marker.
public struct TaskResult: Sendable, Codable, Equatable {
    public var task: String
    public var source: String
    public var stats: PipelineStats
    /// Output files, relative to the run folder.
    public var outputs: [String]
    public var droppedOutputs: [String]
}
