import CXXHash
import Corpus

/// Turns a document into shingle hashes the way datatrove's MinHash does: the text is simplified
/// (`TextSimplifier`), split into words by the spaCy-rule English tokenizer, and every run of `n`
/// consecutive words, joined by single spaces, is hashed with 64-bit XXH64. Documents written mostly in
/// CJK scripts (no spaces between words) are shingled by `n` consecutive characters instead, unless the
/// mode says otherwise. A document with fewer than `n` words (or characters) has no shingles.
/// Simplification and spaCy's rules can be turned off (raw text, split on whitespace: the shingling of
/// the usual `text.split()` MinHash scripts, and of the rensa benchmark).
final class MinHashShingler {
    enum Mode: String, Sendable, CaseIterable {
        /// Words, or characters for text that is mostly CJK.
        case auto
        case words
        case characters
    }

    let wordCount: Int
    let characterCount: Int
    let mode: Mode
    private let simplifier: TextSimplifier
    private var scalars: [UInt32] = []
    private var simplified: [UInt32] = []
    private var words: [Range<Int>] = []
    private var joined: [UInt8] = []
    private var rejoined: [UInt8] = []
    /// Off only in tests, to check the UTF-8 path against the general (scalar) one.
    var takesUTF8Path = true
    private var chunkScalars: [UInt32] = []
    private var chunkOffsets: [Int] = []
    private var chunkWords: [Range<Int>] = []
    private var chunks: [Range<Int>] = []
    private var plainChunks: [Bool] = []
    private var starts: [Int] = []

    /// Apply datatrove's text simplification first (the default); without it, the raw text is shingled.
    let simplifies: Bool
    /// Split words on whitespace only (Python's `split()`), not with spaCy's English rules.
    let splitsOnWhitespaceOnly: Bool

    init(wordCount: Int, characterCount: Int, mode: Mode, simplifies: Bool = true, splitsOnWhitespaceOnly: Bool = false,
         normalizesNumbers: Bool = true) {
        simplifier = TextSimplifier(normalizesNumbers: normalizesNumbers)
        self.wordCount = wordCount
        self.characterCount = characterCount
        self.mode = mode
        self.simplifies = simplifies
        self.splitsOnWhitespaceOnly = splitsOnWhitespaceOnly
    }

    /// Replaces `hashes` with the document's shingle hashes (repeats included), in text order.
    func shingles(of document: Document, into hashes: inout [UInt64]) {
        hashes.removeAll(keepingCapacity: true)
        if simplifies && !splitsOnWhitespaceOnly && takesUTF8Path {
            document.withTextUTF8 { utf8Shingles($0, into: &hashes) }
            return
        }
        if !simplifies && splitsOnWhitespaceOnly && mode == .words && takesUTF8Path {
            document.withTextUTF8 { whitespaceShingles($0, into: &hashes) }
            return
        }
        scalars.removeAll(keepingCapacity: true)
        document.withTextUTF8 { ScalarText.decode($0, into: &scalars) }
        if simplifies {
            scalars.withUnsafeBufferPointer { simplifier.simplify($0, into: &simplified) }
        } else {
            swap(&scalars, &simplified)
        }
        let byCharacters: Bool
        switch mode {
        case .words: byCharacters = false
        case .characters: byCharacters = true
        case .auto: byCharacters = Self.isMostlyCJK(simplified)
        }
        if byCharacters { characterShingles(into: &hashes) } else { wordShingles(into: &hashes) }
    }

    private func wordShingles(into hashes: inout [UInt64]) {
        words.removeAll(keepingCapacity: true)
        simplified.withUnsafeBufferPointer { text in
            if splitsOnWhitespaceOnly {
                var i = 0
                while i < text.count {
                    while i < text.count && CharacterClasses.isSpace(text[i]) { i += 1 }
                    let start = i
                    while i < text.count && !CharacterClasses.isSpace(text[i]) { i += 1 }
                    if i > start { words.append(start..<i) }
                }
            } else {
                EnglishWordTokenizer.tokenize(text, 0..<text.count, into: &words)
            }
        }
        guard words.count >= wordCount else { return }
        // The words joined by single spaces, as UTF-8; a shingle is then one slice of it.
        joined.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        simplified.withUnsafeBufferPointer { s in
            for (index, word) in words.enumerated() {
                if index > 0 { joined.append(0x20) }
                starts.append(joined.count)
                for i in word { ScalarText.appendUTF8(s[i], to: &joined) }
            }
        }
        starts.append(joined.count + 1)
        let count = words.count - wordCount + 1
        joined.withUnsafeBytes { raw in
            for first in 0..<count {
                let start = starts[first]
                let end = starts[first + wordCount] - 1
                hashes.append(XXH64(raw.baseAddress! + start, end - start, 0))
            }
        }
    }

    /// The default shingling straight from UTF-8: the text is simplified into `joined` (words of the
    /// simplified text separated by single spaces), and split into words in one more pass. ASCII needs no
    /// lookup: it simplifies to lowercase letters, `0` and spaces (every other ASCII character is datatrove
    /// punctuation or whitespace), and a word of ASCII letters is one word unless it is a spaCy special
    /// case. Other characters go through `TextSimplifier`'s table, and words holding them (or a `0`)
    /// through spaCy's rules.
    private func utf8Shingles(_ text: UnsafeBufferPointer<UInt8>, into hashes: inout [UInt64]) {
        // A local buffer: appending to a class's stored array costs a uniqueness check call per byte.
        var joined: [UInt8] = []
        swap(&joined, &self.joined)
        defer { swap(&joined, &self.joined) }
        joined.removeAll(keepingCapacity: true)
        joined.reserveCapacity(text.count + 16)
        var cjk = 0
        var other = 0
        var i = 0
        let n = text.count
        var pendingSpace = false

        /// The scalar at `at` and its length in bytes (the text is valid UTF-8).
        @inline(__always) func scalar(at: Int) -> (UInt32, Int) {
            let b = UInt32(text[at])
            if b < 0x80 { return (b, 1) }
            if b < 0xE0 { return ((b & 0x1F) << 6 | UInt32(text[at + 1] & 0x3F), 2) }
            if b < 0xF0 { return ((b & 0x0F) << 12 | UInt32(text[at + 1] & 0x3F) << 6 | UInt32(text[at + 2] & 0x3F), 3) }
            return ((b & 0x07) << 18 | UInt32(text[at + 1] & 0x3F) << 12 | UInt32(text[at + 2] & 0x3F) << 6 | UInt32(text[at + 3] & 0x3F), 4)
        }
        /// The byte length of the digit at `at`, or 0.
        @inline(__always) func digitLength(at: Int) -> Int {
            guard at < n else { return 0 }
            let b = text[at]
            if b < 0x80 { return b &- 0x30 < 10 ? 1 : 0 }
            let (c, length) = scalar(at: at)
            return simplifier.code(c) == TextSimplifier.digit ? length : 0
        }
        @inline(__always) func separatorLength(at: Int) -> Int {
            guard at < n else { return 0 }
            let (c, length) = scalar(at: at)
            return TextSimplifier.isDecimalSeparator(c) ? length : 0
        }
        // The space-separated chunks of the simplified text, found while writing it, and whether each is
        // ASCII letters only (then it is a word unless it is one of spaCy's special cases).
        chunks.removeAll(keepingCapacity: true)
        plainChunks.removeAll(keepingCapacity: true)
        var chunkStart = 0
        var chunkPlain = true
        @inline(__always) func startWord() {
            if pendingSpace && !joined.isEmpty {
                chunks.append(chunkStart..<joined.count)
                plainChunks.append(chunkPlain)
                joined.append(0x20)
                chunkStart = joined.count
                chunkPlain = true
            }
            pendingSpace = false
        }

        while i < n {
            let b = text[i]
            if b < 0x80 {
                if (b | 0x20) &- 0x61 < 26 {
                    // A run of ASCII letters, lower-cased in one tight loop.
                    startWord()
                    var j = i
                    while j < n, case let c = text[j], (c | 0x20) &- 0x61 < 26 {
                        joined.append(c | 0x20)
                        j += 1
                    }
                    other += j - i
                    i = j
                    continue
                }
                if b &- 0x30 < 10 && !simplifier.normalizesNumbers {
                    startWord()
                    chunkPlain = false
                    joined.append(b)
                    other += 1
                    i += 1
                    continue
                }
                if b &- 0x30 >= 10 {
                    pendingSpace = true
                    i += 1
                    continue
                }
            }
            let (c, length) = scalar(at: i)
            let code = b < 0x80 ? TextSimplifier.digit : simplifier.code(c)  // (ASCII digits that are kept went above)
            switch code {
            case TextSimplifier.separator:
                pendingSpace = true
                i += length
            case TextSimplifier.nothing:
                i += length
            case TextSimplifier.digit:
                // \p{Nd}+([.,،٫⎖⎗⎘]\p{Nd}+)? → 0
                i += length
                while case let d = digitLength(at: i), d > 0 { i += d }
                let separator = separatorLength(at: i)
                if separator > 0, digitLength(at: i + separator) > 0 {
                    i += separator
                    while case let d = digitLength(at: i), d > 0 { i += d }
                }
                startWord()
                chunkPlain = false
                joined.append(0x30)
                other += 1
            default:
                startWord()
                chunkPlain = false
                if code & TextSimplifier.single != 0 {
                    let out = code & 0x1F_FFFF
                    ScalarText.appendUTF8(out, to: &joined)
                    if Self.isCJK(out) { cjk += 1 } else { other += 1 }
                } else {
                    for out in simplifier.outputs(code) {
                        ScalarText.appendUTF8(out, to: &joined)
                        if Self.isCJK(out) { cjk += 1 } else { other += 1 }
                    }
                }
                i += length
            }
        }

        if mode == .characters || (mode == .auto && cjk > other) {
            simplified.removeAll(keepingCapacity: true)
            var at = 0
            while at < joined.count {
                let b = UInt32(joined[at])
                if b < 0x80 { simplified.append(b); at += 1; continue }
                let (c, length): (UInt32, Int)
                if b < 0xE0 { (c, length) = ((b & 0x1F) << 6 | UInt32(joined[at + 1] & 0x3F), 2) }
                else if b < 0xF0 { (c, length) = ((b & 0x0F) << 12 | UInt32(joined[at + 1] & 0x3F) << 6 | UInt32(joined[at + 2] & 0x3F), 3) }
                else { (c, length) = ((b & 0x07) << 18 | UInt32(joined[at + 1] & 0x3F) << 12 | UInt32(joined[at + 2] & 0x3F) << 6 | UInt32(joined[at + 3] & 0x3F), 4) }
                simplified.append(c)
                at += length
            }
            characterShingles(into: &hashes)
            return
        }

        if joined.count > chunkStart {
            chunks.append(chunkStart..<joined.count)
            plainChunks.append(chunkPlain)
        }
        // Words: the chunks, split further only where spaCy would.
        words.removeAll(keepingCapacity: true)
        var split = false
        joined.withUnsafeBufferPointer { s in
            for (index, chunk) in chunks.enumerated() {
                let start = chunk.lowerBound, end = chunk.upperBound
                if plainChunks[index] && EnglishTokenizerExceptions.lookup(s, start, end) == nil {
                    words.append(chunk)
                    continue
                }
                // One character (a number became `0`, a lone CJK character): one word, whatever it is.
                if end - start <= 4 && end - start == Self.utf8Length(s[start]) {
                    words.append(chunk)
                    continue
                }
                // A special case, a number with letters (`0km`) or other scripts: spaCy's rules on scalars.
                chunkScalars.removeAll(keepingCapacity: true)
                chunkOffsets.removeAll(keepingCapacity: true)
                var at = start
                while at < end {
                    chunkOffsets.append(at)
                    let b = UInt32(s[at])
                    if b < 0x80 { chunkScalars.append(b); at += 1 }
                    else if b < 0xE0 { chunkScalars.append((b & 0x1F) << 6 | UInt32(s[at + 1] & 0x3F)); at += 2 }
                    else if b < 0xF0 { chunkScalars.append((b & 0x0F) << 12 | UInt32(s[at + 1] & 0x3F) << 6 | UInt32(s[at + 2] & 0x3F)); at += 3 }
                    else { chunkScalars.append((b & 0x07) << 18 | UInt32(s[at + 1] & 0x3F) << 12 | UInt32(s[at + 2] & 0x3F) << 6 | UInt32(s[at + 3] & 0x3F)); at += 4 }
                }
                chunkOffsets.append(end)
                chunkWords.removeAll(keepingCapacity: true)
                chunkScalars.withUnsafeBufferPointer { EnglishWordTokenizer.tokenizeChunk($0, 0, $0.count, into: &chunkWords) }
                if chunkWords.count != 1 || chunkWords[0] != 0..<chunkScalars.count { split = true }
                for word in chunkWords { words.append(chunkOffsets[word.lowerBound]..<chunkOffsets[word.upperBound]) }
            }
        }
        guard words.count >= wordCount else { return }
        if split {
            // Some chunk became several words: join the words anew, one space between each.
            rejoined.removeAll(keepingCapacity: true)
            for (index, word) in words.enumerated() {
                if index > 0 { rejoined.append(0x20) }
                let start = rejoined.count
                rejoined.append(contentsOf: joined[word])
                words[index] = start..<rejoined.count
            }
            swap(&joined, &rejoined)
        }
        let count = words.count - wordCount + 1
        hashes.reserveCapacity(count)
        joined.withUnsafeBytes { raw in
            for first in 0..<count {
                let start = words[first].lowerBound
                hashes.append(XXH64(raw.baseAddress! + start, words[first + wordCount - 1].upperBound - start, 0))
            }
        }
    }

    /// Raw text split on whitespace (Python's `split()`), straight from UTF-8: the shingling of the usual
    /// MinHash scripts. Words are copied into `joined` with one space between them.
    private func whitespaceShingles(_ text: UnsafeBufferPointer<UInt8>, into hashes: inout [UInt64]) {
        // Words as ranges of the text; when every gap between two words is one plain space (the usual
        // case), a shingle is a slice of the text itself and nothing is copied.
        words.removeAll(keepingCapacity: true)
        let asciiSpace = Self.asciiSpace  // once, not a lazy-global check per byte
        var singleSpaces = true
        var i = 0
        let n = text.count
        var wordStart = -1
        while i < n {
            let b = text[i]
            var length = 1
            let space: Bool
            if b < 0x80 {
                space = asciiSpace & (1 << UInt128(b)) != 0
            } else {
                let c: UInt32
                if b < 0xE0 { c = UInt32(b & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F); length = 2 }
                else if b < 0xF0 { c = UInt32(b & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F); length = 3 }
                else { c = UInt32(b & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F); length = 4 }
                space = CharacterClasses.isSpace(c)
            }
            if space {
                if wordStart >= 0 {
                    if let last = words.last, last.upperBound + 1 != wordStart || text[last.upperBound] != 0x20 { singleSpaces = false }
                    words.append(wordStart..<i)
                    wordStart = -1
                }
            } else if wordStart < 0 {
                wordStart = i
            }
            i += length
        }
        if wordStart >= 0 {
            if let last = words.last, last.upperBound + 1 != wordStart || text[last.upperBound] != 0x20 { singleSpaces = false }
            words.append(wordStart..<n)
        }
        guard words.count >= wordCount else { return }
        let count = words.count - wordCount + 1
        hashes.reserveCapacity(count)
        if singleSpaces {
            let base = UnsafeRawPointer(text.baseAddress!)
            for first in 0..<count {
                let start = words[first].lowerBound
                hashes.append(XXH64(base + start, words[first + wordCount - 1].upperBound - start, 0))
            }
            return
        }
        // Other gaps: join the words with one space first.
        rejoined.removeAll(keepingCapacity: true)
        for (index, word) in words.enumerated() {
            if index > 0 { rejoined.append(0x20) }
            let start = rejoined.count
            rejoined.append(contentsOf: UnsafeBufferPointer(rebasing: text[word]))
            words[index] = start..<rejoined.count
        }
        rejoined.withUnsafeBytes { raw in
            for first in 0..<count {
                let start = words[first].lowerBound
                hashes.append(XXH64(raw.baseAddress! + start, words[first + wordCount - 1].upperBound - start, 0))
            }
        }
    }

    /// Python's `isspace()` for ASCII, as a bit set.
    static let asciiSpace: UInt128 = {
        var bits: UInt128 = 1 << 0x20
        for c in 0x09...0x0D { bits |= 1 << UInt128(c) }
        for c in 0x1C...0x1F { bits |= 1 << UInt128(c) }
        return bits
    }()

    /// The length of the UTF-8 sequence that starts with `lead`.
    @inline(__always)
    static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    @inline(__always)
    static func isCJK(_ c: UInt32) -> Bool {
        c >= 0x3000 && Unicode.Scalar(c).map(TextMeasures.isCJK) == true
    }

    private func characterShingles(into hashes: inout [UInt64]) {
        joined.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        for c in simplified where c != 0x20 {
            starts.append(joined.count)
            ScalarText.appendUTF8(c, to: &joined)
        }
        let characters = starts.count
        guard characters >= characterCount else { return }
        starts.append(joined.count)
        let count = characters - characterCount + 1
        joined.withUnsafeBytes { raw in
            for first in 0..<count {
                let start = starts[first]
                hashes.append(XXH64(raw.baseAddress! + start, starts[first + characterCount] - start, 0))
            }
        }
    }

    /// More than half of the letters are CJK.
    static func isMostlyCJK(_ s: [UInt32]) -> Bool {
        var cjk = 0
        var other = 0
        for c in s where c != 0x20 {
            if c >= 0x3000, let scalar = Unicode.Scalar(c), TextMeasures.isCJK(scalar) { cjk += 1 } else { other += 1 }
        }
        return cjk > other
    }

}
