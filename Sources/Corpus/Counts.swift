/// A number of documents and the UTF-8 bytes of their text.
public struct Counts: Sendable, Equatable, Codable {
    public var documents: Int = 0
    public var bytes: Int = 0

    public init(documents: Int = 0, bytes: Int = 0) {
        self.documents = documents
        self.bytes = bytes
    }

    @inline(__always)
    public mutating func add(bytes: Int) {
        documents += 1
        self.bytes += bytes
    }

    public static func + (lhs: Counts, rhs: Counts) -> Counts {
        Counts(documents: lhs.documents + rhs.documents, bytes: lhs.bytes + rhs.bytes)
    }

    public static func += (lhs: inout Counts, rhs: Counts) { lhs = lhs + rhs }
}
