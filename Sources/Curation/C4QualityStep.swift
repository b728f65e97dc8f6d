import Corpus

/// C4's rules (Raffel et al. 2020) with the semantics, order, defaults and drop reasons of datatrove 0.10.1's
/// `C4QualityFilter` (line mode, `split_paragraph=True`).
///
/// Like datatrove's filter this step **edits the text** of the documents it keeps: lines with a word over
/// `max_word_length` characters, without terminal punctuation, with fewer than `min_words_per_line` words, or
/// mentioning javascript or a cookie/terms policy are removed; Wikipedia citation marks (`[1]`, `[edit]`,
/// `[citation needed]`) are deleted; lines are stripped and joined with `\n`. It drops the whole document for
/// "lorem ipsum" (`lorem_ipsum`), a curly bracket (`curly_bracket`) in a kept line, or fewer than
/// `min_num_sentences` sentences in the kept lines (`too_few_sentences`, sentences as spaCy's sentencizer finds
/// them). The text is only replaced when an edit changed it.
public final class C4QualityStep: Step, Sendable {
    public static let definition = StepDefinition(
        name: "c4_quality", summary: "C4 rules (datatrove C4QualityFilter): keep lines that end in punctuation, drop lorem ipsum, curly brackets, too few sentences; edits the text"
    ) { (options) throws(ConfigError) in
        let language = try FilterLanguage.read(options)
        var c = Configuration.defaults(for: language)
        c.removeCitations = try options.bool("remove_citations") ?? c.removeCitations
        c.filterNoTerminalPunct = try options.bool("filter_no_terminal_punct") ?? c.filterNoTerminalPunct
        c.minNumSentences = try options.int("min_num_sentences", range: -1...Int.max) ?? c.minNumSentences
        c.minWordsPerLine = try options.int("min_words_per_line", range: -1...Int.max) ?? c.minWordsPerLine
        c.maxWordLength = try options.int("max_word_length", range: -1...Int.max) ?? c.maxWordLength
        c.filterLoremIpsum = try options.bool("filter_lorem_ipsum") ?? c.filterLoremIpsum
        c.filterJavascript = try options.bool("filter_javascript") ?? c.filterJavascript
        c.filterCurlyBracket = try options.bool("filter_curly_bracket") ?? c.filterCurlyBracket
        c.filterPolicy = try options.bool("filter_policy") ?? c.filterPolicy
        return SharedStepFactory(versionedName: "c4-quality-v1", step: C4QualityStep(c, language: language))
    }

    /// datatrove's options; -1 switches a count rule off.
    public struct Configuration: Sendable, Equatable {
        public var removeCitations = true
        public var filterNoTerminalPunct = true
        public var minNumSentences = 5
        public var minWordsPerLine = 3
        public var maxWordLength = 1000
        public var filterLoremIpsum = true
        public var filterJavascript = true
        public var filterCurlyBracket = true
        public var filterPolicy = true

        public init() {}

        /// datatrove's defaults for English. For Chinese the same rules, with two changes that datatrove's
        /// whitespace-based line rules need: lines may also end in `。！？”」`, and words per line are counted
        /// with the Chinese segmentation (each character a word) instead of `str.split()`.
        public static func defaults(for language: FilterLanguage) -> Configuration { Configuration() }
    }

    public let configuration: Configuration
    public let language: FilterLanguage

    public init(_ configuration: Configuration = Configuration(), language: FilterLanguage = .en) {
        self.configuration = configuration
        self.language = language
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = AnalyzedText.of(&document)
        let result = text.scalars.withUnsafeBufferPointer { s in judge(s) }
        switch result {
        case let .drop(reason):
            return .drop(reason)
        case let .keep(lines):
            var joined: [UInt32] = []
            joined.reserveCapacity(text.scalars.count)
            for (k, line) in lines.enumerated() {
                if k > 0 { joined.append(0x0A) }
                joined.append(contentsOf: line)
            }
            // "\n".join(kept_lines).strip(): lines are stripped, so only an empty first/last line can leave space.
            let trimmed = joined.withUnsafeBufferPointer { ScalarText.strip($0, 0..<$0.count) }
            let final = trimmed.count == joined.count ? joined : Array(joined[trimmed])
            if final != text.scalars {
                // Straight to UTF-8: appending scalars to a String one by one was 15% of the filter chain.
                var utf8: [UInt8] = []
                utf8.reserveCapacity(final.count + final.count / 2)
                for c in final { ScalarText.appendUTF8(c, to: &utf8) }
                document.text = String(decoding: utf8, as: UTF8.self)
                document.textDerivations = AnalyzedText(scalars: final)
            }
            return .keep
        }
    }

    private enum Outcome {
        case keep([[UInt32]])
        case drop(DropReason)
    }

    /// datatrove's `TERMINAL_PUNCTUATION` (`. ? ! " '`); for Chinese also `。！？”」`. A switch, not a static
    /// `Set`: the set was hashed, and its lazy initialisation checked, on every line.
    @inline(__always)
    static func isTerminal(_ c: UInt32, chinese: Bool) -> Bool {
        switch c {
        case 0x2E, 0x3F, 0x21, 0x22, 0x27: return true
        case 0x3002, 0xFF01, 0xFF1F, 0x201D, 0x300D: return chinese
        default: return false
        }
    }
    /// C4's `filter_no_terminal_punct`: the line ends with terminal punctuation, and not with "...".
    @inline(__always)
    static func endsASentence(_ s: UnsafeBufferPointer<UInt32>, _ line: Range<Int>, chinese: Bool) -> Bool {
        guard let last = line.isEmpty ? nil : s[line.upperBound - 1], isTerminal(last, chinese: chinese) else { return false }
        return !(line.count >= 3 && s[line.upperBound - 3] == 0x2E && s[line.upperBound - 2] == 0x2E && last == 0x2E)
    }

    private static let lorem = Array("lorem ipsum".utf8).map(UInt32.init)
    private static let javascript = Array("javascript".utf8).map(UInt32.init)
    private static let policies = ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"]
        .map { Array($0.utf8).map(UInt32.init) }

    private func judge(_ s: UnsafeBufferPointer<UInt32>) -> Outcome {
        let c = configuration
        var sentences = 0
        var kept: [[UInt32]] = []
        var tokens: [Range<Int>] = []
        for rawLine in ScalarText.splitLines(s, 0..<s.count) {
            let line = ScalarText.strip(s, rawLine)
            // Terminal punctuation first, on the line itself, when removing citations cannot change its last
            // three characters (a citation is bracketed text ending in "]"): most lines stop here, before
            // their words are counted or their text copied. Every check before the phrase rules only skips
            // the line, so their order does not change the verdict.
            let readsEndsFromLine = c.filterNoTerminalPunct
                && (!c.removeCitations || !s[max(line.lowerBound, line.upperBound - 3)..<line.upperBound].contains(0x5D))
            if readsEndsFromLine && !Self.endsASentence(s, line, chinese: language == .zh) { continue }
            // words = line.split(): count them and find the longest. Only "fewer than min_words_per_line"
            // matters of the count, and no word is longer than a line: a line no longer than
            // max_word_length stops being read at its min_words_per_line-th word.
            var wordCount = 0
            var longest = 0
            let countsAll = c.maxWordLength != -1 && line.count > c.maxWordLength
            var i = line.lowerBound
            while i < line.upperBound && (countsAll || wordCount < c.minWordsPerLine) {
                while i < line.upperBound && CharacterClasses.isSpace(s[i]) { i += 1 }
                guard i < line.upperBound else { break }
                let start = i
                while i < line.upperBound && !CharacterClasses.isSpace(s[i]) { i += 1 }
                wordCount += 1
                longest = max(longest, i - start)
            }
            if c.maxWordLength != -1 && longest > c.maxWordLength { continue }
            let text = c.removeCitations ? Self.removingCitations(s, line) : Array(s[line])
            if c.filterNoTerminalPunct && !readsEndsFromLine
                && !text.withUnsafeBufferPointer({ Self.endsASentence($0, 0..<$0.count, chinese: language == .zh) }) { continue }
            if language == .zh {
                tokens.removeAll(keepingCapacity: true)
                text.withUnsafeBufferPointer { language.words($0, 0..<$0.count, into: &tokens) }
                wordCount = tokens.count
            }
            if wordCount < c.minWordsPerLine { continue }
            let found = (c.filterLoremIpsum || c.filterJavascript || c.filterPolicy)
                ? text.withUnsafeBufferPointer(Self.phrasesFound) : PhrasesFound()
            if c.filterLoremIpsum && found.contains(.lorem) { return .drop(.loremIpsum) }
            if c.filterJavascript && found.contains(.javascript) { continue }
            if c.filterCurlyBracket && text.contains(0x7B) { return .drop(.curlyBracket) }
            if c.filterPolicy && found.contains(.policy) { continue }
            // Only "at least min_num_sentences" matters: once reached, later lines need no counting.
            if c.minNumSentences != -1 && sentences < c.minNumSentences {
                sentences += text.withUnsafeBufferPointer { SentenceCounter.count($0, language: language, tokens: &tokens) }
            }
            kept.append(text)
        }
        if sentences < c.minNumSentences { return .drop(.tooFewSentences) }
        return .keep(kept)
    }

    /// The character as `str.lower()` would make it, for matching ASCII phrases: A–Z and the Kelvin sign become
    /// ASCII lowercase; `İ` (which lowers to two characters) and everything else never match an ASCII letter.
    @inline(__always)
    private static func lowerForMatching(_ c: UInt32) -> UInt32 {
        if c >= 0x41 && c <= 0x5A { return c | 0x20 }
        if c == 0x212A { return 0x6B }
        return c
    }

    struct PhrasesFound: OptionSet {
        let rawValue: UInt8
        static let lorem = PhrasesFound(rawValue: 1)
        static let javascript = PhrasesFound(rawValue: 2)
        static let policy = PhrasesFound(rawValue: 4)
    }

    /// Which phrases `line.lower()` contains, in one pass: each position is tried only against the
    /// phrases that start with its letter (it was one pass per phrase, eight per line).
    static func phrasesFound(_ line: UnsafeBufferPointer<UInt32>) -> PhrasesFound {
        var found = PhrasesFound()
        // Read once per line: each read of a lazily made static is a `swift_once` call, and the letters
        // that start a phrase (c, j, l, p, t, u) are a fifth of English text.
        let (lorem, javascript, policies) = (Self.lorem, Self.javascript, Self.policies)
        for at in line.indices where at &+ 1 < line.count && mayStartPhrase(line[at], line[at &+ 1]) {
            switch lowerForMatching(line[at]) {
            case 0x6C: if matches(line, at, lorem) { found.insert(.lorem) }
            case 0x6A: if matches(line, at, javascript) { found.insert(.javascript) }
            case 0x74, 0x70, 0x63, 0x75:
                guard !found.contains(.policy) else { break }
                let first = lowerForMatching(line[at])
                for phrase in policies where phrase[0] == first && matches(line, at, phrase) {
                    found.insert(.policy)
                    break
                }
            default: break
            }
        }
        return found
    }

    /// Whether two characters can begin a phrase: "lo", "ja", "te", "pr", "co" or "us" in any case (every
    /// phrase is at least two letters, and its first two are plain ASCII letters, which `| 0x20` lowers).
    /// Most positions stop here; a phrase's first letter alone is a fifth of English text.
    /// One vector compare and one branch: as a chain of compares, every letter of the text went down
    /// a different path and the branches were mispredicted (a fifth of `phrasesFound` in `perf`).
    @inline(__always)
    private static func mayStartPhrase(_ a: UInt32, _ b: UInt32) -> Bool {
        let key = SIMD8<UInt32>(repeating: (a | 0x20) &<< 8 | (b | 0x20))
        return any(key .== SIMD8<UInt32>(0x6C6F, 0x6A61, 0x7465, 0x7072, 0x636F, 0x7573, 0x7573, 0x7573))
    }

    /// Whether `line.lower()` has `phrase` (ASCII lowercase) at `at`.
    @inline(__always)
    private static func matches(_ line: UnsafeBufferPointer<UInt32>, _ at: Int, _ phrase: [UInt32]) -> Bool {
        guard at + phrase.count <= line.count else { return false }
        for (k, c) in phrase.enumerated() where lowerForMatching(line[at + k]) != c { return false }
        return true
    }

    /// Deletes `\[\d*]`, `[edit]` and `[citation needed]` (Python `re`, where `\d` is any decimal digit).
    static func removingCitations(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [UInt32] {
        // The text between citations is copied a run at a time (a character at a time was 15% of this step).
        var out: [UInt32] = []
        out.reserveCapacity(range.count)
        var run = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            if s[i] == 0x5B, let end = citationEnd(s, i, range.upperBound) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<i]))
                i = end
                run = end
                continue
            }
            i += 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<range.upperBound]))
        return out
    }

    private static let edit = Array("edit]".utf8).map(UInt32.init)
    private static let citationNeeded = Array("citation needed]".utf8).map(UInt32.init)

    private static func citationEnd(_ s: UnsafeBufferPointer<UInt32>, _ open: Int, _ end: Int) -> Int? {
        var i = open + 1
        while i < end && isDecimalDigit(s[i]) { i += 1 }
        if i < end && s[i] == 0x5D { return i + 1 }
        for word in [edit, citationNeeded] where open + 1 + word.count <= end && ScalarText.matches(s, open + 1, word) {
            return open + 1 + word.count
        }
        return nil
    }

    private static func isDecimalDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        return Unicode.Scalar(c)?.properties.generalCategory == .decimalNumber
    }
}

extension DropReason {
    public static let loremIpsum = DropReason("lorem_ipsum")
    public static let curlyBracket = DropReason("curly_bracket")
    public static let tooFewSentences = DropReason("too_few_sentences")
}
