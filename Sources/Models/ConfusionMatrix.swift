/// Counts of (true label, predicted label) pairs over single-label test examples, with per-label precision,
/// recall and F1. `counts[t][p]` is how many examples of `labels[t]` were predicted `labels[p]`.
public struct ConfusionMatrix: Sendable, Equatable {
    public private(set) var labels: [String]
    public private(set) var counts: [[Int]]
    private var position: [String: Int]

    /// An empty matrix over `labels` (in that order); labels met later are appended.
    public init(labels: [String] = []) {
        self.labels = []
        self.counts = []
        self.position = [:]
        for label in labels { _ = index(of: label) }
    }

    private mutating func index(of label: String) -> Int {
        if let index = position[label] { return index }
        position[label] = labels.count
        labels.append(label)
        for row in counts.indices { counts[row].append(0) }
        counts.append([Int](repeating: 0, count: labels.count))
        return labels.count - 1
    }

    public mutating func add(actual: String, predicted: String, count: Int = 1) {
        let row = index(of: actual), column = index(of: predicted)
        counts[row][column] += count
    }

    public func count(actual: String, predicted: String) -> Int {
        guard let row = position[actual], let column = position[predicted] else { return 0 }
        return counts[row][column]
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    public var correct: Int { labels.indices.reduce(0) { $0 + counts[$1][$1] } }
    public var accuracy: Double { total > 0 ? Double(correct) / Double(total) : 0 }

    /// Examples whose true label is `label`.
    public func support(_ label: String) -> Int { position[label].map { counts[$0].reduce(0, +) } ?? 0 }
    /// Examples predicted `label`.
    public func predicted(_ label: String) -> Int { position[label].map { column in counts.reduce(0) { $0 + $1[column] } } ?? 0 }

    /// Correct among those predicted `label`; nil when nothing was.
    public func precision(_ label: String) -> Double? {
        let predicted = predicted(label)
        return predicted > 0 ? Double(count(actual: label, predicted: label)) / Double(predicted) : nil
    }

    /// Found among the examples of `label`; nil when there are none.
    public func recall(_ label: String) -> Double? {
        let support = support(label)
        return support > 0 ? Double(count(actual: label, predicted: label)) / Double(support) : nil
    }

    /// Harmonic mean of precision and recall; 0 when either is 0, nil when either is undefined.
    public func f1(_ label: String) -> Double? {
        guard let p = precision(label), let r = recall(label) else { return nil }
        return p + r > 0 ? 2 * p * r / (p + r) : 0
    }

    /// Mean F1 over the labels with examples (an undefined precision counts as 0).
    public var macroF1: Double {
        let present = labels.filter { support($0) > 0 }
        guard !present.isEmpty else { return 0 }
        return present.reduce(0) { $0 + (f1($1) ?? 0) } / Double(present.count)
    }
}

extension ConfusionMatrix {
    /// The top-1 predictions of `model` on single-label `examples` (an example's first label is its true
    /// one), over `labels` first; examples are left out as `FastTextEvaluation` leaves them out (a true
    /// label the model lacks, or no input row), so `accuracy` is its precision@1.
    public init(model: FastTextModel, examples: [FastTextExample], labels: [String] = []) {
        self.init(labels: labels)
        let known = Set(model.labels)
        let predictor = model.makePredictor()
        let prefix = FastTextDictionary.labelPrefix.count
        func name(_ stored: String) -> String { String(decoding: Array(stored.utf8.dropFirst(prefix)), as: UTF8.self) }
        for example in examples {
            guard let first = example.labels.first else { continue }
            let actual = String(decoding: FastTextExample.storedLabel(first), as: UTF8.self)
            guard known.contains(actual), let top = predictor.predict(example.text, k: 1).first else { continue }
            add(actual: name(actual), predicted: name(model.labels[top.label]))
        }
    }
}
