/// Counts for a pipeline run over some documents: reading, each step, writing.
public struct PipelineStats: Sendable, Equatable, Codable {
    public struct Read: Sendable, Equatable, Codable {
        /// Valid documents read.
        public var documents = Counts()
        /// Lines that were not valid documents, per reason (bytes: the raw line length).
        public var problems: [String: Counts] = [:]
        /// Empty or whitespace-only lines (not documents).
        public var blankLines = 0
        /// Input file bytes consumed (compressed size for compressed files).
        public var fileBytes = 0

        public init() {}
    }

    public var read = Read()
    public var steps: [StepStats]
    public var written = Counts()
    public var files = 0

    public init(stepNames: [String]) {
        steps = stepNames.map(StepStats.init(name:))
    }

    /// Documents dropped anywhere, per reason (reading problems included).
    public var droppedByReason: [String: Counts] {
        var total = read.problems
        for step in steps {
            for (reason, counts) in step.dropped { total[reason, default: Counts()] += counts }
        }
        return total
    }

    public mutating func merge(_ other: PipelineStats) {
        read.documents += other.read.documents
        for (reason, counts) in other.read.problems { read.problems[reason, default: Counts()] += counts }
        read.blankLines += other.read.blankLines
        read.fileBytes += other.read.fileBytes
        if steps.count == other.steps.count {
            for index in steps.indices { steps[index].merge(other.steps[index]) }
        }
        written += other.written
        files += other.files
    }

    /// Checks that every document read was kept or dropped for a reason, step by step.
    /// Returns a description of the first violation, or nil when everything adds up.
    public func conservationViolation() -> String? {
        var flowing = read.documents
        for step in steps {
            if step.input.documents != flowing.documents {
                return "step \(step.name) received \(step.input.documents) documents but the previous stage passed on \(flowing.documents)"
            }
            if !step.isConserved {
                return "step \(step.name): in \(step.input.documents) != kept \(step.kept.documents) + dropped \(step.droppedTotal.documents)"
            }
            flowing = step.kept
        }
        if written.documents != flowing.documents {
            return "\(written.documents) documents written but \(flowing.documents) kept"
        }
        return nil
    }
}
