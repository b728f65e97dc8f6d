#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Predicts with a `FastTextModel` on one thread (its scratch buffers are reused between calls).
///
/// The text is one fastText input line (`FastTextInputEncoder`: a newline is just a separator, as when the
/// text is flattened first) — what fastText's Python `predict` and `predict-prob` on a flattened line see.
/// Arithmetic follows fastText 0.9 in f32.
public final class FastTextPredictor {
    public let model: FastTextModel
    private var encoder = FastTextInputEncoder()
    private var wordSums: FastTextWordSums
    private var rows: [Int32] = []
    private var wrapped: [UInt8] = []
    private var wordHashes: [Int32] = []
    /// The text's tokens (`forEachToken`, `</s>` included) and their hashes.
    private var tokens: [Token] = []
    private struct Token {
        let start: UnsafePointer<UInt8>
        let count: Int
        let hash: UInt32
    }
    /// An entry missed in L2 takes longer than four hit words (the first distance): 12 measured 0.97× the
    /// chain's CPU time of 4 (31 paired runs, min and 10th percentile), 24 about the same as 12.
    static let prefetchDistance = 12
    /// `</s>`, in memory of the predictor's own (the other tokens point into the text).
    private let endOfSentence: Token
    private var hidden: [Float]
    private var scores: [Float] = []
    private var best: [(score: Float, label: Int)] = []

    init(model: FastTextModel) {
        self.model = model
        hidden = [Float](repeating: 0, count: model.dimension)
        wordSums = FastTextWordSums(dimension: model.dimension)
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: FastTextDictionary.endOfSentence.count)
        bytes.initialize(from: FastTextDictionary.endOfSentence, count: FastTextDictionary.endOfSentence.count)
        endOfSentence = FastTextDictionary.endOfSentence.withUnsafeBufferPointer {
            Token(start: UnsafePointer(bytes), count: $0.count, hash: FastTextDictionary.hash($0))
        }
    }

    deinit { UnsafeMutablePointer(mutating: endOfSentence.start).deallocate() }

    public func predict(_ text: String, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        var text = text
        return text.withUTF8 { predict(utf8: $0, k: k, threshold: threshold) }
    }

    /// The top `k` labels with probability ≥ `threshold`, best first; empty when the text has no word.
    public func predict(utf8 text: UnsafeBufferPointer<UInt8>, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        guard computeHidden(text), k > 0 else { return [] }
        best.removeAll(keepingCapacity: true)
        switch model.loss {
        case .hierarchicalSoftmax:
            let tree = model.tree!
            hidden.withUnsafeBufferPointer { h in
                depthFirst(tree, node: tree.root, score: 0, k: k, threshold: threshold, hidden: h.baseAddress!)
            }
        case .softmax:
            computeOutput()
            var maximum = scores[0]
            for value in scores { maximum = max(maximum, value) }
            var z: Float = 0
            for i in scores.indices {
                scores[i] = expf(scores[i] - maximum)
                z += scores[i]
            }
            for i in scores.indices { scores[i] /= z }
            keepBest(k: k, threshold: threshold)
        case .oneVsAll, .negativeSampling:
            computeOutput()
            for i in scores.indices { scores[i] = Self.sigmoid(scores[i]) }
            keepBest(k: k, threshold: threshold)
        }
        best.sort { $0.score > $1.score }
        return best.map { FastTextPrediction(label: $0.label, probability: expf($0.score)) }
    }

    /// fastText's `std_log`: log(x + 1e-5) in double, returned as f32.
    @inline(__always)
    static func stdLog(_ x: Float) -> Float { Float(log(Double(x) + 1e-5)) }

    /// fastText's table sigmoid (513 values over [−8, 8]).
    static let sigmoidTable: [Float] = (0...512).map { i in
        let x = Float(i * 2 * 8) / 512 - 8
        return Float(1.0 / (1.0 + exp(-Double(x))))
    }

    static func sigmoid(_ x: Float) -> Float {
        if x < -8 { return 0 }
        if x > 8 { return 1 }
        return sigmoidTable[Int((x + 8) * 512 / 8 / 2)]
    }

    /// The mean of the text's input rows (fastText's `computeHidden`), word by word from `wordSums`.
    /// False when the text has no input row.
    private func computeHidden(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let model = model
        wordHashes.removeAll(keepingCapacity: true)
        var rowCount = 0
        let source = FastTextWordSums.Source(model)
        hidden.withUnsafeMutableBufferPointer { h in
            for j in h.indices { h[j] = 0 }
            let hidden = h.baseAddress!
            // The tokens and their hashes first, then the sums, each word's cache entry requested
            // `prefetchDistance` words ahead.
            tokens.removeAll(keepingCapacity: true)
            FastTextInputEncoder.forEachToken(text, endOfSentence: false) { token in
                tokens.append(Token(start: token.baseAddress!, count: token.count, hash: FastTextDictionary.hash(token)))
            }
            tokens.append(endOfSentence)
            let wordSums = wordSums
            tokens.withUnsafeBufferPointer { tokens in
                let dictionary = source.dictionary
                /// Asks for token `i`'s sum entry and dictionary slot.
                @inline(__always) func prefetch(_ i: Int) {
                    wordSums.prefetch(hash: tokens[i].hash)
                    dictionary.prefetchSlot(hash: tokens[i].hash)
                }
                for i in 0..<min(Self.prefetchDistance, tokens.count) { prefetch(i) }
                for i in tokens.indices {
                    if i &+ Self.prefetchDistance < tokens.count { prefetch(i &+ Self.prefetchDistance) }
                    let token = tokens[i]
                    if let added = wordSums.add(UnsafeBufferPointer(start: token.start, count: token.count), hash: token.hash,
                                                to: hidden, source, rows: &rows, wrapped: &wrapped) {
                        rowCount += added
                        wordHashes.append(Int32(bitPattern: token.hash))
                    }
                }
            }
            if model.dictionary.wordNgrams > 1 {
                rows.removeAll(keepingCapacity: true)
                FastTextInputEncoder.appendWordNgramRows(wordHashes, model.dictionary, into: &rows)
                if let quantized = model.quantizedRows?.view {
                    for row in rows { quantized.addRow(Int(row), to: hidden) }
                } else {
                    model.predictionInput.addRows(rows, to: hidden)
                }
                rowCount += rows.count
            }
            guard rowCount > 0 else { return }
            let scale = Float(1.0 / Double(rowCount))
            for j in h.indices { h[j] *= scale }
        }
        return rowCount > 0
    }

    private func computeOutput() {
        let output = model.output
        if scores.count != output.rows { scores = [Float](repeating: 0, count: output.rows) }
        hidden.withUnsafeBufferPointer { h in
            for row in 0..<output.rows { scores[row] = output.dot(row, h.baseAddress!) }
        }
    }

    private func keepBest(k: Int, threshold: Float) {
        for (label, value) in scores.enumerated() {
            if value < threshold { continue }
            let score = Self.stdLog(value)
            if best.count == k, score < minimumScore() { continue }
            insert(score, label, k: k)
        }
    }

    private func minimumScore() -> Float {
        var minimum = Float.infinity
        for entry in best where entry.score < minimum { minimum = entry.score }
        return minimum
    }

    private func insert(_ score: Float, _ label: Int, k: Int) {
        best.append((score, label))
        if best.count > k, let index = best.indices.min(by: { best[$0].score < best[$1].score }) {
            best.remove(at: index)
        }
    }

    private func depthFirst(_ tree: HierarchicalSoftmaxTree, node: Int, score: Float, k: Int, threshold: Float,
                            hidden: UnsafePointer<Float>) {
        if score < Self.stdLog(threshold) { return }
        if best.count == k, score < minimumScore() { return }
        if tree.isLeaf(node) {
            insert(score, node, k: k)
            return
        }
        var f = model.output.dot(node - tree.labelCount, hidden)
        f = Float(1.0 / Double(1 + expf(-f)))
        depthFirst(tree, node: Int(tree.left[node]), score: score + Self.stdLog(Float(1.0 - Double(f))), k: k, threshold: threshold, hidden: hidden)
        depthFirst(tree, node: Int(tree.right[node]), score: score + Self.stdLog(f), k: k, threshold: threshold, hidden: hidden)
    }
}

extension FastTextPredictor {
    /// The input rows `predict` averages for `text` (for checking that training encodes text the same way).
    func inputRows(_ text: String) -> [Int32] {
        var text = text
        text.withUTF8 { encoder.encode($0, model.dictionary) }
        return encoder.ids
    }
}

extension FastTextPredictor {
    /// The hidden vector `predict` computes for `text` (for checking it against the plain mean of its rows).
    func hiddenVector(_ text: String) -> [Float] {
        var text = text
        guard text.withUTF8({ computeHidden($0) }) else { return [] }
        return hidden
    }
}
