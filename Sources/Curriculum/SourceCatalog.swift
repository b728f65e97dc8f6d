/// What the planner knows of one source's documents, column by column (about 30 bytes per document plus
/// its id): where each is (file, record position), its tokens, perplexity and grouping values.
public struct SourceCatalog: Sendable {
    public let source: String
    public var files: [String] = []
    public var fileIndex: [UInt32] = []
    /// 0-based index of the record among the file's non-blank lines (what `pack --stage` counts).
    public var position: [UInt32] = []
    public var tokens: [UInt32] = []
    /// NaN where the document has no perplexity.
    public var ppl: [Float] = []
    /// Per-document grouping fields (`topic`): value index per document, and the values' names.
    public var fieldValues: [String: [UInt32]] = [:]
    public var fieldNames: [String: [String]] = [:]
    private var idBytes: [UInt8] = []
    private var idEnds: [Int] = []

    /// The value index of a document that lacks the field (a scan that meets one fails after reading).
    static let missingValue = UInt32.max

    public init(source: String) {
        self.source = source
    }

    public var count: Int { tokens.count }

    public var totalTokens: Int { tokens.reduce(0) { $0 + Int($1) } }

    public func id(_ document: Int) -> String {
        let start = document == 0 ? 0 : idEnds[document - 1]
        return String(decoding: idBytes[start..<idEnds[document]], as: UTF8.self)
    }

    mutating func append(file: UInt32, position: UInt32, id: String, tokens: UInt32, ppl: Float, fields: [(String, UInt32)]) {
        fileIndex.append(file)
        self.position.append(position)
        self.tokens.append(tokens)
        self.ppl.append(ppl)
        idBytes.append(contentsOf: id.utf8)
        idEnds.append(idBytes.count)
        for (name, value) in fields { fieldValues[name, default: []].append(value) }
    }

    /// Appends `other` (the next file(s) of the same source), re-indexing its files and field values.
    mutating func append(_ other: SourceCatalog) {
        let fileBase = UInt32(files.count)
        files += other.files
        fileIndex += other.fileIndex.map { $0 + fileBase }
        position += other.position
        tokens += other.tokens
        ppl += other.ppl
        let idBase = idBytes.count
        idBytes += other.idBytes
        idEnds += other.idEnds.map { $0 + idBase }
        for (name, values) in other.fieldValues {
            var names = fieldNames[name] ?? []
            var lookup = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, UInt32($0)) })
            let remap: [UInt32] = (other.fieldNames[name] ?? []).map { value in
                if let existing = lookup[value] { return existing }
                names.append(value)
                lookup[value] = UInt32(names.count - 1)
                return UInt32(names.count - 1)
            }
            fieldNames[name] = names
            fieldValues[name, default: []] += values.map { $0 == Self.missingValue ? $0 : remap[Int($0)] }
        }
    }

    /// The name of `field`'s value for `document`.
    public func value(of field: String, _ document: Int) -> String? {
        guard let values = fieldValues[field], let names = fieldNames[field] else { return nil }
        return names[Int(values[document])]
    }
}
