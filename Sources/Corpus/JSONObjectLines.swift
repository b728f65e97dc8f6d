/// Reads a small JSONL file of objects (benchmarks, labeled training sets) line by line, as `JSONValue`s:
/// blank lines are skipped; a line that is not JSON, or not an object, is an error naming the file and line.
/// (Corpora go through `JSONLReader`, which keeps records as bytes.)
public enum JSONObjectLines {
    /// Calls `body(lineNumber, object)` for every object of the file at `path` (`.gz`/`.zst` too).
    public static func forEach(path: String, _ body: (Int, JSONValue) throws(CorpusError) -> Void) throws(CorpusError) {
        let reader = LineReader(source: try Compression.openForReading(path))
        var lineNumber = 0
        while let line = try reader.next() {
            lineNumber += 1
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do {
                value = try JSONValue(parsing: line.bytes)
            } catch {
                throw CorpusError(.invalidRecord, path: path, line: lineNumber, message: "not JSON: \(error.message) at byte \(error.offset)",
                                  hint: "each line must be one JSON object")
            }
            guard case .object = value else {
                throw CorpusError(.invalidRecord, path: path, line: lineNumber, message: "not a JSON object", hint: "each line must be one JSON object")
            }
            try body(lineNumber, value)
        }
    }
}
