import Testing
import Corpus
import Curation

@Suite("length step")
struct LengthStepTests {
    @Test func charactersAreUnicodeScalars() {
        // 4 Chinese characters are 12 UTF-8 bytes; 😀 is 1 scalar (4 bytes); 👍🏽 is 2 scalars; é as e + U+0301 is 2.
        #expect(TextMeasures.characterCount("你好世界") == 4)
        #expect(TextMeasures.characterCount("😀") == 1)
        #expect(TextMeasures.characterCount("👍🏽") == 2)
        #expect(TextMeasures.characterCount("e\u{301}") == 2)
        #expect(TextMeasures.characterCount("") == 0)
        #expect(TextMeasures.characterCount("a b\n") == 4)
    }

    @Test func minAndMaxCharacters() {
        let step = LengthStep(minCharacters: 4, maxCharacters: 6)
        #expect(outcome(step, text("你好世")) == "too_few_characters")  // 3 chars, 9 bytes
        #expect(outcome(step, text("你好世界")) == "keep")             // 4 chars
        #expect(outcome(step, text("😀😀😀😀😀😀")) == "keep")         // 6 chars, 24 bytes
        #expect(outcome(step, text("😀😀😀😀😀😀😀")) == "too_many_characters")
        #expect(outcome(step, text("abc")) == "too_few_characters")
        #expect(outcome(step, text("abcdefg")) == "too_many_characters")
        #expect(outcome(step, text("")) == "too_few_characters")
        #expect(outcome(step, text("👍🏽👍🏽👍🏽")) == "keep")            // 6 scalars, 3 graphemes
        #expect(outcome(step, text("👍🏽👍🏽")) == "keep")              // 4 scalars
        #expect(outcome(LengthStep(maxCharacters: 3), text("👍🏽👍🏽")) == "too_many_characters")
    }

    @Test func wordsCountEachCJKCharacter() {
        #expect(TextMeasures.wordCount("hello world") == 2)
        #expect(TextMeasures.wordCount("  hello\n\tworld  ") == 2)
        #expect(TextMeasures.wordCount("你好世界") == 4)
        #expect(TextMeasures.wordCount("hello 世界") == 3)
        #expect(TextMeasures.wordCount("abc世界def") == 4)          // abc, 世, 界, def
        #expect(TextMeasures.wordCount("日本語のテキスト") == 8)       // kanji and kana
        #expect(TextMeasures.wordCount("한국어 텍스트") == 6)          // each hangul syllable
        #expect(TextMeasures.wordCount("😀 😀😀") == 2)               // emoji are not CJK
        #expect(TextMeasures.wordCount("") == 0)
        #expect(TextMeasures.wordCount("a\u{3000}b") == 2)          // the ideographic space separates words
    }

    @Test func minAndMaxWords() {
        let step = LengthStep(minWords: 3, maxWords: 5)
        #expect(outcome(step, text("two words")) == "too_few_words")
        #expect(outcome(step, text("three words here")) == "keep")
        #expect(outcome(step, text("one two three four five six")) == "too_many_words")
        #expect(outcome(step, text("你好")) == "too_few_words")
        #expect(outcome(step, text("你好世")) == "keep")
        #expect(outcome(step, text("你好世界再见")) == "too_many_words")
        #expect(outcome(step, text("hi 世界")) == "keep")
    }

    @Test func boundsAreInclusiveAndOptional() {
        #expect(outcome(LengthStep(), text("")) == "keep")
        #expect(outcome(LengthStep(minCharacters: 0), text("")) == "keep")
        #expect(outcome(LengthStep(minCharacters: 5, maxCharacters: 5), text("12345")) == "keep")
        #expect(outcome(LengthStep(minWords: 1, maxWords: 1), text("one")) == "keep")
        #expect(outcome(LengthStep(maxWords: 0), text(" \n ")) == "keep")
    }

    @Test func charactersAreCheckedBeforeWords() {
        let step = LengthStep(minCharacters: 10, minWords: 5)
        #expect(outcome(step, text("short")) == "too_few_characters")
        #expect(outcome(step, text("long enough text")) == "too_few_words")
        #expect(outcome(step, text("five words are in here")) == "keep")
    }

    @Test func readsTextFromRecordsAndNeverChangesThem() throws {
        let document = try record(#"{"id":"r","text":"\u4f60\u597d \ud83d\ude00","x":1}"#)
        var copy = document
        #expect(LengthStep(minCharacters: 4, maxCharacters: 4, minWords: 3, maxWords: 3).process(&copy) == .keep)
        #expect(!copy.isModified)
    }

    @Test func buildsFromConfig() throws {
        let (factory, step) = try build(LengthStep.definition, mapping(
            ("min_characters", scalar("3")), ("max_characters", scalar("1_000")),
            ("min_words", scalar("2")), ("max_words", scalar("100"))))
        #expect(factory.versionedName == "length-v1")
        #expect(LengthStep.definition.name == "length")
        let length = try #require(step as? LengthStep)
        #expect(length.minCharacters == 3 && length.maxCharacters == 1000)
        #expect(length.minWords == 2 && length.maxWords == 100)
        #expect(outcome(step, text("ab")) == "too_few_characters")
        #expect(outcome(step, text("abcdef")) == "too_few_words")
        #expect(outcome(step, text("abc def")) == "keep")
        // No options: keeps everything.
        #expect(outcome(try build(LengthStep.definition, .null(nil)).1, text("")) == "keep")
    }

    @Test func minLargerThanMaxIsRejectedWithTheKeyPath() {
        let chars = buildError(LengthStep.definition, mapping(("min_characters", scalar("10")), ("max_characters", scalar("5"))),
                               keyPath: "steps[2]")
        #expect(chars?.keyPath == "steps[2].min_characters")
        #expect(chars?.message.contains("10 > 5") == true)
        let words = buildError(LengthStep.definition, mapping(("min_words", scalar("7")), ("max_words", scalar("6"))))
        #expect(words?.keyPath == "steps[0].min_words")
        #expect(words?.message.contains("max_words") == true)
        // Equal bounds are fine.
        #expect(buildError(LengthStep.definition, mapping(("min_words", scalar("6")), ("max_words", scalar("6")))) == nil)
    }

    @Test func badOptionsAreRejected() {
        #expect(buildError(LengthStep.definition, mapping(("min_characters", scalar("-1"))))?.keyPath == "steps[0].min_characters")
        #expect(buildError(LengthStep.definition, mapping(("max_words", scalar("many"))))?.keyPath == "steps[0].max_words")
        let typo = buildError(LengthStep.definition, mapping(("min_charactres", scalar("5"))))
        #expect(typo?.keyPath == "steps[0].min_charactres")
        #expect(typo?.message.contains("did you mean 'min_characters'?") == true)
    }

    @Test func everyCurationStepIsRegistered() {
        #expect(CurationSteps.definitions.map(\.name) == [
            "length", "select", "sample", "language", "gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality",
            "exact_dedup", "minhash_dedup", "paragraph_dedup", "decontaminate", "classify", "domain",
        ])
    }
}
