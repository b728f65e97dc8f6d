import Corpus
import Foundation
import Testing
@testable import Curation

/// `minhash_dedup`'s signatures against datatrove 0.10.1's (`Tests/Fixtures/dedup/`, made by
/// `tools/reference/minhash_fixtures.py`): the same permutation parameters from NumPy's generator, and the
/// same shingles and 112 minimums for real English, code, Chinese and multilingual documents.
@Suite("MinHash parity with datatrove")
struct MinHashParityTests {
    static let root = FilterParityTests.root
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/dedup")

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func decompressed(_ path: String) throws -> [UInt8] {
        let source = try Compression.openForReading(path)
        var bytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { return bytes }
            bytes += buffer[..<n]
        }
    }

    @Test func permutationParametersAreNumpys() throws {
        let params = try Self.json("datatrove-minhash-params.json") as! [String: Any]
        let signer = MinHashSigner(permutations: 112, seed: UInt32(params["seed"] as! Int))
        #expect(signer.a.map(String.init) == params["a"] as! [String])
        #expect(signer.b.map(String.init) == params["b"] as! [String])
        // Another seed gives other parameters (the generator is really seeded).
        #expect(MinHashSigner(permutations: 112, seed: 2).a != signer.a)
    }

    @Test func signaturesMatchDatatroveOnRealDocuments() throws {
        let lines = try Self.decompressed(Self.fixtures.appendingPathComponent("datatrove-signatures.jsonl.zst").path)
            .split(separator: UInt8(ascii: "\n"))
        let expected = try lines.map { try JSONSerialization.jsonObject(with: Data($0)) as! [String: Any] }
        #expect(expected.count >= 150)
        guard FileManager.default.fileExists(atPath: FilterParityTests.sharedData.path) else {
            Issue.record("the shared test data is missing: expected it at \(FilterParityTests.sharedData.path)")
            return
        }
        var fileLines: [String: [Substring]] = [:]
        let shingler = MinHashShingler(wordCount: 5, characterCount: 5, mode: .words)
        let signer = MinHashSigner(permutations: 112, seed: 1)
        var mismatches: [String] = []
        var withSignature = 0
        for row in expected {
            let file = row["file"] as! String
            if fileLines[file] == nil {
                let text = try String(contentsOf: FilterParityTests.sharedData.appendingPathComponent(file), encoding: .utf8)
                fileLines[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
            }
            let document = try record(String(fileLines[file]![row["line"] as! Int]))
            #expect(document.id == row["id"] as! String)

            var hashes: [UInt64] = []
            shingler.shingles(of: document, into: &hashes)
            let count = hashes.count
            var signature: [UInt8] = []
            hashes.withUnsafeBufferPointer { signer.sign($0, into: &signature) }
            let mins = signature.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
            let id = row["id"] as! String
            if count != row["shingles"] as! Int {
                mismatches.append("\(id): \(count) shingles, datatrove \(row["shingles"]!)")
                continue
            }
            if let first = row["first_shingle_hash"] as? String, hashes.first.map(String.init) != first {
                mismatches.append("\(id): first shingle hash \(hashes.first.map(String.init) ?? "none"), datatrove \(first)")
                continue
            }
            if let signature = row["signature"] as? [String] {
                withSignature += 1
                if mins.map(String.init) != signature { mismatches.append("\(id): signature differs") }
            }
        }
        #expect(withSignature >= 100)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(expected.count) differ:\n\(mismatches.prefix(15).joined(separator: "\n"))")
    }

    /// The byte-level (UTF-8) path must give the shingles of the general (scalar) path, on every record
    /// of shared English, code, Q&A, Chinese and multilingual files.
    @Test func utf8PathAgreesWithTheGeneralPath() throws {
        guard FileManager.default.fileExists(atPath: FilterParityTests.sharedData.path) else {
            Issue.record("the shared test data is missing: expected it at \(FilterParityTests.sharedData.path)")
            return
        }
        let fast = MinHashShingler(wordCount: 5, characterCount: 5, mode: .auto)
        let general = MinHashShingler(wordCount: 5, characterCount: 5, mode: .auto)
        general.takesUTF8Path = false
        // The raw whitespace split too (rensa's shingling).
        let fastRaw = MinHashShingler(wordCount: 5, characterCount: 5, mode: .words, simplifies: false, splitsOnWhitespaceOnly: true)
        let generalRaw = MinHashShingler(wordCount: 5, characterCount: 5, mode: .words, simplifies: false, splitsOnWhitespaceOnly: true)
        generalRaw.takesUTF8Path = false
        var compared = 0
        var differing: [String] = []
        for file in ["web/c4_en_sample.jsonl", "web/dolma_cc_en_head.jsonl", "web/arxiv_latex_sections.jsonl", "qa/skeptics_stackexchange.jsonl", "code/source_files.jsonl",
                     "benchmarks/gsm8k_test.jsonl", "neardup/benchmark_copies_other_sources.jsonl",
                     "multilingual/flores200_dev_26langs.jsonl", "zh/cmrc2018_zhwiki_paragraphs.jsonl", "web/chinese_webtext_cc2021-43.jsonl",
                     "web/warc_html_pages.jsonl"] {
            let path = FilterParityTests.sharedData.appendingPathComponent(file).path
            let data = try #require(FileManager.default.contents(atPath: path), "cannot read \(path)")
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                let document = try record(String(decoding: line, as: UTF8.self))
                var a: [UInt64] = [], b: [UInt64] = []
                fast.shingles(of: document, into: &a)
                general.shingles(of: document, into: &b)
                compared += 1
                if a != b { differing.append(document.id) }
                fastRaw.shingles(of: document, into: &a)
                generalRaw.shingles(of: document, into: &b)
                if a != b || a.isEmpty != (document.text.split(whereSeparator: { $0.isWhitespace }).count < 5) {
                    differing.append(document.id + " (raw)")
                }
            }
        }
        #expect(compared > 5000)
        #expect(differing.isEmpty, "\(differing.count) of \(compared) differ, e.g. \(differing.prefix(5))")
    }
}
