/// The examples encoded once into input rows and label ids, so that epochs do not tokenize again
/// (fastText re-reads and re-hashes its input file every epoch).
struct FastTextTrainingData {
    /// Every example's input rows, one after another.
    private(set) var rows: [Int32] = []
    /// Example i's rows are `rows[rowStarts[i]..<rowStarts[i + 1]]`.
    private(set) var rowStarts: [Int] = [0]
    private(set) var labels: [Int32] = []
    private(set) var labelStarts: [Int] = [0]
    /// Tokens per example, as fastText counts them for the learning rate (labels, words and `</s>`).
    private(set) var tokens: [Int32] = []
    private(set) var tokenTotal: Int64 = 0

    var count: Int { tokens.count }

    init(examples: [FastTextExample], dictionary: FastTextDictionary) {
        var encoder = FastTextInputEncoder()
        var labelIndex: [[UInt8]: Int32] = [:]
        for index in 0..<dictionary.labelCount { labelIndex[dictionary.word(dictionary.wordCount + index)] = Int32(index) }
        rowStarts.reserveCapacity(examples.count + 1)
        labelStarts.reserveCapacity(examples.count + 1)
        tokens.reserveCapacity(examples.count)
        for example in examples {
            var text = example.text
            text.withUTF8 { encoder.encode($0, dictionary) }
            rows += encoder.ids
            rowStarts.append(rows.count)
            for label in example.labels {
                if let id = labelIndex[FastTextExample.storedLabel(label)], !labels[labelStarts.last!...].contains(id) { labels.append(id) }
            }
            labelStarts.append(labels.count)
            let count = encoder.tokenCount + example.labels.count
            tokens.append(Int32(clamping: count))
            tokenTotal += Int64(count)
        }
    }
}
