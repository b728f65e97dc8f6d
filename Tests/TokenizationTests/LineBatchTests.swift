import Corpus
import Foundation
import Testing
@testable import Tokenization

/// Batches of a mapped file (lines read in place) hold exactly the documents, sizes, ids and error lines
/// of batches copied from a read file.
@Suite struct LineBatchTests {
    static let lines = [
        #"{"id":"a","text":"first line"}"#,
        "",
        "   \t",
        #"{"id":"b","text":"crlf line ending"}"# + "\r",
        #"{"text":"no id: named by its offset"}"#,
        #"{"id":"c","text":"中文，with \"escapes\"\n and a tab\t"}"#,
        #"not json at all"#,
        #"{"id":"d","text":""}"#,
        #"{"id":"e","text":"the last line has no line feed"}"#,
    ]

    static func batches(_ path: String, mapping: Bool, count: Int, maxBytes: Int) throws -> [LineBatch] {
        let reader = try JSONLReader(path: path, format: RecordFormat(), mapping: mapping)
        #expect((reader.mapping != nil) == mapping)
        var batches: [LineBatch] = []
        while let batch = try LineBatch.next(from: reader, path: path, format: RecordFormat(), count: count, maxBytes: maxBytes) {
            batches.append(batch)
        }
        return batches
    }

    static func describe(_ batches: [LineBatch]) -> [String] {
        batches.flatMap { batch in
            (0..<batch.count).map { i in
                switch batch.document(i) {
                case let .success(document): "\(batch.byteCount(ofLine: i)) \(document.id) \(document.text.debugDescription)"
                case let .failure(error): "\(batch.byteCount(ofLine: i)) error at line \(error.line ?? -1)"
                }
            }
        }
    }

    @Test(arguments: [(1, 1 << 20), (2, 1 << 20), (100, 1), (100, 40), (100, 1 << 20)])
    func mappedBatchesAreTheCopiedOnes(count: Int, maxBytes: Int) throws {
        let folder = try temporaryFolder("line-batch-\(count)-\(maxBytes)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("docs.jsonl").path
        try Data(Self.lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        let copied = try Self.batches(path, mapping: false, count: count, maxBytes: maxBytes)
        let mapped = try Self.batches(path, mapping: true, count: count, maxBytes: maxBytes)
        #expect(mapped.map(\.count) == copied.map(\.count))
        let expected = Self.describe(copied)
        #expect(expected.count == 7)
        #expect(expected.contains { $0.hasSuffix("error at line 7") })
        #expect(expected.contains { $0.contains("docs.jsonl@") }, "a record without an id is named by its line's offset")
        #expect(Self.describe(mapped) == expected)
    }

    @Test func anEmptyFileHasNoBatches() throws {
        let folder = try temporaryFolder("line-batch-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.jsonl").path
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(try Self.batches(path, mapping: true, count: 10, maxBytes: 100).isEmpty)
    }

    /// Released pages are only dropped from memory: reading them again gives the file's bytes.
    @Test func releasedPagesReadTheFileAgain() throws {
        let folder = try temporaryFolder("mapped-file")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bytes.bin").path
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try #require(try MappedFile(path: path))
        #expect(Array(file.bytes) == bytes)
        file.release(5_000..<150_000)
        file.release(0..<bytes.count)
        #expect(Array(file.bytes) == bytes)
        #expect(try MappedFile(path: "/dev/null") == nil, "a device is read, not mapped")
    }
}
