import Corpus

extension ConfigValue {
    /// A canonical text of the value (no locations), for detecting that a configuration changed.
    var canonicalText: String {
        switch self {
        case let .scalar(text, _): return JSONValue.string(text).serialized()
        case .null: return "null"
        case let .sequence(items, _): return "[" + items.map(\.canonicalText).joined(separator: ",") + "]"
        case let .mapping(entries, _):
            return "{" + entries.map { JSONValue.string($0.0).serialized() + ":" + $0.1.canonicalText }.joined(separator: ",") + "}"
        }
    }
}
