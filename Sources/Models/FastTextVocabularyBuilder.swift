#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts the words and labels of training examples and keeps them as fastText's `readFromFile` and
/// `threshold` do: every token of every line counts (`</s>` once a line), words seen fewer than `minCount`
/// times and labels seen fewer than `minCountLabel` times are dropped, then words come first and each
/// kind is ordered by count, most frequent first (ties: first seen first, where fastText's unstable sort
/// leaves them unspecified).
struct FastTextVocabularyBuilder {
    private var words = Counter()
    private var labels = Counter()
    /// Every token read, labels and `</s>` included (the dictionary's `ntokens`).
    private(set) var tokenCount: Int64 = 0

    /// Counts one example: its labels, the words of its text (tokens that look like labels are skipped, as
    /// prediction skips them), and `</s>`.
    mutating func add(_ example: FastTextExample) {
        for label in example.labels {
            let bytes = FastTextExample.storedLabel(label)
            bytes.withUnsafeBufferPointer { labels.add($0) }
            tokenCount += 1
        }
        var text = example.text
        text.withUTF8 { text in
            var start = -1
            for index in 0...text.count {
                if index == text.count || FastTextInputEncoder.isSeparator(text[index]) {
                    if start >= 0 {
                        let token = UnsafeBufferPointer(rebasing: text[start..<index])
                        if !FastTextInputEncoder.hasLabelPrefix(token) { words.add(token) }
                        tokenCount += 1
                        start = -1
                    }
                } else if start < 0 {
                    start = index
                }
            }
        }
        FastTextDictionary.endOfSentence.withUnsafeBufferPointer { words.add($0) }
        tokenCount += 1
    }

    func dictionary(_ options: FastTextTrainingOptions) -> FastTextDictionary {
        let keptWords = words.kept(minimum: Int64(options.minCount))
        let keptLabels = labels.kept(minimum: Int64(options.minCountLabel))
        return FastTextDictionary(words: keptWords.map { (word: $0.0, count: $0.1) }, labels: keptLabels.map { (label: $0.0, count: $0.1) },
                                  tokenCount: tokenCount, minn: options.maxn > 0 ? options.minn : 0, maxn: options.maxn,
                                  bucket: options.effectiveBucket, wordNgrams: options.wordNgrams)
    }

    /// Distinct byte strings with counts, in order of first appearance (open addressing on fastText's hash).
    private struct Counter {
        private var arena: [UInt8] = []
        private var starts: [Int] = [0]
        private var counts: [Int64] = []
        private var table = [Int32](repeating: -1, count: 1 << 10)

        mutating func add(_ token: UnsafeBufferPointer<UInt8>) {
            let h = FastTextDictionary.hash(token)
            var mask = table.count - 1
            var slot = Int(h) & mask
            while true {
                let index = Int(table[slot])
                if index < 0 { break }
                let start = starts[index], length = starts[index + 1] - start
                if length == token.count && arena.withUnsafeBufferPointer({ arena in
                    token.count == 0 || memcmp(arena.baseAddress! + start, token.baseAddress!, token.count) == 0
                }) {
                    counts[index] += 1
                    return
                }
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(counts.count)
            counts.append(1)
            arena.append(contentsOf: token)
            starts.append(arena.count)
            if counts.count * 2 > table.count {
                table = [Int32](repeating: -1, count: table.count * 2)
                mask = table.count - 1
                arena.withUnsafeBufferPointer { arena in
                    for index in counts.indices {
                        let word = UnsafeBufferPointer(rebasing: arena[starts[index]..<starts[index + 1]])
                        var slot = Int(FastTextDictionary.hash(word)) & mask
                        while table[slot] >= 0 { slot = (slot + 1) & mask }
                        table[slot] = Int32(index)
                    }
                }
            }
        }

        func kept(minimum: Int64) -> [([UInt8], Int64)] {
            let order = counts.indices.filter { counts[$0] >= minimum }
                .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            return order.map { (Array(arena[starts[$0]..<starts[$0 + 1]]), counts[$0]) }
        }
    }
}
