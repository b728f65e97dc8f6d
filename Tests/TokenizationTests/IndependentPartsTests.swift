import Foundation
import Testing
@testable import Tokenization

/// A long text cut by `independentParts` encodes, part by part, to exactly the whole text's ids.
@Suite struct IndependentPartsTests {
    /// Texts where cutting at the wrong place would show: runs of spaces before text and at the end
    /// (`\s+(?!\S)`, `\s++$`), newlines, digit runs (Qwen and SmolLM2 split digits), CJK runs, contractions.
    static var texts: [String] {
        let random = TokenizerBehaviourTests.randomStrings(count: 300, seed: 23)
        var joined: [String] = []
        for start in stride(from: 0, to: random.count, by: 30) {
            joined.append(random[start..<min(start + 30, random.count)].joined())
        }
        return joined + [
            String(repeating: "word  ", count: 200) + "   ",
            String(repeating: "中文字符", count: 300),
            String(repeating: "1234567890", count: 100) + "x",
            String(repeating: " \n\n  \r\n", count: 80) + "end    ",
            String(repeating: "don't they'LL  ", count: 100),
            String(repeating: " ", count: 3000),
            "a" + String(repeating: " ", count: 2000) + "b",
            String(repeating: "line one\nline two \n第二行。\n\n  indented\n'tis\n", count: 60),
        ]
    }

    @Test(arguments: Fixtures.names)
    func partsEncodeToTheWholeTextsIDs(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        let skipped = Set((0..<256).filter { tokenizer.skippedBytes[$0] }.map(UInt8.init))
        let whole = tokenizer.makeEncoder()
        let parted = tokenizer.makeEncoder()
        var cutTexts = 0
        for var text in Self.texts where !text.utf8.contains(where: skipped.contains) {
            let expected = try whole.encode(text)
            let label = text.prefix(40).debugDescription
            for every in [1, 7, 64, 500] {
                try text.withUTF8 { utf8 in
                    let parts = try parted.independentParts(of: utf8, every: every)
                    #expect(parts.first?.lowerBound == 0 && parts.last?.upperBound == utf8.count)
                    #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
                    if parts.count > 1 { cutTexts += 1 }
                    var ids: [UInt32] = []
                    for part in parts { try parted.encode(utf8: utf8, part: part, into: &ids) }
                    #expect(ids == expected, "\(name), every \(every): \(label)…")
                }
            }
        }
        #expect(cutTexts > 20, "the texts must actually be cut")
    }

    /// Every point `forcedResumePoint` names is a piece start of the whole text's split, for each pattern
    /// the scanner knows, whatever comes before the line feed (white space, punctuation, CR, digits,
    /// contractions, non-ASCII letters, spaces and digits).
    @Test(arguments: ASCIISplitScannerTests.patterns)
    func forcedResumePointsArePieceStarts(pattern: String) throws {
        let matcher = SplitPattern.Matcher(try SplitPattern(pattern))
        let before = ["", " ", "  ", "\t", "\r", "\n", "\r\n", " \n", ".", "!!", "'", "'s", "1", "a", "é", "中", "\u{A0}", "\u{3000}", "\u{85}", "ſ", "٣"]
        let after = ["a", "Z", "中", "龥", "一", "é", "\u{3000}", " ", "1", "'s", "\n", "。"]
        var random = BacktrackingEncoderTests.Random(state: 31)
        var found = 0
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<(1 + random.next(12)) {
                text += before[random.next(before.count)] + "\n" + after[random.next(after.count)] + before[random.next(before.count)]
            }
            let label = text.debugDescription
            try text.withUTF8 { utf8 in
                var starts = Set<Int>()
                try matcher.split(utf8) { starts.insert($0.lowerBound) }
                for q in 1..<utf8.count {
                    guard let point = ASCIISplitScanner.forcedResumePoint(utf8.baseAddress!, utf8.count, from: q, to: q + 1) else { continue }
                    #expect(point == q)
                    #expect(starts.contains(point), "\(pattern): \(label) at byte \(point)")
                    found += 1
                }
            }
        }
        #expect(found > 1000)
    }

    /// A real book, cut into parts at forced resume points and by splitting, encodes to its ids either way:
    /// qwen splits first; SmolLM2 cuts digits first, and its forced points fall inside Digits pieces (the
    /// book has a 490k-character stretch without a digit).
    @Test(arguments: ["qwen", "smollm2"])
    func aLongBookEncodesInPartsToItsIDs(_ name: String) throws {
        let path = Fixtures.sharedData.appendingPathComponent("books/books.jsonl").path
        let book = try #require(try ReferenceParityTests.texts(path).values.filter { $0.utf8.count > 500_000 }.sorted { $0.utf8.count > $1.utf8.count }.first)
        let encoder = try Fixtures.tokenizer(name).makeEncoder()
        var text = book
        let expected = try encoder.encode(text)
        let matcher = try #require(encoder.steps.prefix(2).lazy.compactMap { step -> SplitPattern.Matcher? in
            if case let .split(matcher) = step { matcher } else { nil }
        }.first)
        for forced in [true, false] {
            try text.withUTF8 { utf8 in
                matcher.usesForcedResumePoints = forced
                let parts = try encoder.independentParts(of: utf8, every: 64 << 10)
                #expect(parts.count > (forced ? 20 : 1), "\(name), forced resume points: \(forced)")
                var ids: [UInt32] = []
                for part in parts { try encoder.encode(utf8: utf8, part: part, into: &ids) }
                #expect(ids == expected, "\(name), forced resume points: \(forced)")
            }
        }
    }

    @Test func aShortTextIsOnePart() throws {
        let qwen = try Fixtures.tokenizer("qwen")
        var text = "short text"
        let parts = try text.withUTF8 { try qwen.makeEncoder().independentParts(of: $0, every: 100) }
        #expect(parts == [0..<10])
    }
}
