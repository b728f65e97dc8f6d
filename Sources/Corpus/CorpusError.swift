/// An I/O or format problem with a named file. Per-shard: the task reading it fails, others go on.
public struct CorpusError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case cannotOpen
        case cannotWrite
        case readFailed
        case corruptCompressedData
        case truncatedCompressedData
        case invalidRecord
        case noInputs
        /// A file written by an earlier phase of a corpus-wide step is missing, truncated or damaged.
        case damagedPhaseFile
    }

    public let kind: Kind
    public let path: String
    /// 1-based line number within the (decompressed) file, when known.
    public var line: Int?
    public let message: String
    /// What the user can do about it.
    public let hint: String

    public init(_ kind: Kind, path: String, line: Int? = nil, message: String, hint: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(message)\n  hint: \(hint)"
    }
}
