import Corpus

/// Which document of a duplicate cluster stays: the first in input order, the longest, or the one with
/// the highest value of a metadata field (e.g. a quality score). Ties go to the first.
enum KeepPolicy: Sendable, Equatable {
    case first
    case longest
    case highest(field: String)
    /// What datatrove keeps: the root of its union-find (union by size, ties to the earlier document of
    /// each matching pair), for reproducing a datatrove run's removals exactly (with `hash: datatrove`).
    case datatrove

    /// Reads `keep: first|longest|highest` and, for `highest`, `keep_by: FIELD`.
    static func read(_ options: ConfigReader, default fallback: String = "first") throws(ConfigError) -> KeepPolicy {
        let field = try options.string("keep_by")
        switch try options.string("keep", default: field == nil ? fallback : "highest") {
        case "first": return .first
        case "longest": return .longest
        case "datatrove": return .datatrove
        case "highest":
            guard let field else { throw options.error("keep_by", "is required with `keep: highest`: the field to compare, e.g. `keep_by: quality`") }
            return .highest(field: field)
        case let other:
            throw options.error("keep", "'\(other)' is not a keep policy; use first, longest, highest (with keep_by: FIELD) or datatrove (minhash_dedup only)")
        }
    }

    /// The number compared between members (higher stays); 0 for `first`.
    func score(_ document: Document) -> Float {
        switch self {
        case .first, .datatrove: return 0
        case .longest: return Float(TextMeasures.characterCount(document.text))
        case let .highest(field):
            switch document.value(at: field) {
            case let .number(text)?: return Float(text) ?? -.infinity
            case let .bool(flag)?: return flag ? 1 : 0
            default: return -.infinity
            }
        }
    }

    var name: String {
        switch self {
        case .first: return "first"
        case .datatrove: return "datatrove"
        case .longest: return "longest"
        case let .highest(field): return "highest \(field)"
        }
    }
}
