import Corpus

/// Keeps documents whose field (metadata or record field, dotted path) has one of the listed values.
public final class SelectStep: Step, Sendable {
    public static let definition = StepDefinition(
        name: "select", summary: "keep (or with exclude: true, drop) documents whose field matches a list of values"
    ) { (options) throws(ConfigError) in
        let field = try options.requiredString("field")
        guard let values = try options.strings("values"), !values.isEmpty else {
            throw options.error("values", "is required: a list of values to match, e.g. [en, zh]")
        }
        let step = SelectStep(field: field, values: values, exclude: try options.bool("exclude") ?? false,
                              keepMissing: try options.bool("keep_missing") ?? false)
        return SharedStepFactory(versionedName: "select-v1", step: step)
    }

    public let field: String
    public let values: Set<String>
    public let exclude: Bool
    public let keepMissing: Bool

    /// - Parameters:
    ///   - exclude: drop the matching documents instead of keeping them.
    ///   - keepMissing: keep documents that lack the field (by default they are dropped as `field_missing`).
    public init(field: String, values: [String], exclude: Bool = false, keepMissing: Bool = false) {
        self.field = field
        self.values = Set(values)
        self.exclude = exclude
        self.keepMissing = keepMissing
    }

    public func process(_ document: inout Document) -> Verdict {
        guard let value = document.value(at: field), value != .null else {
            return keepMissing ? .keep : .drop(.fieldMissing)
        }
        let matches: Bool
        if case let .array(items) = value {
            matches = items.contains { values.contains($0.textForMatching) }
        } else {
            matches = values.contains(value.textForMatching)
        }
        if exclude { return matches ? .drop(.excluded) : .keep }
        return matches ? .keep : .drop(.notSelected)
    }
}

extension DropReason {
    public static let notSelected = DropReason("not_selected")
    public static let excluded = DropReason("excluded")
    public static let fieldMissing = DropReason("field_missing")
}
