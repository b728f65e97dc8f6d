/// A JSON syntax problem at a byte offset within one record.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}
