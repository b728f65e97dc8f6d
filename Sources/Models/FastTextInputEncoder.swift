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
        Self.forEachToken(text) { token in
            tokenCount += 1
            let h = FastTextDictionary.hash(token)
            if Self.appendRows(of: token, hash: h, dictionary, into: &ids, wrapped: &wrapped) {
                wordHashes.append(Int32(bitPattern: h))
            }
        }
        Self.appendWordNgramRows(wordHashes, dictionary, into: &ids)
    }

    /// Calls `body` with each token of `text` as one fastText line, then with `</s>` unless `endOfSentence`
    /// is false (the caller adds it itself).
    @inline(__always)
    static func forEachToken(_ text: UnsafeBufferPointer<UInt8>, endOfSentence: Bool = true,
                             _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = -1
        let count = text.count
        var index = 0
        while index < count {
            if isSeparator(text[index]) {
                if start >= 0 {
                    body(UnsafeBufferPointer(rebasing: text[start..<index]))
                    start = -1
                }
            } else if start < 0 {
                start = index
            }
            index += 1
        }
        if start >= 0 { body(UnsafeBufferPointer(rebasing: text[start..<count])) }
        if endOfSentence { FastTextDictionary.endOfSentence.withUnsafeBufferPointer { body($0) } }
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

    /// Appends the input rows of one token (whose fastText hash is `h`): a known word's row and subwords, or
    /// an unknown word's character n-grams. Returns false for a label token, which adds nothing and is no word.
    @inline(__always)
    static func appendRows(of token: UnsafeBufferPointer<UInt8>, hash h: UInt32, _ dictionary: FastTextDictionary,
                           into ids: inout [Int32], wrapped: inout [UInt8]) -> Bool {
        let index = dictionary.find(token, hash: h)
        let isLabel = index >= 0 ? dictionary.entries[index].isLabel : hasLabelPrefix(token)
        guard !isLabel else { return false }
        if index >= 0 && index < dictionary.subwords.count {
            ids += dictionary.subwords[index]
            return true
        }
        if index >= 0 { ids.append(Int32(index)) }
        if dictionary.maxn > 0 && !(token.count == 4 && FastTextDictionary.endOfSentence.elementsEqual(token)) {
            // Its character n-grams (a known word's are listed in `subwords` when precomputed).
            withWrapped(token, &wrapped) { dictionary.characterNgrams(ofWrapped: $0, into: &ids) }
        }
        return true
    }

    /// Adds the input rows of one token straight to `x` (the rows `appendRows` would list, in its order,
    /// from a pruned quantized model's `rows`). Returns how many rows that was, or nil for a label token.
    @inline(__always)
    static func addRows(of token: UnsafeBufferPointer<UInt8>, hash h: UInt32, _ dictionary: FastTextDictionary,
                        _ rows: PrunedQuantizedRows.View, to x: UnsafeMutablePointer<Float>, wrapped: inout [UInt8]) -> Int? {
        let index = dictionary.find(token, hash: h)
        let isLabel = index >= 0 ? dictionary.entries[index].isLabel : hasLabelPrefix(token)
        guard !isLabel else { return nil }
        var count = 0
        if index >= 0 {
            rows.addRow(index, to: x)
            count = 1
        }
        let isEndOfSentence = token.count == 4 && FastTextDictionary.endOfSentence.elementsEqual(token)
        if dictionary.maxn > 0 && !isEndOfSentence {
            withWrapped(token, &wrapped) { word in
                dictionary.forEachCharacterNgramBucket(ofWrapped: word) { bucket in
                    if dictionary.mayKeep(bucket), rows.addBucket(bucket, to: x) { count &+= 1 }
                }
            }
        }
        return count
    }

    /// Calls `body` with "<" + token + ">" (fastText's word boundaries for character n-grams), built in `wrapped`.
    @inline(__always)
    private static func withWrapped(_ token: UnsafeBufferPointer<UInt8>, _ wrapped: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        wrapped.removeAll(keepingCapacity: true)
        wrapped.append(UInt8(ascii: "<"))
        wrapped.append(contentsOf: token)
        wrapped.append(UInt8(ascii: ">"))
        wrapped.withUnsafeBufferPointer(body)
    }

    /// Appends the rows of the word n-gram buckets of a line's words (by their hashes), when the model has them.
    static func appendWordNgramRows(_ wordHashes: [Int32], _ dictionary: FastTextDictionary, into ids: inout [Int32]) {
        let n = dictionary.wordNgrams
        guard n > 1 else { return }
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
