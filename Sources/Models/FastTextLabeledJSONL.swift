import Corpus

/// Labeled examples from JSONL (optionally .gz/.zst): one object a line with a text field and a label field
/// holding a string or a list of strings. Blank lines are skipped; anything else wrong is an error naming
/// the file, the line and the key.
public enum FastTextLabeledJSONL {
    public static func read(path: String, labelField: String = "label", textField: String = "text") throws(CorpusError) -> [FastTextExample] {
        var examples: [FastTextExample] = []
        try JSONObjectLines.forEach(path: path) { (lineNumber, value) throws(CorpusError) in
            func problem(_ message: String, _ hint: String) -> CorpusError {
                CorpusError(.invalidRecord, path: path, line: lineNumber, message: message, hint: hint)
            }
            guard let labelValue = value[labelField] else {
                throw problem("no \"\(labelField)\" field", "give each record its label, or name the field that holds it (--label-field)")
            }
            var labels: [String]
            switch labelValue {
            case let .string(label):
                labels = [label]
            case let .array(items):
                labels = []
                for item in items {
                    guard case let .string(label) = item else {
                        throw problem("\"\(labelField)\" holds \(item.serialized()), not a string", "labels are strings, or lists of strings")
                    }
                    labels.append(label)
                }
            default:
                throw problem("\"\(labelField)\" is \(labelValue.serialized()), not a string or a list of strings",
                              "labels are strings (e.g. \"sports\"), or lists of strings; a numeric class id must be quoted")
            }
            guard !labels.isEmpty, labels.allSatisfy({ !$0.isEmpty }) else {
                throw problem("\"\(labelField)\" is empty", "give each record at least one non-empty label")
            }
            guard let text = value[textField] else {
                throw problem("no \"\(textField)\" field", "give each record its text, or name the field that holds it (--text-field)")
            }
            guard case let .string(string) = text else {
                throw problem("\"\(textField)\" is \(text.serialized().prefix(40)), not a string", "the text field must be a JSON string")
            }
            examples.append(FastTextExample(labels: labels, text: string))
        }
        guard !examples.isEmpty else {
            throw CorpusError(.invalidRecord, path: path, message: "no records", hint: "give a JSONL file with one labeled record a line")
        }
        return examples
    }
}
