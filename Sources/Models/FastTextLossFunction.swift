#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The supervised losses: softmax over the labels, one binary logistic per label (one-vs-all), or the
/// binary logistics along a label's path in fastText's Huffman tree (hierarchical softmax).
enum FastTextLossFunction {
    /// One step of a path: the internal node's output row and which child the path takes (true: right).
    struct Step {
        var row: Int32
        var right: Bool
    }

    case softmax
    case oneVsAll
    /// Per label, the steps from its leaf up to the root.
    case hierarchicalSoftmax([[Step]])

    init(_ loss: FastTextTrainingOptions.Loss, labelCounts: [Int64]) {
        switch loss {
        case .softmax: self = .softmax
        case .oneVsAll: self = .oneVsAll
        case .hierarchicalSoftmax: self = .hierarchicalSoftmax(HierarchicalSoftmaxTree(counts: labelCounts).paths())
        }
    }
}

extension HierarchicalSoftmaxTree {
    /// Each leaf's path to the root as fastText's `buildTree` records it (node row = node − labels; the
    /// second child picked is the right one, code 1).
    func paths() -> [[FastTextLossFunction.Step]] {
        let nodes = left.count
        var parent = [Int](repeating: -1, count: nodes)
        var isRight = [Bool](repeating: false, count: nodes)
        for node in 0..<nodes where left[node] >= 0 {
            parent[Int(left[node])] = node
            parent[Int(right[node])] = node
            isRight[Int(right[node])] = true
        }
        return (0..<labelCount).map { leaf in
            var steps: [FastTextLossFunction.Step] = []
            var node = leaf
            while parent[node] >= 0 {
                steps.append(.init(row: Int32(parent[node] - labelCount), right: isRight[node]))
                node = parent[node]
            }
            return steps
        }
    }
}

extension FastTextTrainingWorker {
    /// Softmax cross-entropy; every output row moves by lr · (1[target] − p).
    @inline(__always)
    func softmax(target: Int32, _ learningRate: Float) -> Float {
        let n = dimension
        var maximum = -Float.infinity
        for i in 0..<labelCount {
            scores[i] = FastTextVectors.dot(output + i * n, hidden, n)
            maximum = max(maximum, scores[i])
        }
        var z: Float = 0
        for i in 0..<labelCount {
            scores[i] = expf(scores[i] - maximum)
            z += scores[i]
        }
        let inverse = 1 / z
        for i in 0..<labelCount {
            scores[i] *= inverse
            let alpha = learningRate * ((i == Int(target) ? 1 : 0) - scores[i])
            FastTextVectors.update(row: output + i * n, gradient: gradient, hidden: hidden, alpha: alpha, n)
        }
        return -logf(scores[Int(target)] + 1e-5)
    }

    /// A binary logistic on output row `row` (fastText's table sigmoid); returns its loss.
    @inline(__always)
    func binaryLogistic(row: Int, positive: Bool, _ learningRate: Float) -> Float {
        let n = dimension
        let score = FastTextPredictor.sigmoid(FastTextVectors.dot(output + row * n, hidden, n))
        let alpha = learningRate * ((positive ? 1 : 0) - score)
        FastTextVectors.update(row: output + row * n, gradient: gradient, hidden: hidden, alpha: alpha, n)
        return -logf((positive ? score : 1 - score) + 1e-5)
    }

    @inline(__always)
    func oneVsAll(_ labels: UnsafeBufferPointer<Int32>, _ learningRate: Float) -> Float {
        var loss: Float = 0
        for i in 0..<labelCount {
            loss += binaryLogistic(row: i, positive: labels.contains(Int32(i)), learningRate)
        }
        return loss
    }

    @inline(__always)
    func hierarchicalSoftmax(_ path: [FastTextLossFunction.Step], _ learningRate: Float) -> Float {
        var loss: Float = 0
        for step in path { loss += binaryLogistic(row: Int(step.row), positive: step.right, learningRate) }
        return loss
    }
}
