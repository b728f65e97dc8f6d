import Foundation
import Models

/// The Markdown report `train-classifier --report` writes: how it was trained, accuracy, per-label
/// precision / recall / F1 and the confusion matrix on the held-out examples.
enum ClassifierReport {
    static func markdown(matrix: ConfusionMatrix, options: String, trainExamples: Int, testDescription: String,
                         skipped: Int, seconds: Double) -> String {
        func number(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "–" }
        var lines: [String] = []
        lines.append("Trained on \(trainExamples) examples in " + String(format: "%.1f", seconds) + " s with `\(options)`.")
        lines.append("")
        let skippedNote = skipped > 0 ? " (\(skipped) left out: label unknown to the model, or no word)" : ""
        lines.append("**Held-out accuracy \(number(matrix.accuracy))** (\(matrix.correct) of \(matrix.total) \(testDescription)\(skippedNote)), "
                     + "macro F1 \(number(matrix.macroF1)).")
        lines.append("")
        lines.append("| # | label | held out | predicted | precision | recall | F1 |")
        lines.append("|---:|---|---:|---:|---:|---:|---:|")
        for (index, label) in matrix.labels.enumerated() {
            lines.append("| \(index + 1) | \(label) | \(matrix.support(label)) | \(matrix.predicted(label)) | \(number(matrix.precision(label))) | "
                         + "\(number(matrix.recall(label))) | \(number(matrix.f1(label))) |")
        }
        lines.append("")
        lines.append("Confusion matrix: rows are the true labels, columns the predicted ones, numbered as above; · is 0.")
        lines.append("")
        let numbers = matrix.labels.indices.map { String($0 + 1) }
        lines.append("| true \\ predicted | " + numbers.joined(separator: " | ") + " |")
        lines.append("|---|" + numbers.map { _ in "---:|" }.joined())
        for (row, label) in matrix.labels.enumerated() {
            let cells = matrix.counts[row].enumerated().map { column, count in
                count == 0 ? "·" : column == row ? "**\(count)**" : String(count)
            }
            lines.append("| \(row + 1) \(label) | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
