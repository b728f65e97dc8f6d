import ArgumentParser
import Corpus
import Curation
import Foundation
import Models

/// `syllabus train-classifier`: a supervised fastText classifier from labeled JSONL, saved as a `.bin`
/// that fastText and `classify` load.
struct TrainClassifierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Train a fastText classifier (.bin) on labeled JSONL.",
        discussion: """
            Each record holds a text and a label: a string, or a list of strings for several labels. Labels are \
            stored as __label__NAME (whitespace in a name becomes _). The text is read as one fastText line: \
            split on whitespace, newlines included. The options and defaults are `fasttext supervised`'s; \
            --bucket applies only with --word-ngrams > 1 or --maxn > 0. With --threads 1 (the default) the \
            model is the same for the same data, options and seed; more threads train lock-free (Hogwild), \
            faster but not reproducible. The reference `fasttext` loads the .bin (predict, test).

            Examples:
              syllabus train-classifier --input topics.jsonl --label-field topic --output topics.bin --holdout 0.1
              syllabus train-classifier --input train.jsonl --validation valid.jsonl --output m.bin \\
                  --word-ngrams 2 --epoch 25 --lr 1.0 --loss ova --threads 4
              syllabus train-classifier --input runs/topics/zh.jsonl --taxonomy zh --holdout 0.1 \\
                  --minn 1 --maxn 2 --report runs/topics/zh.md --output runs/topics/zh.bin

            --report writes Markdown: the options, held-out accuracy, per-label precision, recall and F1 and \
            the confusion matrix (each example's first label is its true one). --taxonomy en|zh checks, \
            before training, that every label is a topic of SPEC §4's English or Chinese set.
            """)

    @Option(help: "Labeled JSONL (.jsonl, .jsonl.gz, .jsonl.zst).")
    var input: String

    @Option(help: "The field holding the label (a string or a list of strings).")
    var labelField = "label"

    @Option(help: "The field holding the text.")
    var textField = "text"

    @Option(help: "Where to write the model (.bin).")
    var output: String

    @Option(help: "Size of the word vectors.")
    var dim = 100

    @Option(help: "Passes over the training examples.")
    var epoch = 5

    @Option(help: "Starting learning rate (decays linearly to 0).")
    var lr: Float = 0.1

    @Option(help: "Word n-gram length (1: words only).")
    var wordNgrams = 1

    @Option(help: "Minimum count of a word to enter the dictionary.")
    var minCount = 1

    @Option(help: "Minimum count of a label.")
    var minCountLabel = 0

    @Option(help: "Hash buckets for word and character n-grams.")
    var bucket = 2_000_000

    @Option(help: "Shortest character n-gram (with --maxn).")
    var minn = 0

    @Option(help: "Longest character n-gram (0: none).")
    var maxn = 0

    @Option(help: "softmax, ova (one-vs-all, for several labels per text) or hs (hierarchical softmax).")
    var loss = "softmax"

    @Option(help: "Training threads (1: deterministic).")
    var threads = 1

    @Option(help: "Seed for the initial weights, label picks and --holdout.")
    var seed: UInt64 = 0

    @Option(help: "Labeled JSONL to measure precision@1 on after training.")
    var validation: String?

    @Option(help: "Fraction of --input to keep out of training and measure precision@1 on (e.g. 0.1).")
    var holdout: Double?

    @Option(help: "Write each held-out example's top label and probability (TSV, as `fasttext predict-prob M F 1` prints them).")
    var predictions: String?

    @Option(help: "Write a Markdown report of the held-out evaluation: per-label precision/recall/F1 and the confusion matrix.")
    var report: String?

    @Option(help: "Check that every label is a topic of a built-in label set: en or zh (SPEC §4).")
    var taxonomy: String?

    func validate() throws {
        if let taxonomy, TopicTaxonomy(rawValue: taxonomy) == nil {
            throw ValidationError("--taxonomy must be en or zh (got \(taxonomy))")
        }
        if report != nil && holdout == nil && validation == nil { throw ValidationError("--report needs --holdout or --validation") }
        guard FastTextTrainingOptions.Loss(rawValue: loss) != nil else {
            throw ValidationError("--loss must be softmax, ova or hs (got \(loss))")
        }
        if let holdout, !(holdout > 0 && holdout < 1) { throw ValidationError("--holdout is a fraction between 0 and 1 (got \(holdout))") }
        if holdout != nil && validation != nil { throw ValidationError("give --holdout or --validation, not both") }
    }

    /// The training options as a command line would give them (defaults left out).
    var optionsDescription: String {
        var parts = ["--dim \(dim)", "--epoch \(epoch)", "--lr \(lr)", "--word-ngrams \(wordNgrams)", "--min-count \(minCount)"]
        if maxn > 0 { parts += ["--minn \(minn)", "--maxn \(maxn)"] }
        if wordNgrams > 1 || maxn > 0 { parts.append("--bucket \(bucket)") }
        parts += ["--loss \(loss)", "--threads \(threads)", "--seed \(seed)"]
        return parts.joined(separator: " ")
    }

    func run() throws {
        var options = FastTextTrainingOptions()
        options.dimension = dim
        options.epochs = epoch
        options.learningRate = lr
        options.wordNgrams = wordNgrams
        options.minCount = minCount
        options.minCountLabel = minCountLabel
        options.bucket = bucket
        options.minn = minn
        options.maxn = maxn
        options.loss = FastTextTrainingOptions.Loss(rawValue: loss)!
        options.threads = threads
        options.seed = seed
        let standardError = FileHandle.standardError
        do {
            var examples = try FastTextLabeledJSONL.read(path: input, labelField: labelField, textField: textField)
            var test: [FastTextExample] = []
            if let holdout {
                (examples, test) = FastTextExample.holdOut(examples, fraction: holdout, seed: seed)
            } else if let validation {
                test = try FastTextLabeledJSONL.read(path: validation, labelField: labelField, textField: textField)
            }
            if let taxonomy = taxonomy.flatMap(TopicTaxonomy.init(rawValue:)) {
                var seen = Set<String>()
                let labels = (examples + test).flatMap(\.labels).filter { seen.insert($0).inserted }
                let unknown = taxonomy.unknownLabels(labels)
                if !unknown.isEmpty {
                    throw CorpusError(.invalidRecord, path: validation ?? input,
                                      message: "\(unknown.count) label\(unknown.count == 1 ? "" : "s") not in the \(taxonomy.rawValue) taxonomy: "
                                          + unknown.joined(separator: ", "),
                                      hint: "the \(taxonomy.rawValue) topics are \(taxonomy.labels.joined(separator: ", ")); map labels onto them "
                                          + "with `syllabus build-training-set --map`")
                }
            }
            let started = Date()
            // A live line on a terminal; in a log, one line per 10%.
            let live = isatty(2) != 0
            let lastDecile = LastDecile()
            let model = try FastTextTrainer(options: options).train(examples: examples) { progress in
                guard live || lastDecile.advance(to: Int(progress.fraction * 10)) else { return }
                let line = String(format: "\rtrain-classifier: %5.1f%%  %8.0f examples/s  lr %.6f  loss %.4f",
                                  progress.fraction * 100, progress.examplesPerSecond, progress.learningRate, progress.averageLoss)
                standardError.write(Data((live ? line : String(line.dropFirst()) + "\n").utf8))
            }
            let seconds = Date().timeIntervalSince(started)
            try FastTextModelWriter.write(model, to: URL(fileURLWithPath: output))
            standardError.write(Data(((live ? "\n" : "") + "train-classifier: \(examples.count) examples, \(model.labels.count) labels, trained in "
                                      + String(format: "%.2f", seconds) + " s; wrote \(output)\n").utf8))
            if !test.isEmpty {
                let result = FastTextEvaluation(model: model, examples: test)
                let skipped = result.skipped > 0 ? ", \(result.skipped) without a known label or any word left out" : ""
                print(String(format: "held-out precision@1 %.4f", result.precisionAtOne) + " (\(result.correct) of \(result.examples) examples\(skipped))")
                if let report {
                    // Rows in taxonomy order, else the model's (most frequent first).
                    let modelLabels = model.labels.map { $0.hasPrefix("__label__") ? String($0.dropFirst(9)) : $0 }
                    let order = taxonomy.flatMap(TopicTaxonomy.init(rawValue:))?.labels.filter(modelLabels.contains) ?? modelLabels
                    let matrix = ConfusionMatrix(model: model, examples: test, labels: order)
                    let description = holdout.map { "held-out examples: " + String(format: "%g", $0 * 100) + "% of the input, drawn with seed \(seed)" }
                        ?? "examples of \(validation ?? "")"
                    let text = ClassifierReport.markdown(matrix: matrix, options: optionsDescription, trainExamples: examples.count,
                                                         testDescription: description, skipped: test.count - matrix.total, seconds: seconds)
                    do {
                        try text.write(toFile: report, atomically: true, encoding: .utf8)
                    } catch {
                        throw CorpusError(.cannotWrite, path: report, message: "\(error.localizedDescription)", hint: "check the folder and its permissions")
                    }
                    print("wrote the report to \(report)")
                }
            }
            if let predictions {
                let predictor = model.makePredictor()
                var lines = ""
                for example in test {
                    if let top = predictor.predict(example.text, k: 1).first {
                        lines += model.labels[top.label] + "\t" + String(format: "%.5f", top.probability)
                    }
                    lines += "\n"
                }
                do {
                    try lines.write(toFile: predictions, atomically: true, encoding: .utf8)
                } catch {
                    throw CorpusError(.cannotWrite, path: predictions, message: "\(error.localizedDescription)", hint: "check the folder and its permissions")
                }
            }
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        } catch let error as FastTextTrainingError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as ModelFileError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}

/// The last tenth of training reported, shared by the training threads' progress calls.
private final class LastDecile: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1

    /// Whether `decile` is past the last one reported (and records it).
    func advance(to decile: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard decile > value else { return false }
        value = decile
        return true
    }
}
