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

    @Test func aShortTextIsOnePart() throws {
        let qwen = try Fixtures.tokenizer("qwen")
        var text = "short text"
        let parts = try text.withUTF8 { try qwen.makeEncoder().independentParts(of: $0, every: 100) }
        #expect(parts == [0..<10])
    }
}
