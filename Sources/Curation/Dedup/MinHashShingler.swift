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
