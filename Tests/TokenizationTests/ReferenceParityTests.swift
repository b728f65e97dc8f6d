import Corpus
import Dispatch
import Foundation
import Testing
@testable import Tokenization

/// Token ids identical to tiktoken 0.14 and Hugging Face tokenizers 0.23 on every text record of
/// ../shared/data (fixtures made by tools/reference/tokenizer_fixtures.py), on hand-picked edge cases,
/// and on a sample kept with full ids so a failure shows where the ids part.
@Suite struct ReferenceParityTests {
    struct Expected {
        var file: String
        var line: Int
        var count: Int
        var digest: String
    }

    static func expectations(_ name: String) throws -> [Expected] {
        try Fixtures.lines(Fixtures.path("ids-\(name).tsv.zst")).compactMap { line in
            if line.hasPrefix("#") || line.isEmpty { return nil }
            let f = line.split(separator: "\t")
            return Expected(file: String(f[0]), line: Int(f[1])!, count: Int(f[2])!, digest: String(f[3]))
        }
    }

    /// The text of every non-blank line of a JSONL file, by 1-based line number.
    static func texts(_ path: String) throws -> [Int: String] {
        let source = try Compression.openForReading(path)
        let reader = LineReader(source: source)
        var decoder = DocumentDecoder()
        var out: [Int: String] = [:]
        var number = 0
        while let line = try reader.next() {
            number += 1
            if let document = try? decoder.decode(line: line.bytes, fallbackID: { "" }) { out[number] = document.text }
        }
        return out
    }

    @Test(arguments: Fixtures.names)
    func everySharedRecordMatchesTheReference(_ name: String) throws {
        try everySharedRecordMatchesTheReference(name, using: try Fixtures.tokenizer(name))
    }

    func everySharedRecordMatchesTheReference(_ name: String, using tokenizer: BPETokenizer) throws {
        let data = Fixtures.sharedData
        try #require(FileManager.default.fileExists(atPath: data.path),
                     "../shared/data is missing: the parity test needs the project's shared data folder beside the repository")
        let expected = try Self.expectations(name)
        #expect(expected.count > 60_000)
        let byFile = Dictionary(grouping: expected, by: \.file)
        let files = byFile.keys.sorted()
        let allowSpecial = Fixtures.referenceAllowsSpecial(name)
        let results = UnsafeMutableBufferPointer<[String]>.allocate(capacity: files.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let file = files[i]
            var problems: [String] = []
            do {
                let texts = try Self.texts(data.appendingPathComponent(file).path)
                let encoder = tokenizer.makeEncoder()
                for item in byFile[file]! {
                    guard let text = texts[item.line] else {
                        problems.append("\(file):\(item.line): no record")
                        continue
                    }
                    let ids = try encoder.encode(text, allowSpecial: allowSpecial)
                    if ids.count != item.count || idsDigest(ids) != item.digest {
                        problems.append("\(file):\(item.line): \(ids.count) tokens, reference \(item.count)")
                    }
                }
            } catch {
                problems.append("\(file): \(error)")
            }
            shared[i] = problems
        }
        let problems = results.flatMap { $0 }
        #expect(problems.isEmpty, "\(name): \(problems.count) of \(expected.count) records differ; first: \(problems.prefix(5))")
    }

    /// SmolLM2 read straight from GGUF metadata (a tokenizer-only copy of the model file made by
    /// tools/reference/make_tokenizer_gguf.py) gives the reference ids too.
    @Test func smolLMFromGGUFMatchesTheReference() throws {
        let gguf = try Fixtures.tokenizer("smollm2-gguf")
        let json = try Fixtures.tokenizer("smollm2")
        #expect(gguf.vocabularySize == json.vocabularySize)
        #expect(gguf.specialTokens == json.specialTokens)
        try everySharedRecordMatchesTheReference("smollm2", using: gguf)
    }

    @Test(arguments: Fixtures.names)
    func edgeCasesMatchTheReference(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        let inputs = try Fixtures.lines(Fixtures.path("edge_cases.jsonl")).map { try JSONValue(parsing: Array($0.utf8)) }
        let outputs = try Fixtures.lines(Fixtures.path("edge-\(name).jsonl")).map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(inputs.count == outputs.count && inputs.count >= 30)
        for (input, output) in zip(inputs, outputs) {
            let text = try #require(input["text"]?.stringValue)
            guard case let .array(reference)? = output["ids"] else { Issue.record("edge-\(name): no ids"); continue }
            let ids = try tokenizer.encode(text, allowSpecial: Fixtures.referenceAllowsSpecial(name))
            #expect(ids == reference.map { UInt32($0.intValue!) }, "\(name) \(input["id"]?.stringValue ?? "?"): \(text.debugDescription)")
        }
    }

    @Test(arguments: Fixtures.names)
    func sampledRecordsHaveTheReferenceIds(_ name: String) throws {
        let sample = Fixtures.path("sample-\(name).jsonl.zst")
        let data = Fixtures.sharedData
        try #require(FileManager.default.fileExists(atPath: data.path), "../shared/data is missing")
        let tokenizer = try Fixtures.tokenizer(name)
        var textsByFile: [String: [Int: String]] = [:]
        var checked = 0
        for line in try Fixtures.lines(sample) {
            let record = try JSONValue(parsing: Array(line.utf8))
            let file = record["file"]!.stringValue!
            if textsByFile[file] == nil { textsByFile[file] = try Self.texts(data.appendingPathComponent(file).path) }
            let text = try #require(textsByFile[file]![record["line"]!.intValue!])
            guard case let .array(reference)? = record["ids"] else { continue }
            let ids = try tokenizer.encode(text, allowSpecial: Fixtures.referenceAllowsSpecial(name))
            let expected = reference.map { UInt32($0.intValue!) }
            if ids != expected {
                let at = zip(ids, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ids.count, expected.count)
                Issue.record("\(name) \(file):\(record["line"]!.intValue!): ids part at token \(at): \(ids[at..<min(at + 5, ids.count)]) vs \(expected[at..<min(at + 5, expected.count)])")
            }
            checked += 1
        }
        #expect(checked > 100)
    }
}
