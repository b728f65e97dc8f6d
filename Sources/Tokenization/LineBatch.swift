import Corpus

/// Raw JSONL lines read for encoding, copied into one buffer. The thread that reads only finds line
/// ends; the encoding threads decode each line into a document. (Decoding on the reading thread, which
/// validates every string's UTF-8 and copies each record, took 15% of `tokenize`'s CPU time, and with
/// `--workers 2` that thread competes with both encoders for the two cores.)
package struct LineBatch: Sendable {
    let path: String
    let format: RecordFormat
    /// Line i is `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    /// Each line's offset in its file, for the id of a record without one.
    private var offsets: [Int] = []
    /// Each line's 1-based number in its file, for errors (nil: count it if needed).
    private var lineNumbers: [Int?] = []
    private let idPrefix: String

    var count: Int { ends.count }

    /// The bytes of line `i`.
    func byteCount(ofLine i: Int) -> Int { ends[i] - (i == 0 ? 0 : ends[i - 1]) }

    /// Up to `count` non-blank lines or about `maxBytes` bytes of them, whichever comes first; nil at the
    /// file's end.
    package static func next(from reader: JSONLReader, path: String, format: RecordFormat, count: Int, maxBytes: Int) throws(CorpusError) -> LineBatch? {
        var batch = LineBatch(path: path, format: format, idPrefix: JSONLReader.fallbackIDPrefix(path: path))
        batch.ends.reserveCapacity(count)
        // Room for the whole batch up front: growing by doubling copied each batch's bytes once more on
        // the reading thread, which `--workers 2` shares with both encoders.
        batch.bytes.reserveCapacity(maxBytes + (64 << 10))
        while batch.ends.count < count, batch.bytes.count < maxBytes, let line = try reader.nextLine() {
            batch.bytes.append(contentsOf: line.bytes)
            batch.ends.append(batch.bytes.count)
            batch.offsets.append(line.offset)
            batch.lineNumbers.append(line.number)
        }
        return batch.ends.isEmpty ? nil : batch
    }

    /// Line `i` as a document; a line that is not one is an error naming the file and line.
    func document(_ i: Int) -> Result<Document, CorpusError> {
        var decoder = DocumentDecoder(format: format)
        let start = i == 0 ? 0 : ends[i - 1]
        let offset = offsets[i]
        let prefix = idPrefix
        return bytes.withUnsafeBytes { raw in
            do throws(RecordProblem) {
                return .success(try decoder.decode(line: UnsafeRawBufferPointer(rebasing: raw[start..<ends[i]])) { JSONLReader.fallbackID(prefix: prefix, offset: offset) })
            } catch {
                return .failure(CorpusError(.invalidRecord, path: path, line: lineNumbers[i] ?? JSONLReader.lineNumber(path: path, offset: offset), message: error.message,
                                            hint: "fix or remove that line (curate with `on_error: skip` drops such lines with a count)"))
            }
        }
    }
}
