/// What a step decided about a document.
public enum Verdict: Sendable, Equatable {
    case keep
    case drop(DropReason)
}

/// One stage a document passes through: it annotates the document (adds metadata), or decides its
/// fate, or both. A step instance belongs to one task and may keep scratch state.
public protocol Step: AnyObject {
    func process(_ document: inout Document) -> Verdict
}

/// Builds the step instances of one configured step: one per task, so steps need not be thread-safe.
public protocol StepFactory: Sendable {
    /// The step's versioned name, e.g. `length-v1`; recorded in stats so a run says what it ran.
    var versionedName: String { get }
    func makeStep() throws -> any Step
}

/// A factory for steps that hold no mutable state: the same instance serves every task.
public struct SharedStepFactory<S: Step & Sendable>: StepFactory {
    public let versionedName: String
    public let step: S

    public init(versionedName: String, step: S) {
        self.versionedName = versionedName
        self.step = step
    }

    public func makeStep() throws -> any Step { step }
}

/// A factory that builds a new step for every task: for steps that keep scratch space between documents.
public struct FreshStepFactory: StepFactory {
    public let versionedName: String
    private let make: @Sendable () -> any Step

    public init(versionedName: String, make: @escaping @Sendable () -> any Step) {
        self.versionedName = versionedName
        self.make = make
    }

    public func makeStep() throws -> any Step { make() }
}

/// How a step is named in pipeline YAML and built from its options.
public struct StepDefinition: Sendable {
    /// The YAML name, e.g. `length`.
    public let name: String
    /// One line for `--help` and error messages.
    public let summary: String
    /// Reads the step's options (the reader rejects unknown ones after `build` returns).
    public let build: @Sendable (ConfigReader) throws(ConfigError) -> any StepFactory

    public init(name: String, summary: String, build: @escaping @Sendable (ConfigReader) throws(ConfigError) -> any StepFactory) {
        self.name = name
        self.summary = summary
        self.build = build
    }
}
