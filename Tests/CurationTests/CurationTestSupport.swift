import Testing
import Corpus
import Curation

/// A document decoded from one JSON line, as a reader would give it.
func record(_ line: String) throws -> Document {
    var decoder = DocumentDecoder()
    let bytes = Array(line.utf8)
    return try bytes.withUnsafeBytes { raw in try decoder.decode(line: raw) { "fallback" } }
}

/// A document with just an id and text.
func text(_ text: String, id: String = "t") -> Document {
    Document(id: id, text: text)
}

/// The verdict of one step on a document.
func verdict(_ step: any Step, _ document: Document) -> Verdict {
    var document = document
    return step.process(&document)
}

/// The drop reason name of a verdict, or "keep".
func outcome(_ step: any Step, _ document: Document) -> String {
    switch verdict(step, document) {
    case .keep: return "keep"
    case let .drop(reason): return reason.rawValue
    }
}

/// A step that adds metadata, standing in for an earlier annotating step (e.g. language id).
final class AnnotateStep: Step {
    let key: String
    let value: JSONValue
    init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
    func process(_ document: inout Document) -> Verdict {
        document.metadata[key] = value
        return .keep
    }
}

/// Runs steps in order like a pipeline; returns the final verdict.
func run(_ steps: [any Step], _ document: Document) -> String {
    var document = document
    for step in steps {
        if case let .drop(reason) = step.process(&document) { return reason.rawValue }
    }
    return "keep"
}

/// Config trees.
func scalar(_ text: String) -> ConfigValue { .scalar(text, nil) }
func mapping(_ entries: (String, ConfigValue)...) -> ConfigValue {
    .mapping(entries, ConfigLocation(file: "pipeline.yaml", line: 3, column: 5))
}
func sequence(_ items: ConfigValue...) -> ConfigValue { .sequence(items, nil) }

/// Builds a step the way the pipeline loader does: read options, then reject unknown ones.
func build(_ definition: StepDefinition, _ options: ConfigValue, keyPath: String = "steps[0]") throws -> (any StepFactory, any Step) {
    let reader = try ConfigReader(options, keyPath: keyPath)
    let factory = try definition.build(reader)
    try reader.finish()
    return (factory, try factory.makeStep())
}

/// The configuration error building a step raises, or nil.
func buildError(_ definition: StepDefinition, _ options: ConfigValue, keyPath: String = "steps[0]") -> ConfigError? {
    do {
        _ = try build(definition, options, keyPath: keyPath)
        return nil
    } catch {
        return error as? ConfigError
    }
}
