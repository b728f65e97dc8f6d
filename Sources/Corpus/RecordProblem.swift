/// Why one input line could not become a document. Each maps to a stable drop reason.
public enum RecordProblem: Error, Sendable, Equatable {
    case invalidJSON(JSONSyntaxError)
    case missingText(field: String)
    case textNotString(field: String)
    case invalidUTF8(field: String)
    case invalidID(field: String)

    /// The drop reason this problem is counted under when `on_error: skip`.
    public var reason: DropReason {
        switch self {
        case .invalidJSON: return .invalidJSON
        case .missingText: return .missingText
        case .textNotString: return .textNotString
        case .invalidUTF8: return .invalidUTF8
        case .invalidID: return .invalidID
        }
    }

    public var message: String {
        switch self {
        case let .invalidJSON(error): return "invalid JSON at byte \(error.offset) of the line: \(error.message)"
        case let .missingText(field): return "the record has no \"\(field)\" field"
        case let .textNotString(field): return "\"\(field)\" is not a string"
        case let .invalidUTF8(field): return "\"\(field)\" is not valid UTF-8 (or holds a lone surrogate escape)"
        case let .invalidID(field): return "\"\(field)\" must be a string or a number"
        }
    }
}
