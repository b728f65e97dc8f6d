/// One document: an id, its text, the metadata steps added, and the record it was read from.
///
/// Every field of the input record that no step changed is written out verbatim.
public struct Document: Sendable {
    public var id: String {
        didSet { idChanged = true }
    }

    /// The text. Read from a file, it is decoded on first use: a document that no step reads is copied
    /// through without ever building a Swift string (it was validated when read).
    public var text: String {
        get {
            if let assignedText { return assignedText }
            return lazyText!.value
        }
        set {
            assignedText = newValue
            lazyText = nil
            textChanged = true
            textDerivations = nil
        }
    }

    /// Calls `body` with the text's UTF-8 bytes: straight from the record when the JSON string has no
    /// escapes (no string is built), else from the decoded text.
    public func withTextUTF8<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        // Typed throws straight through, no `Result<R, E>`: this is called from other modules unspecialized,
        // and making that type's metadata at run time took a lock-free but shared runtime cache on every
        // call (1% of a two-worker `tokenize`, its reader count bouncing between the cores).
        if assignedText == nil, let lazy = lazyText {
            if lazy.span.hasEscapes {
                // Escapes resolved into bytes once; no Swift string (whose making re-validates the UTF-8).
                return try lazy.unescapedUTF8.withUnsafeBufferPointer { (bytes) throws(E) in try body(bytes) }
            }
            return try lazy.record.bytes.withUnsafeBufferPointer { (buffer) throws(E) in
                try body(UnsafeBufferPointer(rebasing: buffer[lazy.span.start..<lazy.span.end]))
            }
        }
        // `String.withUTF8` only rethrows untyped errors; an assigned text is the rare case.
        var copy = text
        let result: Result<R, E> = copy.withUTF8 { utf8 in
            do throws(E) { return .success(try body(utf8)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// UTF-8 bytes of the text, without decoding it.
    public var textByteCount: Int {
        assignedText?.utf8.count ?? lazyText!.byteCount
    }

    private var assignedText: String?
    private var lazyText: LazyText?

    /// What steps derived from the current text and share (e.g. its scalars and words): dropped when the
    /// text changes. A document is processed by one task at a time, so a derivation may fill in lazily.
    package var textDerivations: (any AnyObject & Sendable)?

    /// Metadata added by steps; written under the record's `metadata` object.
    public var metadata = Metadata()

    /// The name of the input source (from the pipeline's `inputs`) the document came from.
    public var source: String

    /// The record as read, when the document came from a file.
    public let record: RawRecord?

    package private(set) var idChanged = false
    package private(set) var textChanged = false

    public init(id: String, text: String, source: String = "") {
        self.id = id
        self.assignedText = text
        self.source = source
        self.record = nil
    }

    /// A document whose text is the (already validated) JSON string at `textSpan` of `record`.
    init(id: String, record: RawRecord, textSpan: JSONScanner.StringSpan, textByteCount: Int, source: String) {
        self.id = id
        self.lazyText = LazyText(record: record, span: textSpan, byteCount: textByteCount)
        self.source = source
        self.record = record
    }

    /// Whether writing this document needs more than copying its input record.
    public var isModified: Bool { idChanged || textChanged || !metadata.isEmpty || record == nil }

    /// The value at a dotted path: `language` finds metadata first, then a top-level field;
    /// `metadata.language` and `a.b.c` walk objects. `id` and `text` give the current values.
    public func value(at path: String) -> JSONValue? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let head = parts.first else { return nil }
        var current: JSONValue?
        switch head {
        case "id": current = .string(id)
        case "text": current = .string(text)
        case "metadata":
            guard parts.count > 1 else { return mergedMetadata() }
            let key = parts[1]
            current = metadata[key] ?? record?.value(of: "metadata")?[key]
            return Self.descend(current, parts.dropFirst(2))
        default:
            if parts.count == 1, let added = metadata[head] { return added }
            current = record?.value(of: head)
            if current == nil, parts.count == 1 { current = record?.value(of: "metadata")?[head] }
        }
        return Self.descend(current, parts.dropFirst())
    }

    private static func descend(_ start: JSONValue?, _ rest: ArraySlice<String>) -> JSONValue? {
        var current = start
        for key in rest {
            switch current {
            case .object?: current = current?[key]
            case let .array(items)?:
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// The record's own `metadata` object with the added metadata merged over it.
    public func mergedMetadata() -> JSONValue {
        var members: [(String, JSONValue)] = []
        if case let .object(original)? = record?.value(of: "metadata") {
            members = original.filter { metadata[$0.0] == nil }
        }
        members += metadata.entries.map { ($0.key, $0.value) }
        return .object(members)
    }
}

/// A record's text field, decoded once on first use. Documents belong to one task at a time.
final class LazyText: @unchecked Sendable {
    let record: RawRecord
    let span: JSONScanner.StringSpan
    let byteCount: Int
    private var decoded: String?
    private var unescaped: [UInt8]?

    init(record: RawRecord, span: JSONScanner.StringSpan, byteCount: Int) {
        self.record = record
        self.span = span
        self.byteCount = byteCount
    }

    /// The text's UTF-8 bytes with the JSON escapes resolved (the scan validated them).
    var unescapedUTF8: [UInt8] {
        if let unescaped { return unescaped }
        if let decoded { return Array(decoded.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        record.bytes.withUnsafeBufferPointer { buffer in
            // As `value`: a string the scan let through decodes; were it not to, the text is empty.
            do { try JSONScanner.appendUnescaped(base: buffer.baseAddress!, span: span, repair: false, to: &bytes) } catch { bytes = [] }
        }
        unescaped = bytes
        return bytes
    }

    var value: String {
        if let decoded { return decoded }
        let text = record.bytes.withUnsafeBufferPointer {
            JSONScanner.decodeValidatedString(base: $0.baseAddress!, span: span, byteCount: byteCount)
        }
        decoded = text
        return text
    }
}
