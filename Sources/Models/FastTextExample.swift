/// One labeled text for training or testing a classifier: what a fastText input line holds.
public struct FastTextExample: Sendable, Equatable {
    /// Label names, with or without the `__label__` prefix (it is added when missing).
    public var labels: [String]
    /// The text, read as one fastText line (`FastTextInputEncoder`): newlines are separators like spaces.
    public var text: String

    public init(labels: [String], text: String) {
        self.labels = labels
        self.text = text
    }

    /// A label as the dictionary stores it: `__label__` + the name, with whitespace (which would split a
    /// fastText line) and NUL (which ends a `.bin` string) replaced by `_`.
    static func storedLabel(_ name: String) -> [UInt8] {
        var bytes = Array(name.utf8)
        for index in bytes.indices where FastTextInputEncoder.isSeparator(bytes[index]) { bytes[index] = UInt8(ascii: "_") }
        if bytes.starts(with: FastTextDictionary.labelPrefix) { return bytes }
        return FastTextDictionary.labelPrefix + bytes
    }
}

extension FastTextExample {
    /// Splits off `fraction` of the examples, drawn with `seed`, for testing; both parts keep their order.
    public static func holdOut(_ examples: [FastTextExample], fraction: Double, seed: UInt64)
        -> (train: [FastTextExample], test: [FastTextExample]) {
        let testCount = min(examples.count, Int((Double(examples.count) * fraction).rounded()))
        var order = Array(examples.indices)
        var random = FastTextRandom(seed: seed ^ 0x486F_6C64_4F75_7421)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        var isTest = [Bool](repeating: false, count: examples.count)
        for index in order.prefix(testCount) { isTest[index] = true }
        var train: [FastTextExample] = [], test: [FastTextExample] = []
        for (index, example) in examples.enumerated() {
            if isTest[index] { test.append(example) } else { train.append(example) }
        }
        return (train, test)
    }
}
