import Foundation
import Testing
import Corpus

/// `JSONLReader` over plain, gzip and zstd files: edge cases of lines and compressed streams.
@Suite("JSONL readers")
struct ReaderTests {
    static func lines(_ count: Int, prefix: String = "d") -> [String] {
        (0..<count).map { #"{"id":"\#(prefix)\#($0)","text":"document \#($0) \#(String(repeating: "xyz ", count: $0 % 37))"}"# }
    }

    static func jsonl(_ lines: [String]) -> [UInt8] { Array(lines.map { $0 + "\n" }.joined().utf8) }

    /// Reads all documents' ids, failing the test on any problem line.
    static func ids(_ path: String) throws -> [String] {
        try documents(readEntries(JSONLReader(path: path))).map(\.id)
    }

    /// The error reading the whole file raises, if any.
    static func readError(_ path: String) -> CorpusError? {
        do {
            let reader = try JSONLReader(path: path)
            while try reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test func gzipWithTwoConcatenatedMembersReadsBoth() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let first = Self.lines(300, prefix: "a"), second = Self.lines(200, prefix: "b")
        try writeCompressed(Self.jsonl(first), to: dir.file("1.gz"), compression: .gzip)
        try writeCompressed(Self.jsonl(second), to: dir.file("2.gz"), compression: .gzip)
        let joined = try Data(contentsOf: dir.url.appendingPathComponent("1.gz")) + Data(contentsOf: dir.url.appendingPathComponent("2.gz"))
        let path = try dir.write("both.jsonl.gz", Array(joined))
        let ids = try Self.ids(path)
        #expect(ids == (0..<300).map { "a\($0)" } + (0..<200).map { "b\($0)" })
        #expect(firstDifference(try decompressedBytes(of: path), Self.jsonl(first + second)) == nil)
    }

    @Test func zstdWithTwoConcatenatedFramesReadsBoth() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        try writeCompressed(Self.jsonl(Self.lines(50, prefix: "a")), to: dir.file("1.zst"), compression: .zstd)
        try writeCompressed(Self.jsonl(Self.lines(70, prefix: "b")), to: dir.file("2.zst"), compression: .zstd)
        let joined = try Data(contentsOf: dir.url.appendingPathComponent("1.zst")) + Data(contentsOf: dir.url.appendingPathComponent("2.zst"))
        let path = try dir.write("both.jsonl.zst", Array(joined))
        #expect(try Self.ids(path) == (0..<50).map { "a\($0)" } + (0..<70).map { "b\($0)" })
    }

    @Test(arguments: [Compression.zstd, .gzip], [1, 3, 9, 200, -1])
    func truncatedCompressedFilesThrowNamingThePath(_ compression: Compression, _ cut: Int) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let full = dir.file("full" + compression.jsonlSuffix)
        try writeCompressed(Self.jsonl(Self.lines(2000)), to: full, compression: compression)
        let bytes = try #require(FileManager.default.contents(atPath: full))
        // Sanity: the complete file reads without error.
        #expect(try Self.ids(full).count == 2000)
        let keep = cut < 0 ? bytes.count / 2 : bytes.count - cut
        let path = try dir.write("cut" + compression.jsonlSuffix, Array(bytes.prefix(keep)))
        let error = try #require(Self.readError(path), "a file cut by \(cut) bytes read without error")
        #expect(error.kind == .truncatedCompressedData || error.kind == .corruptCompressedData, "\(error)")
        #expect(error.path == path)
        #expect(error.description.contains(path))
        #expect(!error.hint.isEmpty)
    }

    @Test(arguments: [".jsonl.zst", ".jsonl.gz"])
    func garbageBytesAreCorruptData(_ suffix: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var generator = SeededGenerator(seed: 7)
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try dir.write("garbage" + suffix, garbage)
        let error = try #require(Self.readError(path))
        #expect(error.kind == .corruptCompressedData)
        #expect(error.path == path)
    }

    @Test func plainTextNamedZstIsCorruptData() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = try dir.write("plain.jsonl.zst", Self.jsonl(Self.lines(10)))
        #expect(Self.readError(path)?.kind == .corruptCompressedData)
    }

    @Test(arguments: [".jsonl", ".jsonl.zst", ".jsonl.gz"])
    func emptyFileYieldsNoDocuments(_ suffix: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("empty" + suffix)
        try writeCompressed([], to: path, compression: Compression(inferredFrom: path))
        let reader = try JSONLReader(path: path)
        #expect(try reader.next() == nil)
        #expect(reader.blankLines == 0)
        // A zero-byte file, too.
        let zero = try dir.write("zero" + suffix, [])
        #expect(try JSONLReader(path: zero).next() == nil)
    }

    @Test func missingFileCannotBeOpened() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("nope.jsonl")
        #expect {
            _ = try JSONLReader(path: path)
        } throws: { error in
            (error as? CorpusError)?.kind == .cannotOpen && (error as? CorpusError)?.path == path
        }
    }

    @Test func blankLinesAreCountedNotReturned() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = "\n" + #"{"id":"a","text":"A"}"# + "\n\n   \n\t\r\n" + #"{"id":"b","text":"B"}"# + "\n \n"
        let path = try dir.write("blank.jsonl", text)
        let reader = try JSONLReader(path: path)
        let entries = try readEntries(reader)
        #expect(documents(entries).map(\.id) == ["a", "b"])
        #expect(entries.count == 2)
        #expect(reader.blankLines == 5)
    }

    @Test func problemLinesCarryTheirLineNumberCountingBlankLines() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = #"{"id":"a","text":"A"}"# + "\n\n" + #"{"id":"b","text":5}"# + "\n" + #"{"id":"c","text":"C"}"# + "\nnot json\n"
        let path = try dir.write("problems.jsonl", text)
        let entries = try readEntries(JSONLReader(path: path))
        var problems: [(String, Int, Int)] = []
        for case let .problem(problem, line, bytes) in entries { problems.append((problem.reason.rawValue, line, bytes)) }
        #expect(problems.map(\.0) == ["text_not_string", "invalid_json"])
        #expect(problems.map(\.1) == [3, 5])
        #expect(problems.map(\.2) == [19, 8])
        #expect(documents(entries).map(\.id) == ["a", "c"])
    }

    @Test(arguments: [".jsonl", ".jsonl.gz", ".jsonl.zst"])
    func crlfLineEndingsAndAMissingFinalNewline(_ suffix: String) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = #"{"id":"a","text":"one\r"}"# + "\r\n" + #"{"id":"b","text":"two"}"# + "\r\n\r\n" + #"{"id":"c","text":"last"}"#
        let path = dir.file("crlf" + suffix)
        try writeCompressed(Array(text.utf8), to: path, compression: Compression(inferredFrom: path))
        let reader = try JSONLReader(path: path)
        let docs = try documents(readEntries(reader))
        #expect(docs.map(\.id) == ["a", "b", "c"])
        #expect(docs.map(\.text) == ["one\r", "two", "last"])
        #expect(reader.blankLines == 1)
        // The \r before \n is not part of the record, so it is re-encoded with \n only.
        #expect(docs.map { encodeString($0) } == [#"{"id":"a","text":"one\r"}"# + "\n", #"{"id":"b","text":"two"}"# + "\n", #"{"id":"c","text":"last"}"# + "\n"])
    }

    @Test func missingIDsFallBackToFileNameAndOffset() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let first = #"{"text":"no id"}"#
        let path = try dir.write("anon.jsonl", first + "\n" + #"{"text":"no id either"}"# + "\n")
        let ids = try Self.ids(path)
        #expect(ids == ["anon.jsonl@0", "anon.jsonl@\(first.utf8.count + 1)"])
    }

    @Test func aThirtyMegabyteLineIsReadWhole() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // One document far larger than the 1 MiB line buffer, with escapes spread through it, between two small ones.
        let unit = "lorem ipsum \"dolor\" sit amet, é 中文 😀\\n "
        let text = String(repeating: unit, count: 30_000_000 / unit.utf8.count)
        var bytes = Array(#"{"id":"small-1","text":"a"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"big","text":"#.utf8)
        JSONEscaping.appendQuoted(text, to: &bytes)
        bytes += Array(#","tail":1}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"small-2","text":"b"}"#.utf8) + [0x0A]
        #expect(bytes.count > 30_000_000)
        let path = try dir.write("big.jsonl", bytes)
        let docs = try documents(readEntries(JSONLReader(path: path)))
        #expect(docs.map(\.id) == ["small-1", "big", "small-2"])
        #expect(docs.count == 3)
        if docs.count == 3 {
            #expect(docs[1].text.utf8.count == text.utf8.count)
            #expect(firstDifference(Array(docs[1].text.utf8), Array(text.utf8)) == nil)
            #expect(docs[1].value(at: "tail") == .int(1))
        }
    }

    @Test func fileBytesConsumedReachesTheFileSize() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("count.jsonl.zst")
        try writeCompressed(Self.jsonl(Self.lines(500)), to: path, compression: .zstd)
        let reader = try JSONLReader(path: path)
        _ = try readEntries(reader)
        #expect(reader.fileBytesConsumed == FileManager.default.contents(atPath: path)?.count)
    }
}
