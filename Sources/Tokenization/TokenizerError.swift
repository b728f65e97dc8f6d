/// A tokenizer file that cannot be used, or text a tokenizer cannot take: says which file and why.
public struct TokenizerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case cannotRead
        case unknownFormat
        case malformed
        case unsupported
        case badPattern
        case invalidText
    }

    public let kind: Kind
    /// The tokenizer file, when the problem is in one.
    public var path: String?
    public let message: String
    public var hint: String?

    public init(_ kind: Kind, path: String? = nil, message: String, hint: String? = nil) {
        self.kind = kind
        self.path = path
        self.message = message
        self.hint = hint
    }

    func at(_ path: String) -> TokenizerError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }

    public var description: String {
        let location = path.map { "\($0): " } ?? ""
        return location + message + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}
