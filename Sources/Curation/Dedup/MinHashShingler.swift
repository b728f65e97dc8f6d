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
    private let simplifier = TextSimplifier()
    private var scalars: [UInt32] = []
    private var simplified: [UInt32] = []
    private var words: [Range<Int>] = []
    private var joined: [UInt8] = []
    private var rejoined: [UInt8] = []
    /// Off only in tests, to check the ASCII path against the general one.
    var takesASCIIPath = true
    private var starts: [Int] = []

    /// Apply datatrove's text simplification first (the default); without it, the raw text is shingled.
    let simplifies: Bool
    /// Split words on whitespace only (Python's `split()`), not with spaCy's English rules.
    let splitsOnWhitespaceOnly: Bool

    init(wordCount: Int, characterCount: Int, mode: Mode, simplifies: Bool = true, splitsOnWhitespaceOnly: Bool = false) {
        self.wordCount = wordCount
        self.characterCount = characterCount
        self.mode = mode
        self.simplifies = simplifies
        self.splitsOnWhitespaceOnly = splitsOnWhitespaceOnly
    }

    /// Replaces `hashes` with the document's shingle hashes (repeats included), in text order.
    func shingles(of document: Document, into hashes: inout [UInt64]) {
        hashes.removeAll(keepingCapacity: true)
        if simplifies && !splitsOnWhitespaceOnly && mode != .characters && takesASCIIPath,
           document.withTextUTF8({ asciiWordShingles($0, into: &hashes) }) {
            return
        }
        scalars.removeAll(keepingCapacity: true)
        document.withTextUTF8 { Self.decode($0, into: &scalars) }
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
                for i in word { Self.appendUTF8(s[i], to: &joined) }
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

    /// The common case, straight from the bytes: ASCII text, simplified and split into words in one pass.
    /// ASCII simplifies to lowercase letters, `0` and single spaces (every other ASCII character is
    /// datatrove punctuation or whitespace), so a word of letters alone is a word unless it is one of
    /// spaCy's special cases; anything with a `0` goes through the full tokenizer. False (and nothing
    /// done) when the text is not ASCII.
    private func asciiWordShingles(_ text: UnsafeBufferPointer<UInt8>, into hashes: inout [UInt64]) -> Bool {
        var high: UInt8 = 0
        for byte in text { high |= byte }
        guard high < 0x80 else { return false }
        joined.removeAll(keepingCapacity: true)
        joined.reserveCapacity(text.count + 1)
        starts.removeAll(keepingCapacity: true)
        // 1. Simplify into `joined`: [a-z0]+ separated by single spaces, trimmed.
        var i = 0
        let n = text.count
        var pendingSpace = false
        while i < n {
            let c = text[i]
            i += 1
            if c &- 0x30 < 10 {
                while i < n && text[i] &- 0x30 < 10 { i += 1 }
                if i + 1 < n && (text[i] == 0x2E || text[i] == 0x2C) && text[i + 1] &- 0x30 < 10 {
                    i += 2
                    while i < n && text[i] &- 0x30 < 10 { i += 1 }
                }
                if pendingSpace && !joined.isEmpty { joined.append(0x20) }
                pendingSpace = false
                joined.append(0x30)
            } else if (c | 0x20) &- 0x61 < 26 {
                if pendingSpace && !joined.isEmpty { joined.append(0x20) }
                pendingSpace = false
                joined.append(c | 0x20)
            } else {
                pendingSpace = true
            }
        }
        // 2. Words: chunks between spaces, split further only when spaCy would.
        words.removeAll(keepingCapacity: true)
        var split = false
        var widened = false
        joined.withUnsafeBufferPointer { s in
            var position = 0
            while position < s.count {
                let start = position
                var hasDigit = false
                while position < s.count && s[position] != 0x20 {
                    if s[position] == 0x30 { hasDigit = true }
                    position += 1
                }
                if !hasDigit && EnglishTokenizerExceptions.lookup(s, start, position) == nil {
                    words.append(start..<position)
                } else {
                    // A special case, or a number with letters (`0km`): spaCy's rules, on scalars.
                    if !widened {
                        simplified.removeAll(keepingCapacity: true)
                        for byte in s { simplified.append(UInt32(byte)) }
                        widened = true
                    }
                    let before = words.count
                    simplified.withUnsafeBufferPointer { EnglishWordTokenizer.tokenizeChunk($0, start, position, into: &words) }
                    if words.count - before != 1 || words.last != start..<position { split = true }
                }
                position += 1
            }
        }
        guard words.count >= wordCount else { return true }
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
        return true
    }

    private func characterShingles(into hashes: inout [UInt64]) {
        joined.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        for c in simplified where c != 0x20 {
            starts.append(joined.count)
            Self.appendUTF8(c, to: &joined)
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

    @inline(__always)
    static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into scalars: inout [UInt32]) {
        scalars.reserveCapacity(bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = UInt32(bytes[i])
            if b < 0x80 {
                scalars.append(b)
                i += 1
            } else if b < 0xE0 {
                scalars.append((b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                i += 2
            } else if b < 0xF0 {
                scalars.append((b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
                i += 3
            } else {
                scalars.append((b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                               | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F))
                i += 4
            }
        }
    }
}
