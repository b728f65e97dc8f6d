import Corpus

/// The outcome of running a pipeline: totals, per source, and what was run now versus before.
public struct RunSummary: Sendable, Codable, Equatable {
    public static func == (lhs: RunSummary, rhs: RunSummary) -> Bool {
        lhs.pipeline == rhs.pipeline && lhs.steps == rhs.steps && lhs.tasks == rhs.tasks && lhs.tasksRun == rhs.tasksRun
            && lhs.total == rhs.total && lhs.sources == rhs.sources && lhs.corpusWide == rhs.corpusWide
    }

    public var pipeline: String
    public var steps: [String]
    public var tasks: Int
    /// Tasks run by this invocation (the rest had completed in an earlier one).
    public var tasksRun: Int
    public var total: PipelineStats
    public var sources: [String: PipelineStats]
    /// What each corpus-wide step (deduplication) found, in pipeline order.
    public var corpusWide: [CorpusWideReport]
    /// Wall-clock seconds of each pass and merge this invocation ran (not saved: stats.json stays the same
    /// for the same input).
    public var timings: [(phase: String, seconds: Double)] = []

    enum CodingKeys: String, CodingKey {
        case pipeline, steps, tasks, total, sources
        case corpusWide = "corpus_wide"
    }

    public init(pipeline: String, steps: [String], results: [TaskResult], tasksRun: Int, corpusWide: [CorpusWideReport] = []) {
        self.pipeline = pipeline
        self.corpusWide = corpusWide
        self.steps = steps
        self.tasks = results.count
        self.tasksRun = tasksRun
        total = PipelineStats(stepNames: steps)
        sources = [:]
        for result in results {
            total.merge(result.stats)
            sources[result.source, default: PipelineStats(stepNames: steps)].merge(result.stats)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pipeline = try container.decode(String.self, forKey: .pipeline)
        steps = try container.decode([String].self, forKey: .steps)
        tasks = try container.decode(Int.self, forKey: .tasks)
        tasksRun = 0
        total = try container.decode(PipelineStats.self, forKey: .total)
        sources = try container.decode([String: PipelineStats].self, forKey: .sources)
        corpusWide = try container.decodeIfPresent([CorpusWideReport].self, forKey: .corpusWide) ?? []
    }
}
