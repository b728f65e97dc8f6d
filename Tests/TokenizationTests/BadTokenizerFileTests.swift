import Corpus
import Foundation
import Testing
@testable import Tokenization

@Suite struct BadTokenizerFileTests {
    func temp(_ name: String, _ content: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func failure(_ body: () throws -> Void) -> TokenizerError? {
        do { try body() } catch let error as TokenizerError { return error } catch { return nil }
        return nil
    }

    static let byteLevelVocab: String = {
        let entries = ByteLevelAlphabet.characterOf.enumerated().map { "\"\(String($0.element).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\": \($0.offset)" }
        return "{" + entries.joined(separator: ", ") + ", \"ab\": 256}"
    }()

    @Test func unknownModelTypeIsNamed() throws {
        let path = try temp("tokenizer.json", #"{"model": {"type": "WordPiece", "vocab": {}}}"#)
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.kind == .unsupported)
        #expect(error.description.contains(path) && error.description.contains("WordPiece"))
    }

    @Test func missingMergesIsNamed() throws {
        let path = try temp("tokenizer.json", #"{"model": {"type": "BPE", "vocab": \#(Self.byteLevelVocab)}, "pre_tokenizer": {"type": "ByteLevel"}}"#)
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.description.contains("model.merges"))
    }

    @Test func mergeOutsideTheVocabularyIsNamed() throws {
        let path = try temp("tokenizer.json", #"{"model": {"type": "BPE", "vocab": \#(Self.byteLevelVocab), "merges": ["a b", "x q"]}, "pre_tokenizer": {"type": "ByteLevel"}}"#)
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.description.contains("model.merges[1]"))
    }

    @Test func aSmallValidTokenizerJSONWorks() throws {
        let path = try temp("tokenizer.json", #"{"model": {"type": "BPE", "vocab": \#(Self.byteLevelVocab), "merges": ["a b"]}, "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false}}"#)
        let tokenizer = try BPETokenizer.load(path: path)
        #expect(try tokenizer.encode("abc") == [256, 99])
    }

    @Test func truncatedRankFileIsNamedWithItsLine() throws {
        let path = try temp("cl100k_base.tiktoken", "IQ== 0\nIg== 1\nIw")
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.kind == .malformed)
        #expect(error.description.contains("line 3"))
    }

    @Test func repeatedOrOutlandishRanksAreNamedWithTheirLine() throws {
        let twice = try temp("cl100k_base.tiktoken", "IQ== 0\nIg== 1\nIw== 1\n")
        let repeated = try #require(failure { _ = try BPETokenizer.load(path: twice) })
        #expect(repeated.description.contains("line 3") && repeated.description.contains("rank 1 appears twice"))
        let huge = try temp("cl100k_base.tiktoken", "IQ== 0\nIg== 4000000000\n")
        let outlandish = try #require(failure { _ = try BPETokenizer.load(path: huge) })
        #expect(outlandish.kind == .malformed && outlandish.description.contains("line 2"))
        let letters = try temp("cl100k_base.tiktoken", "IQ== 0\nI*g= 1\n")
        let notBase64 = try #require(failure { _ = try BPETokenizer.load(path: letters) })
        #expect(notBase64.description.contains("line 2") && notBase64.description.contains("base64"))
    }

    @Test func rankFileWithoutAPatternAsksForOne() throws {
        let path = try temp("mystery.tiktoken", "IQ== 0\n")
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.description.contains("preset"))
    }

    @Test func truncatedGGUFIsNamed() throws {
        let path = try temp("model.gguf", "GGUF\u{3}\0\0\0")
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.kind == .malformed)
        #expect(error.description.contains(path) && error.description.contains("truncated"))
    }

    @Test func ggufWithoutTokenizerMetadataIsNamed() throws {
        let path = Fixtures.path("no-tokenizer.gguf")
        let error = try #require(failure { _ = try BPETokenizer.load(path: path) })
        #expect(error.kind == .unsupported)
        #expect(error.description.contains("no tokenizer metadata"))
    }

    @Test func missingFileIsNamed() throws {
        let error = try #require(failure { _ = try BPETokenizer.load(path: "/nonexistent/qwen.tiktoken") })
        #expect(error.kind == .cannotRead)
        #expect(error.description.contains("/nonexistent/qwen.tiktoken"))
    }
}
