import Corpus
import Foundation
import Testing
@testable import Models

/// Models trained by the reference fastText and by Syllabus, each predicted by the other
/// (fixtures: tools/reference/fasttext_train_fixtures.sh).
@Suite struct FastTextCrossLoadingTests {
    static let folder = Fixtures.repository + "/Tests/Fixtures/models/"

    /// `fasttext predict-prob M F 1` output: one "label probability" line per test line.
    static func referencePredictions(_ name: String) throws -> [(label: String, probability: Float)] {
        try String(contentsOfFile: folder + name, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), Float(fields[1])!)
        }
    }

    static func check(model path: String, predictions: String) throws {
        let model = try FastTextModel.load(path: folder + path)
        let predictor = model.makePredictor()
        let test = try Fixtures.tnewsSplit().test
        let expected = try referencePredictions(predictions)
        #expect(expected.count == test.count)
        var agree = 0
        for (example, reference) in zip(test, expected) {
            let ours = try #require(predictor.predict(example.text, k: 1).first)
            if model.labels[ours.label] == reference.label { agree += 1 }
            #expect(abs(ours.probability - reference.probability) < 1e-4, "\(example.text)")
        }
        #expect(agree == test.count, "\(path): \(agree) of \(test.count) top labels agree with the reference")
    }

    @Test func referenceTrainedModelPredictsAsTheReferenceDoes() throws {
        try Self.check(model: "tnews-reference.bin", predictions: "tnews-reference-predictions.txt")
    }

    @Test(arguments: ["softmax", "hs"])
    func ourModelPredictedByTheReferenceGivesOurLabels(loss: String) throws {
        try Self.check(model: "tnews-syllabus-\(loss).bin", predictions: "tnews-syllabus-\(loss)-predictions.txt")
    }

    /// A `.bin` the reference wrote, read and written again by Syllabus, is the same file.
    @Test func referenceModelIsWrittenBackByteForByte() throws {
        let model = try FastTextModel.load(path: Self.folder + "tnews-reference.bin")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-fasttext-\(getpid())-rewrite.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try FastTextModelWriter.write(model, to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: URL(fileURLWithPath: Self.folder + "tnews-reference.bin")))
    }

    /// The committed Syllabus models are what training gives today (same data, options and seed).
    @Test func committedModelIsWhatTrainingGives() throws {
        var options = FastTextTrainingOptions()
        options.dimension = 8
        options.bucket = 10_000
        options.minn = 1
        options.maxn = 2
        options.wordNgrams = 2
        options.epochs = 25
        options.learningRate = 0.5
        let model = try FastTextTrainer(options: options).train(examples: try Fixtures.tnewsSplit().train)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-fasttext-\(getpid())-committed.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try FastTextModelWriter.write(model, to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: URL(fileURLWithPath: Self.folder + "tnews-syllabus-softmax.bin")),
                "training changed: rerun tools/reference/fasttext_train_fixtures.sh (and check the reference still agrees)")
    }
}
