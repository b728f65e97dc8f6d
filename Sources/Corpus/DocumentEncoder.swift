/// Writes documents as JSONL records.
///
/// An unmodified document is its input record byte for byte. A modified one keeps every untouched field
/// verbatim and in place, replaces `id`/`text` if a step changed them, and merges added metadata into
/// the record's `metadata` object (creating it at the end if absent).
public struct DocumentEncoder: Sendable {
    public let format: RecordFormat

    public init(format: RecordFormat = RecordFormat()) {
        self.format = format
    }

    /// Appends the document's record and a newline.
    public func append(_ document: Document, to out: inout [UInt8]) {
        defer { out.append(0x0A) }
        guard let record = document.record else {
            appendFresh(document, to: &out)
            return
        }
        guard document.isModified else {
            out.append(contentsOf: record.bytes)
            return
        }
        let textIndex = document.textChanged ? record.fieldIndex(format.textField) : nil
        let idIndex = document.idChanged ? record.fieldIndex(format.idField) : nil
        let metadataIndex = document.metadata.isEmpty ? nil : record.fieldIndex("metadata")
        var wroteID = false
        out.append(0x7B)
        record.bytes.withUnsafeBufferPointer { bytes in
            for (index, field) in record.fields.enumerated() {
                if index > 0 { out.append(0x2C) }
                // The key, quoted, exactly as it was.
                out.append(contentsOf: bytes[(field.keyStart - 1)...field.keyEnd])
                out.append(0x3A)
                if index == textIndex {
                    JSONEscaping.appendQuoted(document.text, to: &out)
                } else if index == idIndex {
                    JSONEscaping.appendQuoted(document.id, to: &out)
                    wroteID = true
                } else if index == metadataIndex {
                    appendMergedMetadata(original: record.value(at: index), added: document.metadata, to: &out)
                } else {
                    out.append(contentsOf: bytes[field.valueStart..<field.valueEnd])
                }
            }
        }
        if document.idChanged, !wroteID {
            if !record.fields.isEmpty { out.append(0x2C) }
            JSONEscaping.appendQuoted(format.idField, to: &out)
            out.append(0x3A)
            JSONEscaping.appendQuoted(document.id, to: &out)
        }
        if !document.metadata.isEmpty, metadataIndex == nil {
            if !record.fields.isEmpty || (document.idChanged && !wroteID) { out.append(0x2C) }
            out.append(contentsOf: "\"metadata\":".utf8)
            appendMergedMetadata(original: nil, added: document.metadata, to: &out)
        }
        out.append(0x7D)
    }

    private func appendFresh(_ document: Document, to out: inout [UInt8]) {
        out.append(0x7B)
        JSONEscaping.appendQuoted(format.idField, to: &out)
        out.append(0x3A)
        JSONEscaping.appendQuoted(document.id, to: &out)
        out.append(0x2C)
        JSONEscaping.appendQuoted(format.textField, to: &out)
        out.append(0x3A)
        JSONEscaping.appendQuoted(document.text, to: &out)
        if !document.metadata.isEmpty {
            out.append(contentsOf: ",\"metadata\":".utf8)
            appendMergedMetadata(original: nil, added: document.metadata, to: &out)
        }
        out.append(0x7D)
    }

    /// The original metadata object's members (those not overridden) then the added ones. A record whose
    /// `metadata` is not an object keeps it under `metadata_original` so nothing is lost.
    private func appendMergedMetadata(original: JSONValue?, added: Metadata, to out: inout [UInt8]) {
        var members: [(String, JSONValue)] = []
        switch original {
        case let .object(existing)?: members = existing.filter { added[$0.0] == nil }
        case nil, .null?: break
        case let other?: members = [("metadata_original", other)]
        }
        members += added.entries.map { ($0.key, $0.value) }
        JSONValue.object(members).write(to: &out)
    }
}
