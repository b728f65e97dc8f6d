/// Turns JSONL lines into documents; one per reader, it reuses its scratch buffer.
public struct DocumentDecoder {
    public let format: RecordFormat
    public let source: String
    private var scratch: [UInt8] = []

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
        let textSpan = JSONScanner.StringSpan(start: textField.valueStart + 1, end: textField.valueEnd - 1,
                                              hasEscapes: textField.valueHasEscapes)
        let byteCount = record.bytes.withUnsafeBufferPointer {
            JSONScanner.validatedStringLength(base: $0.baseAddress!, span: textSpan)
        }
        guard let byteCount else { throw .invalidUTF8(field: format.textField) }
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

    private mutating func decodeString(
        _ record: RawRecord, fieldIndex: Int, field: String, notString: RecordProblem
    ) throws(RecordProblem) -> String {
        let span = record.fields[fieldIndex]
        guard record.bytes[span.valueStart] == 0x22 else { throw notString }
        // The scan that built the record already validated the string and noted its escapes.
        let stringSpan = JSONScanner.StringSpan(start: span.valueStart + 1, end: span.valueEnd - 1, hasEscapes: span.valueHasEscapes)
        let result: Result<String, RecordProblem> = record.bytes.withUnsafeBufferPointer { buffer in
            do {
                return .success(try JSONScanner.decodeString(base: buffer.baseAddress!, span: stringSpan, scratch: &scratch))
            } catch {
                return .failure(.invalidUTF8(field: field))
            }
        }
        return try result.get()
    }
}
