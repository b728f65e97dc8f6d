/// Turns JSONL lines into documents.
public struct DocumentDecoder {
    public let format: RecordFormat
    public let source: String

    public init(format: RecordFormat = RecordFormat(), source: String = "") {
        self.format = format
        self.source = source
    }

    /// Decodes one line (without its terminator). `fallbackID` names documents whose record has no id
    /// (or a null one).
    public mutating func decode(
        line: UnsafeRawBufferPointer, fallbackID: () -> String
    ) throws(RecordProblem) -> Document {
        let record: RawRecord
        do {
            record = try RawRecord(line: line)
        } catch {
            throw .invalidJSON(error)
        }
        guard let textIndex = record.fieldIndex(format.textField) else {
            throw .missingText(field: format.textField)
        }
        let textField = record.fields[textIndex]
        guard record.bytes[textField.valueStart] == 0x22 else { throw .textNotString(field: format.textField) }
        // The scan that built the record checked the text's UTF-8 and escapes, and sized it.
        let textSpan = textField.valueSpan
        guard textSpan.isValidUnicode else { throw .invalidUTF8(field: format.textField) }
        let byteCount = textSpan.decodedLength
        let id: String
        let idIndex = record.fieldIndex(format.idField)
        let idField = idIndex.map { record.fields[$0] }
        switch idField.map({ record.bytes[$0.valueStart] }) {
        case nil, 0x6E?:  // absent or null
            id = fallbackID()
        case 0x22?:
            id = try decodeString(record, fieldIndex: idIndex!, field: format.idField,
                                  notString: .invalidID(field: format.idField))
        case let first? where first == 0x2D || (0x30...0x39).contains(first):
            id = String(decoding: record.bytes[idField!.valueStart..<idField!.valueEnd], as: UTF8.self)
        default:
            throw .invalidID(field: format.idField)
        }
        return Document(id: id, record: record, textSpan: textSpan, textByteCount: byteCount, source: source)
    }

    private func decodeString(
        _ record: RawRecord, fieldIndex: Int, field: String, notString: RecordProblem
    ) throws(RecordProblem) -> String {
        let span = record.fields[fieldIndex]
        guard record.bytes[span.valueStart] == 0x22 else { throw notString }
        // The scan that built the record already validated the string, noted its escapes and sized it.
        let stringSpan = span.valueSpan
        guard stringSpan.isValidUnicode else { throw .invalidUTF8(field: field) }
        return record.bytes.withUnsafeBufferPointer { buffer in
            JSONScanner.decodeValidatedString(base: buffer.baseAddress!, span: stringSpan, byteCount: stringSpan.decodedLength)
        }
    }
}
