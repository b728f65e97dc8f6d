/// A model file Syllabus cannot use: which file, what is wrong, what to do.
public struct ModelFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let message: String
    public let hint: String

    public init(path: String, _ message: String, hint: String) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(path): \(message)\n  hint: \(hint)" }
}
