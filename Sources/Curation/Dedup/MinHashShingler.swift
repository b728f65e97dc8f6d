import CXXHash
import Corpus

/// Turns a document into shingle hashes the way datatrove's MinHash does: the text is simplified
/// (`TextSimplifier`), split into words by the spaCy-rule English tokenizer, and every run of `n`
/// consecutive words, joined by single spaces, is hashed with 64-bit XXH64. Documents written mostly in
/// CJK scripts (no spaces between words) are shingled by `n` consecutive characters instead, unless the
/// mode says otherwise. A document with fewer than `n` words (or characters) has no shingles.
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

    init(wordCount: Int, characterCount: Int, mode: Mode) {
        self.wordCount = wordCount
        self.characterCount = characterCount
        self.mode = mode
    }

    /// Calls `body` with each shingle's hash (repeats included), in text order. Returns the number of shingles.
    @discardableResult
    func shingles(of document: Document, _ body: (UInt64) -> Void) -> Int {
        scalars.removeAll(keepingCapacity: true)
        document.withTextUTF8 { Self.decode($0, into: &scalars) }
        scalars.withUnsafeBufferPointer { simplifier.simplify($0, into: &simplified) }
        let byCharacters: Bool
        switch mode {
        case .words: byCharacters = false
        case .characters: byCharacters = true
        case .auto: byCharacters = Self.isMostlyCJK(simplified)
        }
        return byCharacters ? characterShingles(body) : wordShingles(body)
    }

    private func wordShingles(_ body: (UInt64) -> Void) -> Int {
        words.removeAll(keepingCapacity: true)
        simplified.withUnsafeBufferPointer { EnglishWordTokenizer.tokenize($0, 0..<$0.count, into: &words) }
        guard words.count >= wordCount else { return 0 }
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
                body(XXH64(raw.baseAddress! + start, end - start, 0))
            }
        }
        return count
    }

    private func characterShingles(_ body: (UInt64) -> Void) -> Int {
        joined.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        for c in simplified where c != 0x20 {
            starts.append(joined.count)
            Self.appendUTF8(c, to: &joined)
        }
        let characters = starts.count
        guard characters >= characterCount else { return 0 }
        starts.append(joined.count)
        let count = characters - characterCount + 1
        joined.withUnsafeBytes { raw in
            for first in 0..<count {
                let start = starts[first]
                body(XXH64(raw.baseAddress! + start, starts[first + characterCount] - start, 0))
            }
        }
        return count
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
