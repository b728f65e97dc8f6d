import Corpus
import Foundation
import Testing
@testable import Tokenization

@Suite struct TokenizerBehaviourTests {
    /// Random strings over scripts, emoji, combining marks, whitespace runs and punctuation.
    static func randomStrings(count: Int, seed: UInt64, avoiding skipped: Set<UInt8> = []) -> [String] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        let pieces = ["a", "Z", "ſ", "é", "e\u{301}", "中", "文字", "ひら", "한", "ب", "ไทย", "😀", "👩‍👩‍👧", "🇫🇷", " ", "  ", "\n", "\r\n",
                      "\t", "\u{85}", "\u{A0}", "\u{3000}", "1", "234", "٣", "'s", "'LL", "<|endoftext|>", "{", "}", "...", "$",
                      "\u{FFFD}", "\u{10FFFF}", "\u{E000}", "x\u{200D}y", "Ω", "\u{1F3FB}"]
        return (0..<count).map { _ in
            var s = ""
            for _ in 0..<(next() % 24) { s += pieces[Int(next() % UInt64(pieces.count))] }
            return s
        }.filter { s in skipped.isEmpty || !s.utf8.contains(where: skipped.contains) }
    }

    @Test(arguments: Fixtures.names)
    func decodingAnEncodingGivesTheTextBack(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        let skipped = Set((0..<256).filter { tokenizer.skippedBytes[$0] }.map(UInt8.init))
        let encoder = tokenizer.makeEncoder()
        for text in Self.randomStrings(count: 2000, seed: 7, avoiding: skipped) {
            for allowSpecial in [false, true] {
                let ids = try encoder.encode(text, allowSpecial: allowSpecial)
                #expect(try tokenizer.decode(ids) == text, "\(name): \(text.debugDescription)")
            }
        }
    }

    @Test func specialTokensAreTextUnlessAllowed() throws {
        let qwen = try Fixtures.tokenizer("qwen")
        let text = "a<|endoftext|>b"
        let plain = try qwen.encode(text)
        #expect(!plain.contains(151643))
        #expect(try qwen.decode(plain) == text)
        let allowed = try qwen.encode(text, allowSpecial: true)
        #expect(allowed == (try qwen.encode("a")) + [151643] + (try qwen.encode("b")))
    }

    /// A megabyte of one character is one piece; merging it must stay near-linear (a heap, not
    /// tiktoken's quadratic rescan). Bound the work, not the time.
    @Test(arguments: ["a", " ", "😀", "中"])
    func pathologicalInputTakesLinearWork(_ unit: String) throws {
        let tokenizer = try Fixtures.tokenizer("cl100k")
        let encoder = tokenizer.makeEncoder()
        let text = String(repeating: unit, count: (1 << 20) / unit.utf8.count)
        let ids = try encoder.encode(text)
        #expect(try tokenizer.decode(ids) == text)
        let bytes = text.utf8.count
        #expect(encoder.mergeSteps < bytes, "merges \(encoder.mergeSteps) for \(bytes) bytes")
        #expect(encoder.mergeWork < 64 * bytes, "work \(encoder.mergeWork) for \(bytes) bytes")
    }

    @Test func heapAndScanningMergeAlike() throws {
        let tokenizer = try Fixtures.tokenizer("o200k")
        let texts = Self.randomStrings(count: 400, seed: 11).map { $0.replacingOccurrences(of: " ", with: "") }
        let scanning = tokenizer.makeEncoder()
        scanning.setHeapThreshold(1 << 20)
        let heap = tokenizer.makeEncoder()
        heap.setHeapThreshold(1)
        for text in texts {
            #expect(try scanning.encode(text) == (try heap.encode(text)), "\(text.debugDescription)")
        }
    }

    @Test func smolLMSkipsBytesItsVocabularyLacksLikeTokenizers() throws {
        let smol = try Fixtures.tokenizer("smollm2")
        #expect(smol.skippedBytes[0x06])
        let encoder = smol.makeEncoder()
        // tokenizers drops the byte and merges its neighbours: "=\u{6}=" encodes as "==".
        #expect(try encoder.encode("=\u{6}=") == (try encoder.encode("==")))
        #expect(encoder.skippedByteCount == 1)
    }
}
