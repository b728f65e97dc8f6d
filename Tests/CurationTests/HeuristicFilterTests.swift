import Corpus
@testable import Curation
import Testing

/// Hand-made documents for each rule of the four heuristic filters, at and around their thresholds.
@Suite("heuristic filters")
struct HeuristicFilterTests {
    /// `count` words of `length` letters, with the two stop words Gopher needs.
    static func prose(_ count: Int, length: Int = 4) -> String {
        (["the", "and"] + (0..<(count - 2)).map { String(repeating: "abcdefghijklmnopqrstuvwxyz".map { $0 }[$0 % 26], count: length) })
            .joined(separator: " ")
    }

    @Test func gopherWordCountBoundaries() {
        let step = GopherQualityStep()
        #expect(outcome(step, text(Self.prose(49))) == "gopher_short_doc")
        #expect(outcome(step, text(Self.prose(50))) == "keep")
        // Punctuation-only words do not count towards the 50.
        #expect(outcome(step, text(Self.prose(49) + " ... ; !")) == "gopher_short_doc")
        let long = GopherQualityStep(.init(maxDocWords: 60))
        #expect(outcome(long, text(Self.prose(60))) == "keep")
        #expect(outcome(long, text(Self.prose(61))) == "gopher_long_doc")
    }

    /// The literal bitmap of ASCII characters that end a unit or currency symbol is the unit list's.
    @Test func unitEndBitmapMatchesTheUnitList() {
        var low: UInt64 = 0, high: UInt64 = 0
        for unit in EnglishWordTokenizer.unitScalars where unit.last! < 0x80 {
            let c = UInt64(unit.last!)
            if c < 64 { low |= 1 << c } else { high |= 1 << (c - 64) }
        }
        #expect(low == EnglishWordTokenizer.unitEndsLow && high == EnglishWordTokenizer.unitEndsHigh)
        for c in UInt32(0)..<0x80 {
            #expect(EnglishWordTokenizer.endsAUnit(c) == EnglishWordTokenizer.unitScalars.contains { $0.last == c }, "\(c)")
        }
    }

    @Test func gopherWordLength() {
        let step = GopherQualityStep(.init(minStopWords: nil))
        #expect(outcome(step, text(Array(repeating: "ab", count: 60).joined(separator: " "))) == "gopher_below_avg_threshold")
        #expect(outcome(step, text(Array(repeating: "abc", count: 60).joined(separator: " "))) == "keep")
        #expect(outcome(step, text(Array(repeating: "abcdefghij", count: 60).joined(separator: " "))) == "keep")
        #expect(outcome(step, text(Array(repeating: "abcdefghijk", count: 60).joined(separator: " "))) == "gopher_above_avg_threshold")
    }

    /// The eight-at-a-time count against Python's str.count, on random runs of '#', '.', '…' and letters
    /// (runs of dots across every block boundary).
    @Test func hashAndEllipsisCountsAreStrCounts() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["#", ".", ".", ".", "…", "a", "b", " "]
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...60, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            var expectedEllipses = text.filter { $0 == "…" }.count
            var rest = Substring(text)
            while let range = rest.range(of: "...") {
                expectedEllipses += 1
                rest = rest[range.upperBound...]
            }
            let scalars = text.unicodeScalars.map(\.value)
            let counts = scalars.withUnsafeBufferPointer { GopherQualityStep.hashesAndEllipses($0) }
            #expect(counts.hashes == text.filter { $0 == "#" }.count, "\(text)")
            #expect(counts.ellipses == expectedEllipses, "\(text)")
        }
    }

    @Test func gopherSymbolsBulletsEllipsisAlphaStopWords() {
        let step = GopherQualityStep()
        let base = Self.prose(100)  // 100 words
        #expect(outcome(step, text(base + " #tag")) == "keep")
        #expect(outcome(step, text(base + String(repeating: " #", count: 12))) == "gopher_too_many_hashes")
        #expect(outcome(step, text(base + String(repeating: " wait...", count: 15))) == "gopher_too_many_ellipsis")
        // "..." is counted as str.count counts it, without overlaps: "....." once, "......" twice.
        #expect(outcome(step, text(base + String(repeating: " x.....", count: 12) + " end.")) == "keep")
        #expect(outcome(step, text(base + String(repeating: " x......", count: 12) + " end.")) == "gopher_too_many_ellipsis")
        #expect(outcome(step, text(base + String(repeating: " x…#", count: 6) + " end.")) == "keep")
        #expect(outcome(step, text(base + String(repeating: " x……", count: 6) + " end.")) == "gopher_too_many_ellipsis")
        let bullets = (0..<10).map { _ in "- " + Self.prose(10) }.joined(separator: "\n")
        #expect(outcome(step, text(bullets)) == "gopher_too_many_bullets")
        let ending = (0..<10).map { Self.prose(10) + ($0 < 4 ? " …" : ".") }.joined(separator: "\n")
        #expect(outcome(step, text(ending)) == "gopher_too_many_end_ellipsis")
        #expect(outcome(step, text(base + String(repeating: " 42", count: 30))) == "gopher_below_alpha_threshold")
        #expect(outcome(step, text(base.replacingOccurrences(of: "the ", with: "thee "))) == "gopher_enough_stop_words")
        // Stop words are matched case-sensitively, as datatrove does.
        #expect(outcome(step, text(base.replacingOccurrences(of: "the ", with: "The "))) == "gopher_enough_stop_words")
    }

    @Test func repetitionRules() {
        let step = GopherRepetitionStep()
        #expect(outcome(step, text("")) == "empty")
        let unique = (0..<10).map { n in ["a", "b", "c", "d", "e", "f"].map { "w\(n)\($0)" }.joined(separator: " ") + "." }
        #expect(outcome(step, text(unique.joined(separator: "\n"))) == "keep")
        #expect(outcome(step, text((unique + Array(repeating: unique[0], count: 5)).joined(separator: "\n\n"))) == "dup_para_frac")
        #expect(outcome(step, text((unique + Array(repeating: unique[0], count: 5)).joined(separator: "\n"))) == "dup_line_frac")
        let repeated = Array(repeating: "buy cheap pills", count: 30).joined(separator: " ")
        #expect(outcome(step, text(repeated)) == "top_2_gram")
    }

    /// datatrove's CITATION_REGEX (`\[\d*]|\[edit]|\[citation needed]`) removed wherever it occurs; other
    /// brackets stay.
    @Test func c4CitationsAreRemovedAnywhereInALine() {
        let cases = [
            ("[1]a[edit]b[citation needed][x]c[2", "ab[x]c[2"),
            ("no citations at all", "no citations at all"),
            ("end[12]", "end"),
            ("[][[3]]", "[]"),
            ("[citation needed", "[citation needed"),
        ]
        for (line, expected) in cases {
            let scalars = line.unicodeScalars.map(\.value)
            let out = scalars.withUnsafeBufferPointer { C4QualityStep.removingCitations($0, 0..<$0.count) }
            #expect(String(String.UnicodeScalarView(out.compactMap(Unicode.Scalar.init))) == expected, "\(line)")
        }
    }

    @Test func c4RulesAndLineEdits() throws {
        let step = C4QualityStep()
        let sentences = (0..<5).map { "This is sentence number \($0) of the page." }
        var document = text((["Menu", "Home | About"] + sentences + ["Some text [1] with a citation."]).joined(separator: "\n"))
        #expect(verdict(step, document) == .keep)
        _ = step.process(&document)
        #expect(document.text == (sentences + ["Some text  with a citation."]).joined(separator: "\n"))
        #expect(outcome(step, text(sentences.dropLast().joined(separator: "\n"))) == "too_few_sentences")
        #expect(outcome(step, text((sentences + ["Lorem ipsum dolor sit amet."]).joined(separator: "\n"))) == "lorem_ipsum")
        #expect(outcome(step, text((sentences + ["Code looks like { this }."]).joined(separator: "\n"))) == "curly_bracket")
        // A curly bracket on a removed line does not count.
        var braces = text((sentences + ["{ no punctuation"]).joined(separator: "\n"))
        #expect(step.process(&braces) == .keep)
        var policy = text((sentences + ["This site uses cookies to work."]).joined(separator: "\n"))
        _ = step.process(&policy)
        #expect(policy.text == sentences.joined(separator: "\n"))
        // Several sentences on one line count separately.
        #expect(outcome(step, text("One is here. Two is here. Three is here. Four is here. Five is here.")) == "keep")
        // An unchanged text is not replaced.
        var same = try record(#"{"id":"r","text":"This is one. This is two. This is three.\nThis is four. This is five."}"#)
        _ = step.process(&same)
        #expect(!same.isModified)
    }

    @Test func finewebRules() {
        let step = FineWebQualityStep()
        #expect(outcome(step, text(" \n\n ")) == "empty")
        let good = (0..<10).map { "This line \($0) is long enough and it ends with a period." }
        #expect(outcome(step, text(good.joined(separator: "\n"))) == "keep")
        #expect(outcome(step, text(good.map { String($0.dropLast()) }.joined(separator: "\n"))) == "line_punct_ratio")
        #expect(outcome(step, text((good + Array(repeating: "Short.", count: 30)).joined(separator: "\n"))) == "short_line_ratio")
        #expect(outcome(step, text((good + [good[0]]).joined(separator: "\n"))) == "char_dup_ratio")
        let list = (0..<10).map { "Item \($0) of this list is a longer line." }
        #expect(outcome(step, text(list.joined(separator: "\n\n\n\n"))) == "list_ratio")
    }

    @Test func badInputGivesDefinedVerdicts() {
        let steps: [any Step] = [GopherQualityStep(), GopherRepetitionStep(), C4QualityStep(), FineWebQualityStep(),
                                 GopherQualityStep(.init(minDocWords: nil)), GopherQualityStep(language: .zh),
                                 GopherRepetitionStep(language: .zh), C4QualityStep(language: .zh), FineWebQualityStep(language: .zh)]
        let huge = String(repeating: "word ", count: 100_000)  // one 500 kB line
        for input in ["", "   \n\t ", "!!! ... ??? ---", "\u{2028}\u{85}\r\n", "日本語 and 中文。", huge, String(repeating: "x", count: 500_000)] {
            for step in steps {
                var document = text(input)
                _ = step.process(&document)  // never crashes
            }
        }
        #expect(outcome(GopherQualityStep(), text("")) == "gopher_short_doc")
        #expect(outcome(GopherQualityStep(.init(minDocWords: nil)), text("")) == "gopher_short_doc")
        #expect(outcome(C4QualityStep(), text("")) == "too_few_sentences")
        #expect(outcome(FineWebQualityStep(), text("!!! ... ???")) == "short_line_ratio")
        #expect(outcome(C4QualityStep(), text(huge)) == "too_few_sentences")
    }

    @Test func chineseDefaults() {
        let paragraph = "我们的研究表明，这种方法在大多数情况下都是有效的。它可以用于不同的领域，并且已经被很多人使用了。"
        let document = text(paragraph + "\n" + paragraph.replacingOccurrences(of: "研究", with: "实验"))
        #expect(outcome(GopherQualityStep(language: .zh), document) == "keep")
        #expect(outcome(GopherQualityStep(language: .en), document) == "gopher_short_doc")
        let spam = text(String(repeating: "澳门赌场在线", count: 40))
        #expect(outcome(GopherRepetitionStep(language: .zh), spam) != "keep")
    }

    @Test func buildsFromYAMLOptions() throws {
        let (factory, step) = try build(GopherQualityStep.definition, mapping(
            ("min_doc_words", scalar("10")), ("max_symbol_word_ratio", .null(nil)), ("stop_words", sequence(scalar("a")))))
        #expect(factory.versionedName == "gopher-quality-v1")
        let gopher = try #require(step as? GopherQualityStep)
        #expect(gopher.thresholds.minDocWords == 10 && gopher.thresholds.maxSymbolWordRatio == nil)
        let (_, repetition) = try build(GopherRepetitionStep.definition, mapping(
            ("top_n_grams", mapping(("2", scalar("0.5")))), ("dup_n_grams", .null(nil))))
        #expect((repetition as? GopherRepetitionStep)?.thresholds.topNGrams == [.init(n: 2, maxFraction: 0.5)])
        #expect((repetition as? GopherRepetitionStep)?.thresholds.dupNGrams == [])
        let (_, c4) = try build(C4QualityStep.definition, mapping(("min_num_sentences", scalar("-1")), ("language", scalar("zh"))))
        #expect((c4 as? C4QualityStep)?.configuration.minNumSentences == -1)
        #expect((c4 as? C4QualityStep)?.language == .zh)
        let (_, fineweb) = try build(FineWebQualityStep.definition, mapping(("stop_chars", sequence(scalar("."), scalar("!")))))
        #expect((fineweb as? FineWebQualityStep)?.thresholds.stopChars == [0x2E, 0x21])
        #expect(buildError(FineWebQualityStep.definition, mapping(("stop_chars", sequence(scalar("..")))))?.keyPath == "steps[0].stop_chars")
        #expect(buildError(C4QualityStep.definition, mapping(("language", scalar("fr"))))?.keyPath == "steps[0].language")
        #expect(buildError(GopherQualityStep.definition, mapping(("min_doc_word", scalar("3"))))?.message.contains("min_doc_words") == true)
    }
}
