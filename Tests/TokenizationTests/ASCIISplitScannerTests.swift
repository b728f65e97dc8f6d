import Foundation
import Testing
@testable import Corpus
@testable import Tokenization

/// The hand-written scanner must cut exactly where PCRE2 cuts, or hand the match back.
@Suite struct ASCIISplitScannerTests {
    static let patterns = [TiktokenPreset.cl100k.pattern, TiktokenPreset.qwen.pattern,
                           ASCIISplitScanner.llama3Pattern, TiktokenPreset.gpt2.pattern]

    /// Fragments that sit on every decision the scanner makes: ASCII classes, the contractions in both
    /// cases, line breaks in white-space runs, and non-ASCII letters, digits, white space and case
    /// variants (`ſ` folds to `s`, U+212A to `k`) where it has to give up.
    static let fragments = ["a", "Z", "word", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "1", "42", "12345",
                            "'", "'s", "'S", "'t", "'ll", "'LL", "'lL", "'re", "'Re", "'ve", "'d", "'m", "'x", "'r", "'l",
                            "(", ".", "--", "!?", "\u{1C}", "\u{1F}", "\0", "\u{7F}",
                            "é", "中国", "ſ", "\u{212A}", "٣", "²", "\u{85}", "\u{A0}", "\u{3000}", "\u{2028}", "—", "😀", "\u{301}"]

    static func randomTexts(count: Int, seed: UInt64) -> [String] {
        var random = BacktrackingEncoderTests.Random(state: seed)
        return (0..<count).map { _ in
            (0..<(1 + random.next(14))).map { _ in fragments[random.next(fragments.count)] }.joined()
        }
    }

    /// PCRE2's pieces of `text` (scanner off).
    static func pcrePieces(_ matcher: SplitPattern.Matcher, _ text: UnsafeBufferPointer<UInt8>) throws -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        try matcher.split(text) { pieces.append($0) }
        return pieces
    }

    /// At every PCRE2 piece start, the scanner's answer (when it gives one) is that piece's end.
    /// Returns how many pieces it answered and how many it handed back.
    static func check(_ pattern: String, _ texts: [String]) throws -> (answered: Int, handedBack: Int) {
        let split = try SplitPattern(pattern)
        let scanner = try #require(split.scanner, "no scanner for \(pattern)")
        let matcher = SplitPattern.Matcher(split)
        matcher.scanner = nil
        var answered = 0, handedBack = 0
        for text in texts {
            var copy = text
            try copy.withUTF8 { utf8 in
                for piece in try pcrePieces(matcher, utf8) {
                    guard let end = scanner.matchEnd(utf8.baseAddress!, utf8.count, piece.lowerBound) else {
                        handedBack += 1
                        continue
                    }
                    answered += 1
                    if end != piece.upperBound {
                        Issue.record("\(pattern): at byte \(piece.lowerBound) of \(Array(text.unicodeScalars).map { String($0.value, radix: 16) }): scanner ends at \(end), PCRE2 at \(piece.upperBound)")
                    }
                }
            }
        }
        return (answered, handedBack)
    }

    @Test(arguments: patterns) func agreesWithPCREOnRandomText(pattern: String) throws {
        let result = try Self.check(pattern, Self.randomTexts(count: 4000, seed: 91))
        #expect(result.answered > 10_000, "the scanner should answer most pieces: \(result)")
        #expect(result.handedBack > 1_000, "the random texts should make it hand pieces back: \(result)")
    }

    @Test(arguments: patterns) func agreesWithPCREOnEdgeCasesAndRealText(pattern: String) throws {
        var texts = try Fixtures.lines(Fixtures.path("edge_cases.jsonl")).compactMap { line -> String? in
            try JSONValue(parsing: Array(line.utf8))["text"]?.stringValue
        }
        let data = Fixtures.sharedData
        try #require(FileManager.default.fileExists(atPath: data.path), "../shared/data is missing")
        for file in ["web/c4_en_sample.jsonl", "web/arxiv_latex_sections.jsonl", "code/source_files.jsonl",
                     "web/chinese_webtext_cc2021-43.jsonl", "multilingual/flores200_dev_26langs.jsonl"] {
            let path = data.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            texts += try ReferenceParityTests.texts(path).sorted { $0.key < $1.key }.prefix(300).map(\.value)
        }
        let result = try Self.check(pattern, texts)
        #expect(result.answered > 100_000, "\(result)")
    }

    /// Splitting with the scanner gives PCRE2's pieces, over ranges that start at resume points too.
    @Test func matcherWithScannerSplitsLikePCRE() throws {
        for pattern in Self.patterns {
            let split = try SplitPattern(pattern)
            let fast = SplitPattern.Matcher(split)
            let slow = SplitPattern.Matcher(split)
            slow.scanner = nil
            #expect(fast.scanner != nil)
            for text in Self.randomTexts(count: 500, seed: 5) {
                var copy = text
                let (scanned, matched) = try copy.withUTF8 { utf8 in (try Self.pcrePieces(fast, utf8), try Self.pcrePieces(slow, utf8)) }
                #expect(scanned == matched, "\(pattern): \(text.debugDescription)")
            }
        }
    }

    @Test func otherPatternsHaveNoScanner() throws {
        #expect(ASCIISplitScanner(pattern: TiktokenPreset.o200k.pattern) == nil)
        #expect(ASCIISplitScanner(pattern: "[a-e]+|[^a-e]+") == nil)
        #expect(ASCIISplitScanner(pattern: TiktokenPreset.qwen.pattern + "|x") == nil)
    }
}
