import Corpus
import Foundation

/// A supervised fastText model (`.bin`, or `.ftz` with product-quantized rows), read exactly as fastText
/// 0.9 reads it, for `predict`: top-k labels with the probabilities `fasttext predict-prob` prints.
/// Immutable and shared between threads; each thread predicts through its own `FastTextPredictor`.
public final class FastTextModel: Sendable {
    public enum Loss: Int32, Sendable {
        case hierarchicalSoftmax = 1, negativeSampling = 2, softmax = 3, oneVsAll = 4
    }

    public let path: String
    public let dimension: Int
    public let loss: Loss
    public let isQuantized: Bool
    /// Label names as stored (`__label__en`), in output order.
    public let labels: [String]
    let dictionary: FastTextDictionary
    let input: FastTextMatrix
    /// The input rows prediction adds: `input`, or for a quantized file without pruned buckets and of at
    /// most 64 MB of floats its rows decoded once (each value is norm · centroid in f32, what adding the
    /// quantized row adds, so sums are the same bit for bit; a row is then one cache line and two vector
    /// adds instead of a lookup per sub-vector). A pruned quantized file predicts through `quantizedRows`.
    let predictionInput: FastTextMatrix
    /// A pruned quantized model's rows as prediction reads them (then `predictionInput` is left quantized).
    let quantizedRows: PrunedQuantizedRows?
    let output: FastTextMatrix
    let tree: HierarchicalSoftmaxTree?
    /// The arguments as the file stored them (`maxn`/`minn` zeroed for a version-11 file), for writing it back.
    let arguments: FastTextArguments

    static let magic: Int32 = 793_712_314
    static let version: Int32 = 12

    public static func load(path: String) throws(ModelFileError) -> FastTextModel {
        let bytes: [UInt8]
        do throws(CorpusError) {
            bytes = try FileSystem.readFile(path)
        } catch {
            throw ModelFileError(path: path, error.message, hint: "check the path (a fastText .bin or .ftz)")
        }
        return try FastTextModel(path: path, bytes: bytes)
    }

    public init(path: String, bytes: [UInt8]) throws(ModelFileError) {
        var reader = BinaryReader(path: path, bytes: bytes)
        let magic = try reader.read(Int32.self, "the magic number")
        guard magic == Self.magic else {
            throw ModelFileError(path: path, "not a fastText model (magic \(magic), expected \(Self.magic))",
                                 hint: "give a fastText .bin or .ftz file (e.g. lid.176.ftz)")
        }
        let version = try reader.read(Int32.self, "the version")
        guard version <= Self.version, version >= 11 else {
            throw ModelFileError(path: path, "fastText file version \(version) is not supported (11–\(Self.version) are)",
                                 hint: "re-save the model with fastText 0.9")
        }
        var args: [Int32] = []
        for name in FastTextArguments.fieldNames {
            args.append(try reader.read(Int32.self, "the argument \(name)"))
        }
        let t = try reader.readDouble("the argument t")
        let dim = Int(args[0]), wordNgrams = Int(args[5]), model = args[7], bucket = Int(args[8])
        var minn = Int(args[9]), maxn = Int(args[10])
        guard let loss = Loss(rawValue: args[6]) else {
            throw ModelFileError(path: path, "unknown loss \(args[6])", hint: "the file is corrupt or from an unknown fastText version")
        }
        guard model == 3 else {
            throw ModelFileError(path: path, "a word-vector model (\(model == 1 ? "cbow" : model == 2 ? "skipgram" : "model \(model)")), not a classifier",
                                 hint: "give a supervised model (trained with `fasttext supervised`)")
        }
        if version == 11 { maxn = 0; minn = 0; args[9] = 0; args[10] = 0 }
        guard dim > 0, dim <= 4096, bucket >= 0, minn >= 0, maxn >= 0 else {
            throw ModelFileError(path: path, "impossible arguments (dim \(dim), bucket \(bucket), minn \(minn), maxn \(maxn))", hint: "the file is corrupt")
        }
        var dictionary = try FastTextDictionary(reader: &reader, minn: minn, maxn: maxn, bucket: bucket, wordNgrams: wordNgrams)
        let quantizedInput = try reader.readBool("the quant_input flag")
        let input = quantizedInput ? try FastTextMatrix.readQuantized(&reader, "input") : try FastTextMatrix.readDense(&reader, "input")
        if !quantizedInput && dictionary.pruneIndexSize >= 0 {
            throw ModelFileError(path: path, "a pruned dictionary without quantized input", hint: "the file is corrupt (fastText refuses it too)")
        }
        let quantizedOutput = try reader.readBool("the qout flag")
        output = quantizedInput && quantizedOutput ? try FastTextMatrix.readQuantized(&reader, "output")
                                                   : try FastTextMatrix.readDense(&reader, "output")
        guard input.columns == dim, output.columns == dim, output.rows == dictionary.labelCount, dictionary.labelCount > 0 else {
            throw ModelFileError(path: path, "matrix shapes (input \(input.rows)×\(input.columns), output \(output.rows)×\(output.columns)) do not fit dim \(dim) and \(dictionary.labelCount) labels",
                                 hint: "the file is corrupt")
        }
        let expectedRows = dictionary.wordCount + (dictionary.pruneIndexSize > 0 ? dictionary.prunedCount : dictionary.pruneIndexSize == 0 ? 0 : bucket)
        guard input.rows >= expectedRows else {
            throw ModelFileError(path: path, "the input matrix has \(input.rows) rows, the dictionary needs \(expectedRows)", hint: "the file is corrupt")
        }
        self.path = path
        self.dimension = dim
        self.loss = loss
        self.isQuantized = quantizedInput
        self.arguments = FastTextArguments(fields: args, t: t)
        self.input = input
        quantizedRows = PrunedQuantizedRows(input, dictionary)
        if quantizedRows == nil {
            // Prediction then lists each word's rows; with `quantizedRows` it adds them without a list.
            dictionary.precomputeSubwords()
            predictionInput = input.decodedForPrediction(maxBytes: 64 << 20)
        } else {
            predictionInput = input
        }
        self.dictionary = dictionary
        labels = (0..<dictionary.labelCount).map { dictionary.label($0) }
        tree = loss == .hierarchicalSoftmax ? HierarchicalSoftmaxTree(counts: dictionary.labelCounts) : nil
    }

    /// A dense model from its parts (what `FastTextTrainer` produces); `path` names it in messages.
    init(path: String, arguments: FastTextArguments, dictionary: FastTextDictionary, input: FastTextMatrix, output: FastTextMatrix) {
        precondition(arguments.model == 3 && input.columns == Int(arguments.dim) && output.rows == dictionary.labelCount)
        self.path = path
        self.dimension = Int(arguments.dim)
        self.loss = Loss(rawValue: arguments.loss)!
        self.isQuantized = false
        self.arguments = arguments
        self.dictionary = dictionary
        self.input = input
        self.predictionInput = input
        self.quantizedRows = nil
        self.output = output
        labels = (0..<dictionary.labelCount).map { dictionary.label($0) }
        tree = loss == .hierarchicalSoftmax ? HierarchicalSoftmaxTree(counts: dictionary.labelCounts) : nil
    }

    public func makePredictor() -> FastTextPredictor { FastTextPredictor(model: self) }
}

/// A label and the probability fastText reports for it (p + 1e-5, as `predict-prob` prints).
public struct FastTextPrediction: Sendable, Equatable {
    public var label: Int
    public var probability: Float
}

/// Predictors lent to steps, one at a time each: a worker's next task (often the next file) borrows the
/// predictor of the last, whose word sums already hold the corpus's frequent words; a fresh predictor per
/// task would start cold each time. Results do not depend on which predictor is used: a word's cached sum
/// is the one it would be computed as.
public final class FastTextPredictorPool: @unchecked Sendable {
    public let model: FastTextModel
    private let lock = NSLock()
    private var idle: [FastTextPredictor] = []

    public init(model: FastTextModel) { self.model = model }

    public func borrow() -> FastTextPredictor {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? model.makePredictor()
    }

    public func giveBack(_ predictor: FastTextPredictor) {
        lock.lock()
        defer { lock.unlock() }
        idle.append(predictor)
    }
}
