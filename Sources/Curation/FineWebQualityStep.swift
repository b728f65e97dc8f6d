import Corpus

/// FineWeb's quality rules with the semantics, order, defaults and drop reasons of datatrove 0.10.1's
/// `FineWebQualityFilter`: share of lines ending in terminal punctuation, share of short lines, characters in
/// duplicated lines, and newlines per word (list-like documents).
public final class FineWebQualityStep: Step {
    public static let definition = StepDefinition(
        name: "fineweb_quality", summary: "FineWeb rules (datatrove FineWebQualityFilter): line punctuation, short lines, duplicate line characters, list-like text"
    ) { (options) throws(ConfigError) in
        let language = try FilterLanguage.read(options)
        var t = Thresholds.defaults(for: language)
        t.linePunctThr = try options.double("line_punct_thr", range: 0...1) ?? t.linePunctThr
        t.linePunctExcludeZero = try options.bool("line_punct_exclude_zero") ?? t.linePunctExcludeZero
        if let chars = try options.strings("stop_chars") {
            guard chars.allSatisfy({ $0.unicodeScalars.count == 1 }) else {
                throw options.error("stop_chars", "expected single characters, e.g. ['.', '!', '?']")
            }
            t.stopChars = Set(chars.map { $0.unicodeScalars.first!.value })
        }
        t.shortLineThr = try options.double("short_line_thr", range: 0...1) ?? t.shortLineThr
        t.shortLineLength = try options.int("short_line_length", range: 0...Int.max) ?? t.shortLineLength
        t.charDuplicatesRatio = try options.double("char_duplicates_ratio", range: 0...1) ?? t.charDuplicatesRatio
        t.newLineRatio = try options.double("new_line_ratio", range: 0...Double.greatestFiniteMagnitude) ?? t.newLineRatio
        let thresholds = t
        return FreshStepFactory(versionedName: "fineweb-quality-v1") { FineWebQualityStep(thresholds, language: language) }
    }

    public struct Thresholds: Sendable, Equatable {
        public var linePunctThr = 0.12
        public var linePunctExcludeZero = false
        /// Characters that end a "punctuated" line; nil means datatrove's `TERMINAL_PUNCTUATION`.
        public var stopChars: Set<UInt32>? = nil
        public var shortLineThr = 0.67
        public var shortLineLength = 30
        public var charDuplicatesRatio = 0.01
        public var newLineRatio = 0.3

        public init() {}

        /// datatrove's defaults for English. For Chinese a line of 30 characters holds about twice the text of an
        /// English one, so a short line is one of at most 15 characters; the other thresholds are kept (the
        /// newline-per-word ratio is lower for Chinese since every character is a word, which only makes the
        /// list rule more lenient).
        public static func defaults(for language: FilterLanguage) -> Thresholds {
            var t = Thresholds()
            if language == .zh { t.shortLineLength = 15 }
            return t
        }
    }

    public let thresholds: Thresholds
    public let language: FilterLanguage
    private let counter = RepetitionCounter()
    private var wordScratch: [Range<Int>] = []

    public init(_ thresholds: Thresholds? = nil, language: FilterLanguage = .en) {
        self.thresholds = thresholds ?? .defaults(for: language)
        self.language = language
    }

    public func process(_ document: inout Document) -> Verdict {
        let text = AnalyzedText.of(&document)
        return text.scalars.withUnsafeBufferPointer { s in judge(s, text) }
    }

    private func judge(_ s: UnsafeBufferPointer<UInt32>, _ text: AnalyzedText) -> Verdict {
        let t = thresholds
        // lines = [l for l in text.split("\n") if l.strip() != ""]
        var lines: [Range<Int>] = []
        var newlines = 0
        var start = 0
        for i in 0...s.count where i == s.count || s[i] == 0x0A {
            if i < s.count { newlines += 1 }
            let line = start..<i
            if !ScalarText.strip(s, line).isEmpty { lines.append(line) }
            start = i + 1
        }
        guard !lines.isEmpty else { return .drop(.empty) }
        let lineCount = Double(lines.count)

        var punctuated = 0
        for line in lines {
            let last = s[line.upperBound - 1]
            if t.stopChars.map({ $0.contains(last) }) ?? CharacterClasses.isTerminalPunctuation(last) {
                punctuated += 1
            }
        }
        let punctRatio = Double(punctuated) / lineCount
        if punctRatio < t.linePunctThr && !(punctRatio == 0 && t.linePunctExcludeZero) { return .drop(.linePunctRatio) }

        let short = lines.reduce(0) { $0 + ($1.count <= t.shortLineLength ? 1 : 0) }
        if Double(short) / lineCount > t.shortLineThr { return .drop(.shortLineRatio) }

        let duplicateChars = counter.duplicates(s, lines).chars
        if Double(duplicateChars) / Double(s.count - newlines) > t.charDuplicatesRatio { return .drop(.charDupRatio) }

        // The ratio only falls as words are counted: once it is within the bound, the rest need no counting.
        let passes = { (words: Int) in Double(newlines) / Double(max(words, 1)) <= t.newLineRatio }
        let words = text.knownWordCount(language)
            ?? language.countWords(s, 0..<s.count, scratch: &wordScratch, until: passes)
        if !passes(words) { return .drop(.listRatio) }
        return .keep
    }
}

extension DropReason {
    public static let linePunctRatio = DropReason("line_punct_ratio")
    public static let shortLineRatio = DropReason("short_line_ratio")
    public static let charDupRatio = DropReason("char_dup_ratio")
    public static let listRatio = DropReason("list_ratio")
}
