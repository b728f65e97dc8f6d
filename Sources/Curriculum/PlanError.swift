/// A plan that cannot be carried out as written: what, where (stage, source, topic, file) and what to do.
public struct PlanError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let hint: String

    public init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { hint.isEmpty ? message : "\(message)\n  hint: \(hint)" }
}
