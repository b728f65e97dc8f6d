/// One training thread: its hidden vector, gradient, scores and generator, and the update of one example
/// (fastText's `Model::update` with `normalizeGradient`, as supervised training does).
final class FastTextTrainingWorker {
    let dimension: Int
    let labelCount: Int
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let loss: FastTextLossFunction
    let hidden: UnsafeMutablePointer<Float>
    let gradient: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
    var random: FastTextRandom
    /// Sum of the losses of the examples updated, and their number (fastText's running average loss).
    private(set) var lossSum: Double = 0
    private(set) var examples = 0

    init(dimension: Int, labelCount: Int, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
         loss: FastTextLossFunction, seed: UInt64) {
        self.dimension = dimension
        self.labelCount = labelCount
        self.input = input
        self.output = output
        self.loss = loss
        hidden = .allocate(capacity: dimension)
        gradient = .allocate(capacity: dimension)
        scores = .allocate(capacity: max(1, labelCount))
        random = FastTextRandom(seed: seed)
    }

    deinit {
        hidden.deallocate()
        gradient.deallocate()
        scores.deallocate()
    }

    /// One SGD step on an example: hidden = mean of its input rows; the loss updates the output rows and
    /// accumulates the gradient; each input row moves by gradient / row count.
    @inline(__always)
    func update(rows: UnsafeBufferPointer<Int32>, labels: UnsafeBufferPointer<Int32>, learningRate: Float) {
        guard rows.count > 0, labels.count > 0 else { return }
        let n = dimension
        hidden.initialize(repeating: 0, count: n)
        for row in rows { FastTextVectors.add(input + Int(row) * n, to: hidden, n) }
        let scale = Float(1.0 / Double(rows.count))
        FastTextVectors.scale(hidden, by: scale, n)
        gradient.initialize(repeating: 0, count: n)
        let value: Float
        switch loss {
        case .softmax:
            value = softmax(target: labels[labels.count == 1 ? 0 : random.below(labels.count)], learningRate)
        case .oneVsAll:
            value = oneVsAll(labels, learningRate)
        case let .hierarchicalSoftmax(paths):
            let target = Int(labels[labels.count == 1 ? 0 : random.below(labels.count)])
            value = hierarchicalSoftmax(paths[target], learningRate)
        }
        lossSum += Double(value)
        examples += 1
        FastTextVectors.scale(gradient, by: scale, n)
        for row in rows { FastTextVectors.add(gradient, to: input + Int(row) * n, n) }
    }

    var averageLoss: Double { examples > 0 ? lossSum / Double(examples) : 0 }
}
