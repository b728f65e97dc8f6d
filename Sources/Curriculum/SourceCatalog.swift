/// What the planner knows of one source's documents: per document a 16-byte row (file, record position,
/// tokens, perplexity), its id and its grouping values (`topic`) — about 30 bytes plus the id.
///
/// Rows rather than columns: the manifest writer and the orderings visit documents in shuffled order, and
/// at ten million documents each column touched was one more cache and TLB miss per document. A class:
/// built by one scanner thread, then only read, passed around without copying.
public final class SourceCatalog: @unchecked Sendable {
    public struct Row: Sendable, Equatable {
        public var file: UInt32
        /// 0-based index of the record among the file's non-blank lines (what `pack --stage` counts).
        public var position: UInt32
        public var tokens: UInt32
        /// NaN where the document has no perplexity.
        public var ppl: Float
    }

    public let source: String
    public var files: [String] = []
    public internal(set) var rows: [Row] = []
    /// Per-document grouping fields (`topic`): value index per document, and the values' names.
    public internal(set) var fieldValues: [String: [UInt32]] = [:]
    public internal(set) var fieldNames: [String: [String]] = [:]
    private var idBytes: [UInt8] = []
    private var idEnds: [Int] = []

    /// The value index of a document that lacks the field (a scan that meets one fails after reading).
    static let missingValue = UInt32.max

    public init(source: String) {
        self.source = source
    }

    public var count: Int { rows.count }

    public var totalTokens: Int { rows.reduce(0) { $0 + Int($1.tokens) } }

    public func tokens(_ document: Int) -> Int { Int(rows[document].tokens) }

    public func ppl(_ document: Int) -> Float { rows[document].ppl }

    /// Calls `body` with the id's UTF-8 bytes, without building a string.
    func withID<R>(_ document: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = document == 0 ? 0 : idEnds[document - 1]
        return idBytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<idEnds[document]])) }
    }

    func append(file: UInt32, position: UInt32, id: String, tokens: UInt32, ppl: Float, fields: [(String, UInt32)]) {
        rows.append(Row(file: file, position: position, tokens: tokens, ppl: ppl))
        idBytes.append(contentsOf: id.utf8)
        idEnds.append(idBytes.count)
        for (name, value) in fields { fieldValues[name, default: []].append(value) }
    }

    /// Appends `other` (the next file(s) of the same source), re-indexing its files and field values.
    func append(_ other: SourceCatalog) {
        let fileBase = UInt32(files.count)
        files += other.files
        rows += other.rows.map { row in
            var row = row
            row.file += fileBase
            return row
        }
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

    /// A copy with the documents in `order` (a permutation of 0..<count). The planner stores a catalog in
    /// the order stages take its documents, so its per-stage passes read memory front to back.
    func permuted(by order: [UInt32]) -> SourceCatalog {
        precondition(order.count == count)
        let copy = SourceCatalog(source: source)
        copy.files = files
        copy.rows = order.map { rows[Int($0)] }
        copy.fieldNames = fieldNames
        copy.fieldValues = fieldValues.mapValues { values in order.map { values[Int($0)] } }
        copy.idEnds = [Int](repeating: 0, count: count)
        copy.idBytes = [UInt8](unsafeUninitializedCapacity: idBytes.count) { target, initialized in
            idBytes.withUnsafeBufferPointer { source in
                idEnds.withUnsafeBufferPointer { ends in
                    var filled = 0
                    for (index, document) in order.enumerated() {
                        let start = document == 0 ? 0 : ends[Int(document) - 1]
                        let length = ends[Int(document)] - start
                        (target.baseAddress! + filled).update(from: source.baseAddress! + start, count: length)
                        filled += length
                        copy.idEnds[index] = filled
                    }
                }
            }
            initialized = idBytes.count
        }
        return copy
    }
}
