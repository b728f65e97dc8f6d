import Foundation
import Testing
import Corpus

/// Every line of the real example files (examples/data) read and written back unchanged.
@Suite("Example data round trip")
struct ExampleDataTests {
    /// File, documents and uncompressed bytes, as listed in examples/data/README.md.
    static let files: [(path: String, documents: Int, bytes: Int)] = [
        ("web/c4_en_sample.jsonl", 500, 1_252_610),
        ("web/dolma_cc_en_head.jsonl", 20, 169_244),
        ("qa/stackexchange_math_physics_stats.jsonl.zst", 690, 3_961_638),
        ("qa/redpajama_stackexchange_with_dj_stats.jsonl.zst", 35, 208_442),
        ("zh/cmrc2018_zhwiki_paragraphs.jsonl.gz", 848, 1_510_369),
        ("books/books_kjv_small_and_alice.jsonl.zst", 30, 456_169),
        ("repos/readme_revisions_and_license_copies.jsonl.zst", 76, 1_186_217),
        ("leaks/benchmark_copies_every50th.jsonl.zst", 91, 95_041),
    ]

    static func path(_ relative: String) -> String {
        packageRoot().appendingPathComponent("examples/data").appendingPathComponent(relative).path
    }

    @Test func globFindsEveryExampleFile() {
        let found = Glob.expand(Self.path("**/*.jsonl*"))
        #expect(found == Self.files.map { Self.path($0.path) }.sorted())
    }

    @Test(arguments: 0..<files.count)
    func everyLineRoundTripsByteIdentical(_ index: Int) throws {
        let (relative, expectedDocuments, expectedBytes) = Self.files[index]
        let path = Self.path(relative)
        // The decompressed input, with the project's own readers (FileByteSource + Zstd/GzipByteSource).
        let input = try decompressedBytes(of: path)
        #expect(input.count == expectedBytes)
        #expect(input.last == 0x0A)

        let reader = try JSONLReader(path: path)
        let encoder = DocumentEncoder()
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var documents = 0
        var problems = 0
        var ids = Set<String>()
        while let entry = try reader.next() {
            guard case let .document(document) = entry else {
                problems += 1
                if case let .problem(problem, line, _) = entry, problems <= 3 {
                    Issue.record("\(relative):\(line): unexpected problem: \(problem.message)")
                }
                continue
            }
            documents += 1
            ids.insert(document.id)
            #expect(!document.text.isEmpty)
            encoder.append(document, to: &output)
        }
        #expect(documents == expectedDocuments)
        #expect(ids.count == expectedDocuments, "ids are unique")
        #expect(reader.blankLines == 0)
        #expect(output.count == input.count)
        #expect(problems == 0)
        #expect(firstDifference(output, input) == nil, "\(relative): re-encoded output differs from the input")
        if Compression(inferredFrom: path) != .none {
            #expect(reader.fileBytesConsumed == FileManager.default.contents(atPath: path)?.count)
        }
    }

    @Test(arguments: 0..<files.count)
    func textsMatchFoundationsJSONSerialization(_ index: Int) throws {
        let path = Self.path(Self.files[index].path)
        let input = try decompressedBytes(of: path)
        let lines = input.split(separator: 0x0A, omittingEmptySubsequences: true)
        let reader = try JSONLReader(path: path)
        let documents = try documents(readEntries(reader))
        try #require(documents.count == lines.count)
        for (line, document) in zip(lines, documents) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let text = try #require(object["text"] as? String)
            // Compare scalar by scalar: String == would accept canonically equivalent texts.
            #expect(firstDifference(Array(text.utf8), Array(document.text.utf8)) == nil, "document \(document.id)")
            if let id = object["id"] as? String { #expect(id == document.id) }
        }
    }

    @Test func modifiedDocumentsFromRealDataStayValidAndKeepTheirFields() throws {
        // Adding metadata to real records: each output line still parses (Foundation agrees) with the same
        // fields plus `metadata`, and the text is unchanged.
        let path = Self.path("qa/redpajama_stackexchange_with_dj_stats.jsonl.zst")
        let reader = try JSONLReader(path: path)
        for var document in try documents(readEntries(reader)) {
            let before = try #require(try JSONSerialization.jsonObject(with: Data(document.record!.bytes)) as? [String: Any])
            document.metadata["chars"] = .int(document.text.unicodeScalars.count)
            let out = encode(document)
            let after = try #require(try JSONSerialization.jsonObject(with: Data(out.dropLast())) as? [String: Any])
            #expect(Set(after.keys) == Set(before.keys).union(["metadata"]))
            #expect((after["text"] as? String).map { Array($0.utf8) } == Array(document.text.utf8))
            let metadata = try #require(after["metadata"] as? [String: Any])
            #expect((metadata["chars"] as? NSNumber)?.intValue == document.text.unicodeScalars.count)
            #expect(NSDictionary(dictionary: after["stats"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: before["stats"] as? [String: Any] ?? [:]))
        }
    }
}
