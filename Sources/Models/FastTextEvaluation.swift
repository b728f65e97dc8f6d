/// Precision at 1 on labeled examples, counted as `fasttext test MODEL FILE 1` counts it: an example
/// whose labels are all unknown to the model, or whose text gives no input row, is left out.
public struct FastTextEvaluation: Sendable, Equatable {
    /// Examples evaluated.
    public var examples = 0
    /// Examples whose top label is one of theirs.
    public var correct = 0
    /// Examples left out (no known label, or no input row).
    public var skipped = 0

    public var precisionAtOne: Double { examples > 0 ? Double(correct) / Double(examples) : 0 }

    public init(model: FastTextModel, examples: [FastTextExample]) {
        var labelIndex: [String: Int] = [:]
        for (index, label) in model.labels.enumerated() { labelIndex[label] = index }
        let predictor = model.makePredictor()
        for example in examples {
            let known = Set(example.labels.compactMap { labelIndex[String(decoding: FastTextExample.storedLabel($0), as: UTF8.self)] })
            guard !known.isEmpty, let top = predictor.predict(example.text, k: 1).first else {
                skipped += 1
                continue
            }
            self.examples += 1
            if known.contains(top.label) { correct += 1 }
        }
    }
}
