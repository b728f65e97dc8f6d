import Corpus

/// Raw JSONL lines read for encoding, copied into one buffer. The thread that reads only finds line
/// ends; the encoding threads decode each line into a document. (Decoding on the reading thread, which
/// validates every string's UTF-8 and copies each record, took 15% of `tokenize`'s CPU time, and with
/// `--workers 2` that thread competes with both encoders for the two cores.)
package struct LineBatch: Sendable {
    let path: String
    let format: RecordFormat
    /// The lines' bytes: copied into the batch, or the mapped file's region that holds them (read in
    /// place: no copy on the reading thread, which `--workers 2` shares with both encoders).
    private var storage: Storage = .copied([])
    /// Line i is `bytes[starts[i]..<ends[i]]` of the storage.
    private var starts: [Int] = []
    private var ends: [Int] = []
    /// Each line's offset in its file, for the id of a record without one.
    private var offsets: [Int] = []
    /// Each line's 1-based number in its file, for errors (nil: count it if needed).
    private var lineNumbers: [Int?] = []
    private let idPrefix: String

    private enum Storage: @unchecked Sendable {
        case copied([UInt8])
        case mapped(MappedRegion)
    }

    /// The part of a mapped file a batch's lines lie in; its pages are released from memory with the
    /// batch (`MappedFile.release`), so reading a large file keeps only the batches in flight resident.
    private final class MappedRegion: @unchecked Sendable {
        let file: MappedFile
        let range: Range<Int>
        init(file: MappedFile, range: Range<Int>) {
            self.file = file
            self.range = range
        }
        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: file.bytes[range]) }
        deinit { file.release(range) }
    }

    var count: Int { ends.count }

    /// The bytes of line `i`.
    func byteCount(ofLine i: Int) -> Int { ends[i] - starts[i] }

    /// Up to `count` non-blank lines or about `maxBytes` bytes of them, whichever comes first; nil at the
    /// file's end. Lines of a mapped file (`JSONLReader.mapping`) are kept in place, others copied.
    package static func next(from reader: JSONLReader, path: String, format: RecordFormat, count: Int, maxBytes: Int) throws(CorpusError) -> LineBatch? {
        var batch = LineBatch(path: path, format: format, idPrefix: JSONLReader.fallbackIDPrefix(path: path))
        batch.starts.reserveCapacity(count)
        batch.ends.reserveCapacity(count)
        if let file = reader.mapping {
            // A mapped file is read whole: a line's offset is where its bytes sit in the mapping.
            guard let first = try reader.nextLine() else { return nil }
            var line = first, end = 0
            while true {
                end = line.offset + line.bytes.count
                batch.starts.append(line.offset - first.offset)
                batch.ends.append(end - first.offset)
                batch.offsets.append(line.offset)
                batch.lineNumbers.append(line.number)
                guard batch.ends.count < count, end - first.offset < maxBytes, let next = try reader.nextLine() else { break }
                line = next
            }
            batch.storage = .mapped(MappedRegion(file: file, range: first.offset..<end))
            return batch
        }
        // Room for the whole batch up front: growing by doubling copied each batch's bytes once more on
        // the reading thread, which `--workers 2` shares with both encoders.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(maxBytes + (64 << 10))
        while batch.ends.count < count, bytes.count < maxBytes, let line = try reader.nextLine() {
            batch.starts.append(bytes.count)
            bytes.append(contentsOf: line.bytes)
            batch.ends.append(bytes.count)
            batch.offsets.append(line.offset)
            batch.lineNumbers.append(line.number)
        }
        batch.storage = .copied(bytes)
        return batch.ends.isEmpty ? nil : batch
    }

    private func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        switch storage {
        case let .copied(bytes): bytes.withUnsafeBytes(body)
        case let .mapped(region): body(region.bytes)
        }
    }

    /// Line `i` as a document; a line that is not one is an error naming the file and line.
    func document(_ i: Int) -> Result<Document, CorpusError> {
        var decoder = DocumentDecoder(format: format)
        let (start, end) = (starts[i], ends[i])
        let offset = offsets[i]
        let prefix = idPrefix
        return withBytes { raw in
            do throws(RecordProblem) {
                return .success(try decoder.decode(line: UnsafeRawBufferPointer(rebasing: raw[start..<end])) { JSONLReader.fallbackID(prefix: prefix, offset: offset) })
            } catch {
                return .failure(CorpusError(.invalidRecord, path: path, line: lineNumbers[i] ?? JSONLReader.lineNumber(path: path, offset: offset), message: error.message,
                                            hint: "fix or remove that line (curate with `on_error: skip` drops such lines with a count)"))
            }
        }
    }
}
