/// Why a document was dropped: a stable name that appears in stats and in `drop_reason`.
///
/// Names never change once released (add new ones instead); each module declares its reasons as
/// static members in an extension, so the set stays open to later steps.
public struct DropReason: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: DropReason, rhs: DropReason) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DropReason {
    // Input records that are not valid documents (counted when `on_error: skip`).
    public static let invalidJSON = DropReason("invalid_json")
    public static let missingText = DropReason("missing_text")
    public static let textNotString = DropReason("text_not_string")
    public static let invalidUTF8 = DropReason("invalid_utf8")
    public static let invalidID = DropReason("invalid_id")
}
