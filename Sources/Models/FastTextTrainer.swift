import Foundation
import Synchronization

/// Trains a supervised fastText classifier (`fasttext supervised`): a dictionary from the examples, input
/// rows initialised uniformly in [−1/dim, 1/dim], output rows at zero, then SGD over the examples in
/// order for `epochs` passes with the rate decaying linearly to 0 over the tokens processed.
///
/// With one thread the model is a function of the examples, the options and the seed (byte-identical
/// `.bin`). With several, each thread starts at its share of the examples and they update the shared
/// weights without locks (Hogwild, as fastText): faster, not reproducible.
public struct FastTextTrainer: Sendable {
    public let options: FastTextTrainingOptions

    public init(options: FastTextTrainingOptions) {
        self.options = options
    }

    public func train(examples: [FastTextExample], progress: (@Sendable (FastTextTrainingProgress) -> Void)? = nil)
        throws(FastTextTrainingError) -> FastTextModel {
        try options.validate()
        guard !examples.isEmpty else { throw FastTextTrainingError("no training examples", hint: "give a file with labeled examples") }
        var vocabulary = FastTextVocabularyBuilder()
        for example in examples { vocabulary.add(example) }
        let dictionary = vocabulary.dictionary(options)
        guard dictionary.labelCount > 0 else {
            throw FastTextTrainingError("no label is left to learn (\(examples.count) examples, minCountLabel \(options.minCountLabel))",
                                        hint: "give each example at least one label, or lower minCountLabel")
        }
        guard dictionary.wordCount > 0 else {
            throw FastTextTrainingError("no word is left in the dictionary (minCount \(options.minCount))", hint: "lower minCount")
        }
        let data = FastTextTrainingData(examples: examples, dictionary: dictionary)
        let dim = options.dimension
        let inputRows = dictionary.wordCount + dictionary.bucket
        var input = Self.uniformMatrix(rows: inputRows, columns: dim, seed: options.seed, threads: options.threads)
        var output = [Float](repeating: 0, count: dictionary.labelCount * dim)
        let loss = FastTextLossFunction(options.loss, labelCounts: dictionary.labelCounts)
        input.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                run(data: data, input: input.baseAddress!, output: output.baseAddress!, labelCount: dictionary.labelCount,
                    loss: loss, progress: progress)
            }
        }
        let arguments = FastTextArguments(dim: Int32(dim), epoch: Int32(options.epochs), minCount: Int32(options.minCount),
                                          wordNgrams: Int32(options.wordNgrams), loss: options.loss.stored.rawValue,
                                          bucket: Int32(dictionary.bucket), minn: Int32(dictionary.minn), maxn: Int32(dictionary.maxn),
                                          lrUpdateRate: Int32(options.learningRateUpdateRate))
        return FastTextModel(path: "(trained in memory)", arguments: arguments, dictionary: dictionary,
                             input: .dense(rows: inputRows, columns: dim, values: input),
                             output: .dense(rows: dictionary.labelCount, columns: dim, values: output))
    }

    /// Uniform in [−1/dim, 1/dim], drawn in fixed blocks of rows with a generator per block, so the
    /// matrix depends on the seed only (not on the thread count that fills it).
    static func uniformMatrix(rows: Int, columns: Int, seed: UInt64, threads: Int) -> [Float] {
        let count = rows * columns
        let block = 1 << 18
        let blocks = (count + block - 1) / block
        let bound = Float(1.0 / Double(columns))
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let base = SharedPointer(buffer.baseAddress!)
            let fill: @Sendable (Int) -> Void = { first in
                var b = first
                while b < blocks {
                    var random = FastTextRandom(seed: seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(b) &* 0x9E37_79B9_7F4A_7C15)
                    for i in (b * block)..<min(count, (b + 1) * block) { base.pointer[i] = random.uniform(bound) }
                    b += threads
                }
            }
            if threads == 1 || blocks < 2 { fill(0) } else { Self.onThreads(threads) { fill($0) } }
            initialized = count
        }
    }

    private func run(data: FastTextTrainingData, input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>,
                     labelCount: Int, loss: FastTextLossFunction, progress: (@Sendable (FastTextTrainingProgress) -> Void)?) {
        let shared = SharedProgress()
        let total = Int64(options.epochs) * max(1, data.tokenTotal)
        let started = ContinuousClock.now
        let options = self.options
        let inputPointer = SharedPointer(input), outputPointer = SharedPointer(output)
        data.rows.withUnsafeBufferPointer { rows in
            data.labels.withUnsafeBufferPointer { labels in
                let rowsPointer = SharedConstPointer(rows), labelsPointer = SharedConstPointer(labels)
                let body: @Sendable (Int) -> Void = { thread in
                    let worker = FastTextTrainingWorker(dimension: options.dimension, labelCount: labelCount, input: inputPointer.pointer,
                                                        output: outputPointer.pointer, loss: loss,
                                                        seed: options.seed &+ UInt64(thread) &* 0xD1B5_4A32_D192_ED03 &+ 1)
                    Self.trainThread(thread, worker: worker, data: data, rows: rowsPointer.buffer, labels: labelsPointer.buffer,
                                     total: total, shared: shared, options: options, started: started,
                                     progress: thread == 0 ? progress : nil)
                }
                if options.threads == 1 { body(0) } else { Self.onThreads(options.threads, body) }
            }
        }
    }

    private static func trainThread(_ thread: Int, worker: FastTextTrainingWorker, data: FastTextTrainingData,
                                    rows: UnsafeBufferPointer<Int32>, labels: UnsafeBufferPointer<Int32>, total: Int64,
                                    shared: SharedProgress, options: FastTextTrainingOptions, started: ContinuousClock.Instant,
                                    progress: (@Sendable (FastTextTrainingProgress) -> Void)?) {
        let count = data.count
        var index = thread * count / options.threads
        var localTokens: Int64 = 0
        let updateRate = Int64(options.learningRateUpdateRate)
        let rate = options.learningRate
        var sinceReport = 0
        data.rowStarts.withUnsafeBufferPointer { rowStarts in
            data.labelStarts.withUnsafeBufferPointer { labelStarts in
                data.tokens.withUnsafeBufferPointer { tokens in
                    while true {
                        let done = shared.tokens.load(ordering: .relaxed)
                        if done >= total { break }
                        let fraction = Float(done) / Float(total)
                        let learningRate = rate * (1 - fraction)
                        localTokens += Int64(tokens[index])
                        worker.update(rows: UnsafeBufferPointer(rebasing: rows[rowStarts[index]..<rowStarts[index + 1]]),
                                      labels: UnsafeBufferPointer(rebasing: labels[labelStarts[index]..<labelStarts[index + 1]]),
                                      learningRate: learningRate)
                        index += 1
                        if index == count { index = 0 }
                        if localTokens > updateRate {
                            shared.tokens.add(localTokens, ordering: .relaxed)
                            localTokens = 0
                        }
                        if let progress {
                            sinceReport += 1
                            if sinceReport >= 4096 {
                                sinceReport = 0
                                let seconds = started.duration(to: .now).seconds
                                progress(FastTextTrainingProgress(fraction: Double(fraction), learningRate: learningRate,
                                                                  averageLoss: worker.averageLoss,
                                                                  examplesPerSecond: Double(worker.examples * options.threads) / max(seconds, 1e-9),
                                                                  seconds: seconds))
                            }
                        }
                    }
                }
            }
        }
        if let progress {
            let seconds = started.duration(to: .now).seconds
            progress(FastTextTrainingProgress(fraction: 1, learningRate: 0, averageLoss: worker.averageLoss,
                                              examplesPerSecond: Double(worker.examples * options.threads) / max(seconds, 1e-9),
                                              seconds: seconds))
        }
    }

    /// Runs `body(0..<threads)` on that many threads and waits for them.
    static func onThreads(_ threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            let worker = Thread {
                body(thread)
                group.leave()
            }
            worker.stackSize = 1 << 20
            worker.start()
        }
        group.wait()
    }
}

/// Where training is, reported from the first thread every 4,096 of its examples and at the end.
public struct FastTextTrainingProgress: Sendable {
    /// Tokens processed / tokens of all epochs.
    public var fraction: Double
    public var learningRate: Float
    /// The first thread's mean loss per example so far.
    public var averageLoss: Double
    /// Examples per second, all threads (the first thread's rate × threads).
    public var examplesPerSecond: Double
    public var seconds: Double
}

/// Tokens processed by all threads (fastText's `tokenCount_`), which sets the learning rate.
private final class SharedProgress: Sendable {
    let tokens = Atomic<Int64>(0)
}

/// A pointer handed to training threads, which write through it without locks (Hogwild).
private struct SharedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

private struct SharedConstPointer: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Int32>
    init(_ buffer: UnsafeBufferPointer<Int32>) { self.buffer = buffer }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
