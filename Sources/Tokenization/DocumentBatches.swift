import Corpus

/// Reads documents in batches; a line that is not a document stops the job with its file and line.
package enum DocumentBatches {
    /// Up to `count` documents or `maxTextBytes` of text, whichever comes first.
    package static func next(from reader: JSONLReader, path: String, count: Int, maxTextBytes: Int = 16 << 20) throws -> [Document]? {
        var batch: [Document] = []
        batch.reserveCapacity(count)
        var bytes = 0
        while batch.count < count, bytes < maxTextBytes, let entry = try reader.next() {
            switch entry {
            case let .document(document):
                batch.append(document)
                bytes += document.textByteCount
            case let .problem(problem, line, _):
                throw CorpusError(.invalidRecord, path: path, line: line, message: problem.message,
                                  hint: "fix or remove that line (curate with `on_error: skip` drops such lines with a count)")
            }
        }
        return batch.isEmpty ? nil : batch
    }
}
