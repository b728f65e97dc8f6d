#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The input rows of one line of text, as fastText's `getLine` finds them: shared by prediction and
/// training, so both see a text the same way.
///
/// Tokens are split on space, `\n`, `\r`, `\t`, `\v`, `\f` and NUL (a newline is only a separator: the
/// text is one flattened line), then `</s>` ends the line. Label tokens (known labels, or unknown tokens
/// starting with `__label__`) add nothing. Then come the word n-grams, when the dictionary has them.
struct FastTextInputEncoder {
    /// Input rows: each word's row and character n-grams, then the word n-grams' buckets.
    private(set) var ids: [Int32] = []
    private var wordHashes: [Int32] = []
    private var wrapped: [UInt8] = []
    /// Tokens read, `</s>` included (fastText's per-line `ntokens`, which drives the learning rate).
    private(set) var tokenCount = 0

    mutating func encode(_ text: UnsafeBufferPointer<UInt8>, _ dictionary: FastTextDictionary) {
        ids.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        tokenCount = 0
        var start = -1
        let count = text.count
        var index = 0
        while index <= count {
            let isSeparator: Bool
            if index == count {
                isSeparator = true
            } else {
                isSeparator = Self.isSeparator(text[index])
            }
            if isSeparator {
                if start >= 0 {
                    addToken(UnsafeBufferPointer(rebasing: text[start..<index]), dictionary)
                    start = -1
                }
            } else if start < 0 {
                start = index
            }
            index += 1
        }
        FastTextDictionary.endOfSentence.withUnsafeBufferPointer { addToken($0, dictionary) }
        if dictionary.wordNgrams > 1 { addWordNgrams(dictionary) }
    }

    /// fastText's word separators (`Dictionary::readWord`).
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x0A, 0x0D, 0x09, 0x0B, 0x0C, 0x00: return true
        default: return false
        }
    }

    /// Whether `token` starts with `__label__` (an unknown token of that form is a label, not a word).
    @inline(__always)
    static func hasLabelPrefix(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        token.count >= 9 && FastTextDictionary.labelPrefix.withUnsafeBufferPointer { prefix in memcmp(prefix.baseAddress!, token.baseAddress!, 9) == 0 }
    }

    private mutating func addToken(_ token: UnsafeBufferPointer<UInt8>, _ dictionary: FastTextDictionary) {
        tokenCount += 1
        let h = FastTextDictionary.hash(token)
        let index = dictionary.find(token, hash: h)
        let isLabel = index >= 0 ? dictionary.entries[index].isLabel : Self.hasLabelPrefix(token)
        guard !isLabel else { return }
        if index >= 0 {
            ids += dictionary.subwords[index]
        } else if dictionary.maxn > 0 && !(token.count == 4 && FastTextDictionary.endOfSentence.elementsEqual(token)) {
            // Out of the vocabulary: its character n-grams. (A per-thread cache of them by word was tried:
            // no clear gain in alternating runs, so it is not here.)
            wrapped.removeAll(keepingCapacity: true)
            wrapped.append(UInt8(ascii: "<"))
            wrapped.append(contentsOf: token)
            wrapped.append(UInt8(ascii: ">"))
            wrapped.withUnsafeBufferPointer { dictionary.characterNgrams(ofWrapped: $0, into: &ids) }
        }
        wordHashes.append(Int32(bitPattern: h))
    }

    private mutating func addWordNgrams(_ dictionary: FastTextDictionary) {
        let n = dictionary.wordNgrams
        for i in wordHashes.indices {
            var h = UInt64(bitPattern: Int64(wordHashes[i]))
            var j = i + 1
            while j < wordHashes.count && j < i + n {
                h = h &* 116_049_371 &+ UInt64(bitPattern: Int64(wordHashes[j]))
                if let row = dictionary.bucketRow(Int(Int32(truncatingIfNeeded: h % UInt64(dictionary.bucket)))) { ids.append(row) }
                j += 1
            }
        }
    }
}
