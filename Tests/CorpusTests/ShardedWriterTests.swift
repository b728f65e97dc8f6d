import Foundation
import Testing
import Corpus

@Suite("Sharded JSONL writer")
struct ShardedWriterTests {
    static func documents(_ count: Int) -> [Document] {
        (0..<count).map { Document(id: "doc-\($0)", text: "text \($0) " + String(repeating: "é", count: $0 % 5)) }
    }

    static func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func maxDocumentsSplitsIntoNumberedShards() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let out = dir.file("out")
        let writer = ShardedJSONLWriter(directory: out, baseName: "part", compression: .zstd,
                                        limits: .init(maxDocuments: 10))
        for document in Self.documents(25) { try writer.write(document) }
        #expect(writer.documentsWritten == 25)
        let shards = try writer.finish()
        #expect(Self.files(in: out) == ["part-00000.jsonl.zst", "part-00001.jsonl.zst", "part-00002.jsonl.zst"])
        #expect(shards == Self.files(in: out).map { out + "/" + $0 })
        let counts = try shards.map { try readEntries(JSONLReader(path: $0)).count }
        #expect(counts == [10, 10, 5])
    }

    @Test func maxBytesSplitsByUncompressedSize() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Each record is exactly 100 bytes with its newline.
        let record = { (i: Int) -> [UInt8] in
            let head = #"{"id":"\#(String(format: "%03d", i))","text":""#
            return Array((head + String(repeating: "x", count: 100 - head.utf8.count - 3) + "\"}\n").utf8)
        }
        #expect(record(0).count == 100)
        let writer = ShardedJSONLWriter(directory: dir.path, baseName: "b", compression: .none,
                                        limits: .init(maxBytes: 250))
        for i in 0..<7 { try writer.writeEncoded(record(i)) }
        // A record larger than the limit still gets written, alone in its shard.
        try writer.writeEncoded(Array(("{\"id\":\"big\",\"text\":\"" + String(repeating: "y", count: 400) + "\"}\n").utf8))
        try writer.writeEncoded(record(8))
        let shards = try writer.finish()
        #expect(shards.map { ($0 as NSString).lastPathComponent } == (0..<6).map { "b-0000\($0).jsonl" })
        let sizes = shards.map { FileManager.default.contents(atPath: $0)?.count ?? -1 }
        // Two 100-byte records fit under 250; a third would not. The 423-byte record exceeds the limit on its own.
        #expect(sizes == [200, 200, 200, 100, 423, 100])
        let ids = try shards.flatMap { try CorpusTests.documents(readEntries(JSONLReader(path: $0))).map(\.id) }
        #expect(ids == ["000", "001", "002", "003", "004", "005", "006", "big", "008"])
    }

    @Test func shardNamesArePaddedToFiveDigits() {
        #expect(ShardedJSONLWriter.shardName(baseName: "base", index: 0, compression: .zstd) == "base-00000.jsonl.zst")
        #expect(ShardedJSONLWriter.shardName(baseName: "base", index: 42, compression: .gzip) == "base-00042.jsonl.gz")
        #expect(ShardedJSONLWriter.shardName(baseName: "base", index: 123456, compression: .none) == "base-123456.jsonl")
    }

    @Test func noTemporaryFilesRemainAndShardsAppearOnlyWhenComplete() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let writer = ShardedJSONLWriter(directory: dir.path, baseName: "t", compression: .gzip,
                                        limits: .init(maxDocuments: 3))
        for document in Self.documents(4) { try writer.write(document) }
        // Mid-way: the first shard is complete, the second is still under its temporary name.
        #expect(Self.files(in: dir.path) == ["t-00000.jsonl.gz", "t-00001.jsonl.gz.tmp"])
        try writer.finish()
        #expect(Self.files(in: dir.path) == ["t-00000.jsonl.gz", "t-00001.jsonl.gz"])
        #expect(!Self.files(in: dir.path).contains { $0.hasSuffix(".tmp") })
    }

    @Test func writingNothingCreatesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let out = dir.file("never/created")
        let writer = ShardedJSONLWriter(directory: out, baseName: "x", compression: .zstd)
        #expect(try writer.finish().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.file("never")))
        #expect(Self.files(in: dir.path).isEmpty)
    }

    @Test(arguments: Compression.allCases)
    func eachCompressionReadsBackIdentically(_ compression: Compression) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Documents read from a file (some modified) and fresh ones.
        let source = try dir.write("in.jsonl", (0..<40).map { #"{"id":\#($0),"text":"t\#($0) \"q\" 中","extra":[\#($0)]}"# + "\n" }.joined())
        var docs = try CorpusTests.documents(readEntries(JSONLReader(path: source)))
        for index in docs.indices where index % 3 == 0 { docs[index].metadata["n"] = .int(index) }
        docs += Self.documents(30)
        var expected: [UInt8] = []
        for document in docs { DocumentEncoder().append(document, to: &expected) }

        let writer = ShardedJSONLWriter(directory: dir.file("out"), baseName: "r", compression: compression,
                                        limits: .init(maxDocuments: 16))
        for document in docs { try writer.write(document) }
        let shards = try writer.finish()
        #expect(shards.count == 5)
        #expect(shards.allSatisfy { $0.hasSuffix(compression.jsonlSuffix) })
        var back: [UInt8] = []
        for shard in shards { back += try decompressedBytes(of: shard) }
        #expect(firstDifference(back, expected) == nil)
        let reread = try shards.flatMap { try CorpusTests.documents(readEntries(JSONLReader(path: $0))) }
        #expect(reread.map(\.id) == docs.map(\.id))
        #expect(reread.map(\.text) == docs.map(\.text))
        if compression != .none {
            #expect(shards.allSatisfy { path in
                (try? Data(contentsOf: URL(fileURLWithPath: path)).prefix(4)).map {
                    compression == .zstd ? Array($0) == [0x28, 0xB5, 0x2F, 0xFD] : Array($0.prefix(2)) == [0x1F, 0x8B]
                } ?? false
            })
        }
    }
}
