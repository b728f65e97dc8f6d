import Foundation
import Testing
@testable import Tokenization

/// Cutting pieces between bytes that no token holds side by side (`BPETokenizer.innerPairs`) must give
/// exactly the ids of merging the whole piece, under both merge rules.
@Suite struct PieceCutTests {
    typealias Random = BacktrackingEncoderTests.Random

    static func encoders(_ tokenizer: BPETokenizer) -> (cut: TokenEncoder, whole: TokenEncoder) {
        let cut = tokenizer.makeEncoder()
        cut.cutsPieces = true
        cut.usesBacktracking = false
        let whole = tokenizer.makeEncoder()
        whole.cutsPieces = false
        whole.usesBacktracking = false
        return (cut, whole)
    }

    @Test(arguments: Fixtures.names)
    func cuttingEqualsMergingWhole(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        #expect(tokenizer.innerPairs != nil)
        let (cut, whole) = Self.encoders(tokenizer)
        let skipped = Set((0..<256).filter { tokenizer.skippedBytes[$0] }.map(UInt8.init))
        let texts = BacktrackingEncoderTests.adversarialStrings(seed: 5)
            + TokenizerBehaviourTests.randomStrings(count: 1500, seed: 23, avoiding: skipped)
        // tiktoken vocabularies: also through the backtracking encoder (a cut part may itself be a token).
        let backtracking = tokenizer.makeEncoder()
        backtracking.cutsPieces = true
        backtracking.backtrackingMinimum = 1
        for text in texts {
            let expected = try whole.encode(text)
            #expect(try cut.encode(text) == expected, "\(name): \(text.debugDescription)")
            #expect(try backtracking.encode(text) == expected, "\(name) backtracking: \(text.debugDescription)")
        }
    }

    /// Toy merge lists over five letters whose tokens hold only some of the letter pairs, so pieces have
    /// many cut points, and merges in random order (a merge's token may also be reachable other ways).
    @Test func randomMergeListsAgree() throws {
        var random = Random(state: 77)
        let letters = Array("abcde".utf8)
        var cutPoints = 0
        for round in 0..<40 {
            var vocabulary = TokenBytesTable(capacity: 512)
            var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
            for (id, token) in tokens.enumerated() { vocabulary.insert(token, value: UInt32(id)) }
            var merges = PairMergeTable(capacity: 256)
            var seen = Set(tokens)
            let wanted = 10 + random.next(100)
            var attempts = 0
            while merges.count < wanted, attempts < 10_000 {
                attempts += 1
                // Parts: a letter, or a token made earlier (so merges build on each other).
                func part() -> Int { random.next(3) == 0 || tokens.count == 256 ? Int(letters[random.next(round % 2 == 0 ? 3 : 5)]) : 256 + random.next(tokens.count - 256) }
                let left = part(), right = part()
                let merged = tokens[left] + tokens[right]
                guard merged.count <= 12 else { continue }
                let id: Int
                if seen.insert(merged).inserted {
                    id = tokens.count
                    tokens.append(merged)
                    vocabulary.insert(merged, value: UInt32(id))
                } else {
                    id = tokens.firstIndex(of: merged)!
                }
                if merges.merge(UInt32(left), UInt32(right)) == nil {
                    merges.insert(left: UInt32(left), right: UInt32(right), merge: .init(rank: UInt32(merges.count), merged: UInt32(id)))
                }
            }
            let tokenizer = try BPETokenizer(name: "toy\(round)", vocabulary: vocabulary, rules: .mergeList(merges),
                                             wholePieceLookup: false, stages: [.split(try SplitPattern("[a-e]+|[^a-e]+"))],
                                             normalization: .none, specialTokens: [:])
            let pairs = try #require(tokenizer.innerPairs)
            let (cut, whole) = Self.encoders(tokenizer)
            for _ in 0..<300 {
                let bytes = (0..<(1 + random.next(60))).map { _ in letters[random.next(5)] }
                for i in bytes.indices.dropFirst() where !pairs.contains(Int(bytes[i - 1]) << 8 | Int(bytes[i])) { cutPoints += 1 }
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(try cut.encode(text) == (try whole.encode(text)), "round \(round): \(text)")
            }
        }
        #expect(cutPoints > 1000, "the toy vocabularies should leave many cut points")
    }

    /// The Digits step reads the numeric property of BMP characters from a bitmap.
    @Test func numericBitmapMatchesTheGeneralCategory() {
        for v in UInt32(0)...0x10_FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            let expected = v < 0x80 ? (v >= 0x30 && v <= 0x39) : PreTokenizerStage.isNumericByCategory(scalar)
            if PreTokenizerStage.isNumeric(scalar) != expected {
                Issue.record("U+\(String(v, radix: 16)): \(PreTokenizerStage.isNumeric(scalar)), category says \(expected)")
            }
        }
    }
}
