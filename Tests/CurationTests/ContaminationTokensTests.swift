import Foundation
import Testing
@testable import Curation

/// `ContaminationTokens.scan` reads ASCII 64 bytes at a time through bit masks and everything else scalar by
/// scalar; both must give the tokens of the plain definition: scalars classified and folded from their
/// Unicode properties, one token per word run or CJK character, hashed by `Hasher`.
@Suite struct ContaminationTokensTests {
    struct Token: Equatable, CustomStringConvertible {
        var hash: UInt64
        var start: Int
        var end: Int
        var description: String { "\(start)..<\(end) \(String(hash, radix: 16))" }
    }

    /// The definition, scalar by scalar, without the scanner's tables or blocks.
    static func reference(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var offset = 0
        var start = -1
        var hasher = ContaminationTokens.Hasher()
        for scalar in text.unicodeScalars {
            let width = UTF8.width(scalar)
            let c = scalar.value
            switch ContaminationTokens.kind(of: c) {
            case .word:
                if start < 0 { start = offset }
                hasher.append(scalar: ContaminationTokens.folded(c))
            case .single:
                if start >= 0 { tokens.append(Token(hash: hasher.value(), start: start, end: offset)) }
                start = -1
                hasher = ContaminationTokens.Hasher()
                var single = ContaminationTokens.Hasher()
                single.append(scalar: ContaminationTokens.folded(c))
                tokens.append(Token(hash: single.value(), start: offset, end: offset + width))
            case .separator:
                if start >= 0 { tokens.append(Token(hash: hasher.value(), start: start, end: offset)) }
                start = -1
                hasher = ContaminationTokens.Hasher()
            }
            offset += width
        }
        if start >= 0 { tokens.append(Token(hash: hasher.value(), start: start, end: offset)) }
        return tokens
    }

    static func scanned(_ text: String) -> [Token] {
        // An exact-size buffer, so reads past a word's end near the text's end would be caught by tools
        // that check bounds, and the last bytes take the scalar path.
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        defer { buffer.deallocate() }
        _ = buffer.initialize(from: bytes)
        var tokens: [Token] = []
        ContaminationTokens.scan(UnsafeBufferPointer(buffer)) { hash, start, end in tokens.append(Token(hash: hash, start: start, end: end)) }
        return tokens
    }

    static func expectSame(_ text: String, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = reference(text), got = scanned(text)
        guard expected != got else { return }
        let first = zip(expected, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(expected.count, got.count)
        let gotToken = first < got.count ? got[first].description : "none"
        let expectedToken = first < expected.count ? expected[first].description : "none"
        Issue.record("\(comment): \(got.count) tokens, expected \(expected.count); token \(first) is \(gotToken), expected \(expectedToken)",
                     sourceLocation: sourceLocation)
    }

    @Test func wordsOfEveryLengthAcrossBlockEdges() {
        // Words of 1…40 letters at every offset around the 64-byte block edges, in mixed case and with digits.
        for length in 1...40 {
            let word = String((0..<length).map { Character(UnicodeScalar(UInt8([0x41, 0x62, 0x37, 0x5A, 0x7A][$0 % 5]))) })
            for offset in 50...70 {
                let text = String(repeating: " ", count: offset) + word + " tail " + String(repeating: "x", count: 70)
                Self.expectSame(text, "word of \(length) at \(offset)")
                Self.expectSame(String(repeating: "-", count: offset) + word, "word of \(length) ending the text at \(offset)")
            }
        }
    }

    @Test func asciiBytesNextToLettersAreSeparators() {
        // The classifier's range edges: @ [ ` { / : next to letters and digits.
        let edges = "@A[Z`a{z/0:9 AZaz09 @@ [[ `` {{ // :: \u{7F}q"
        Self.expectSame(String(repeating: edges, count: 9), "range edges")
        #expect(Self.scanned(String(repeating: "@A[Z`a{z/0:9 ", count: 10)).count == 60)
    }

    @Test func randomTextMixingScriptsMatchesTheDefinition() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["the", "Quick", "BROWN", "fox", "42", "x", " ", "  ", "\n", ", ", ".", "-", "’", "café", "Élan", "naïve",
                      "über", "Straße", "中文", "文本", "ひらがな", "カタカナ", "Ｆｕｌｌ１２", "😀", "𠀀", "ß", "İ", "σς", "Ω",
                      "abcdefghijklmnopqrstuvwxyz0123456789", "é", "\u{301}", "a\u{301}b", "\t", "\"", "مرحبا", "привет"]
        for trial in 0..<400 {
            var text = ""
            for _ in 0..<Int.random(in: 0...120, using: &random) { text += pieces.randomElement(using: &random)! }
            Self.expectSame(text, "random text \(trial): \(text.debugDescription.prefix(200))")
        }
    }

    @Test func realWebAndMultilingualTextMatchesTheDefinition() throws {
        for file in ["/web/c4_en_sample.jsonl", "/web/chinese_webtext_cc2021-43.jsonl", "/multilingual/flores200_dev_26langs.jsonl"] {
            let lines = try String(contentsOfFile: SharedData.shared + file, encoding: .utf8).split(separator: "\n").prefix(300)
            for (number, line) in lines.enumerated() {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                guard let text = object?["text"] as? String else { continue }
                Self.expectSame(text, "\(file) line \(number + 1)")
            }
        }
    }

    @Test func hashesDependOnEveryFoldedByte() {
        let words = ["a", "b", "ab", "ba", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefgh0", "bbcdefghi", "abcdefghijklmnop",
                     "abcdefghijklmnoq", "abcdefghijklmnopq", "é", "e", "中", "文"]
        let hashes = words.map { Self.scanned($0)[0].hash }
        #expect(Set(hashes).count == words.count)
        #expect(Self.scanned("ABCDEFGHIJKLMNOPQ")[0].hash == Self.scanned("abcdefghijklmnopq")[0].hash)
        // The same word hashed inside an ASCII block and by the scalar path (short text) agrees.
        let long = String(repeating: "filler ", count: 20) + "Contamination " + String(repeating: "filler ", count: 20)
        let inBlock = Self.scanned(long).first { long.utf8.count > $0.start && $0.end - $0.start == 13 }
        #expect(inBlock?.hash == Self.scanned("contamination")[0].hash)
    }
}
