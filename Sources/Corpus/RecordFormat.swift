/// Which fields of an input record hold the document's text and id.
public struct RecordFormat: Sendable, Hashable {
    public var textField: String
    public var idField: String

    public init(textField: String = "text", idField: String = "id") {
        self.textField = textField
        self.idField = idField
    }
}
