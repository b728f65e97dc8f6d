/// A step applied only to documents whose fields have given values (`when: {language: en}` in pipeline
/// YAML; `input` names the pipeline input a document came from); every other document passes it
/// untouched and counts as kept by it. Lets one pipeline run
/// English filters on English documents and Chinese settings on Chinese ones.
public final class ConditionalStep: Step {
    public struct Condition: Sendable {
        /// A dotted field path, split (`language`, `metadata.language`).
        public var path: [String]
        public var values: Set<String>

        public init(path: String, values: Set<String>) {
            self.path = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            self.values = values
        }

        func matches(_ document: Document) -> Bool {
            // `input` is the pipeline input (source) the document was read from.
            if path == ["input"] { return values.contains(document.source) }
            switch document.value(atPath: path) {
            case let .string(text)?: return values.contains(text)
            case let .number(text)?: return values.contains(text)
            case let .bool(flag)?: return values.contains(flag ? "true" : "false")
            default: return false
            }
        }
    }

    public struct Factory: StepFactory {
        public let inner: any StepFactory
        public let conditions: [Condition]

        public init(inner: any StepFactory, conditions: [Condition]) {
            self.inner = inner
            self.conditions = conditions
        }

        public var versionedName: String {
            inner.versionedName + " when " + conditions.map { "\($0.path.joined(separator: "."))=\($0.values.sorted().joined(separator: "|"))" }.joined(separator: ",")
        }

        public func makeStep() throws -> any Step {
            ConditionalStep(inner: try inner.makeStep(), conditions: conditions)
        }
    }

    private let inner: any Step
    private let conditions: [Condition]

    public init(inner: any Step, conditions: [Condition]) {
        self.inner = inner
        self.conditions = conditions
    }

    public func process(_ document: inout Document) -> Verdict {
        for condition in conditions where !condition.matches(document) { return .keep }
        return inner.process(&document)
    }
}

/// `when:` on a corpus-wide step: its collector sees only the documents that match, and its decider
/// judges only those (the others pass untouched), so the step deduplicates within that part of the corpus.
public struct ConditionalCorpusWideFactory: CorpusWideStepFactory {
    public let inner: any CorpusWideStepFactory
    public let conditions: [ConditionalStep.Condition]

    public init(inner: any CorpusWideStepFactory, conditions: [ConditionalStep.Condition]) {
        self.inner = inner
        self.conditions = conditions
    }

    public var versionedName: String {
        ConditionalStep.Factory(inner: inner, conditions: conditions).versionedName
    }

    public func makeCollector(task: Int, folder: String) throws -> any DocumentCollector {
        Collector(inner: try inner.makeCollector(task: task, folder: folder), conditions: conditions)
    }

    public func resolve(taskCount: Int, folder: String) throws -> CorpusWideReport {
        var report = try inner.resolve(taskCount: taskCount, folder: folder)
        report.step = versionedName
        return report
    }

    public func makeDecider(task: Int, folder: String) throws -> any Step {
        ConditionalStep(inner: try inner.makeDecider(task: task, folder: folder), conditions: conditions)
    }

    public func finishReport(_ report: CorpusWideReport, taskCount: Int, folder: String) throws -> CorpusWideReport {
        try inner.finishReport(report, taskCount: taskCount, folder: folder)
    }

    final class Collector: DocumentCollector {
        let inner: any DocumentCollector
        let conditions: [ConditionalStep.Condition]

        init(inner: any DocumentCollector, conditions: [ConditionalStep.Condition]) {
            self.inner = inner
            self.conditions = conditions
        }

        func collect(_ document: Document) throws {
            for condition in conditions where !condition.matches(document) { return }
            try inner.collect(document)
        }

        func finish() throws { try inner.finish() }
    }
}
