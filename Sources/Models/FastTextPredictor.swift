#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Predicts with a `FastTextModel` on one thread (its scratch buffers are reused between calls).
///
/// The text is one fastText input line: tokens split on space, `\n`, `\r`, `\t`, `\v`, `\f` and NUL (a
/// newline is just a separator here, as when the text is flattened first), then `</s>` — what fastText's
/// Python `predict` and `predict-prob` on a flattened line see. Arithmetic follows fastText 0.9 in f32.
public final class FastTextPredictor {
    public let model: FastTextModel
    private var ids: [Int32] = []
    private var wordHashes: [Int32] = []
    private var hidden: [Float]
    private var scores: [Float] = []
    private var wrapped: [UInt8] = []
    private var best: [(score: Float, label: Int)] = []

    init(model: FastTextModel) {
        self.model = model
        hidden = [Float](repeating: 0, count: model.dimension)
    }

    public func predict(_ text: String, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        var text = text
        return text.withUTF8 { predict(utf8: $0, k: k, threshold: threshold) }
    }

    /// The top `k` labels with probability ≥ `threshold`, best first; empty when the text has no word.
    public func predict(utf8 text: UnsafeBufferPointer<UInt8>, k: Int = 1, threshold: Float = 0) -> [FastTextPrediction] {
        collectInputs(text)
        guard !ids.isEmpty, k > 0 else { return [] }
        computeHidden()
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

    private func collectInputs(_ text: UnsafeBufferPointer<UInt8>) {
        ids.removeAll(keepingCapacity: true)
        wordHashes.removeAll(keepingCapacity: true)
        let dictionary = model.dictionary
        var start = -1
        let count = text.count
        var index = 0
        while index <= count {
            let isSeparator: Bool
            if index == count {
                isSeparator = true
            } else {
                switch text[index] {
                case 0x20, 0x0A, 0x0D, 0x09, 0x0B, 0x0C, 0x00: isSeparator = true
                default: isSeparator = false
                }
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

    private func addToken(_ token: UnsafeBufferPointer<UInt8>, _ dictionary: FastTextDictionary) {
        let h = FastTextDictionary.hash(token)
        let index = dictionary.find(token, hash: h)
        let isLabel = index >= 0 ? dictionary.entries[index].isLabel
            : token.count >= 9 && FastTextDictionary.labelPrefix.withUnsafeBufferPointer { prefix in memcmp(prefix.baseAddress!, token.baseAddress!, 9) == 0 }
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

    private func addWordNgrams(_ dictionary: FastTextDictionary) {
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

    private func computeHidden() {
        let input = model.input
        hidden.withUnsafeMutableBufferPointer { h in
            for j in h.indices { h[j] = 0 }
            input.addRows(ids, to: h.baseAddress!)
            let scale = Float(1.0 / Double(ids.count))
            for j in h.indices { h[j] *= scale }
        }
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
