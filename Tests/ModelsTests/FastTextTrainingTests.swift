import Corpus
import Foundation
import Testing
@testable import Models

extension Fixtures {
    /// 926 TNEWS news titles with 13 topics (Tests/Fixtures/models/README.md), shuffled with a fixed seed.
    static var tnews: String { repository + "/Tests/Fixtures/models/tnews-topics.jsonl" }

    static func tnewsSplit() throws -> (train: [FastTextExample], test: [FastTextExample]) {
        let examples = try FastTextLabeledJSONL.read(path: tnews)
        return (Array(examples[..<800]), Array(examples[800...]))
    }

    /// Chinese titles have no spaces: character 1–2-grams carry the signal.
    static var tnewsOptions: FastTextTrainingOptions {
        var options = FastTextTrainingOptions()
        options.minn = 1
        options.maxn = 2
        options.bucket = 200_000
        options.epochs = 25
        options.learningRate = 0.5
        return options
    }
}

@Suite struct FastTextTrainingTests {
    @Test(arguments: FastTextTrainingOptions.Loss.allCases)
    func learnsTopicsOfRealNewsTitles(loss: FastTextTrainingOptions.Loss) throws {
        let (train, test) = try Fixtures.tnewsSplit()
        var options = Fixtures.tnewsOptions
        options.loss = loss
        let model = try FastTextTrainer(options: options).train(examples: train)
        let result = FastTextEvaluation(model: model, examples: test)
        print("tnews \(loss): P@1 \(result.precisionAtOne) on \(result.examples)")
        #expect(result.examples == 126)
        // 13 topics, the largest 15% of the test titles; the reference fastText 0.9.2 gets 0.41 (softmax),
        // 0.39 (ova), 0.29 (hs) with these options and -thread 1 (where it initialises only a tenth of its
        // input rows; Benchmarks/fasttext_train.sh); an untrained model gets about 0.1.
        #expect(result.precisionAtOne > 0.3)
    }
}

@Suite struct FastTextTrainerBehaviourTests {
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-fasttext-\(getpid())-\(name)")
    }

    @Test func oneThreadIsDeterministic() throws {
        let (train, _) = try Fixtures.tnewsSplit()
        var options = Fixtures.tnewsOptions
        options.epochs = 3
        options.wordNgrams = 2
        options.seed = 42
        var files: [Data] = []
        for run in 0..<2 {
            let url = Self.temporary("determinism-\(run).bin")
            defer { try? FileManager.default.removeItem(at: url) }
            try FastTextModelWriter.write(try FastTextTrainer(options: options).train(examples: train), to: url)
            files.append(try Data(contentsOf: url))
        }
        #expect(files[0] == files[1])
        options.seed = 43
        let url = Self.temporary("determinism-other.bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try FastTextModelWriter.write(try FastTextTrainer(options: options).train(examples: train), to: url)
        #expect(try Data(contentsOf: url) != files[0], "another seed gives other weights")
    }

    @Test func hogwildThreadsStillLearn() throws {
        let (train, test) = try Fixtures.tnewsSplit()
        var options = Fixtures.tnewsOptions
        options.threads = 3
        let model = try FastTextTrainer(options: options).train(examples: train)
        #expect(FastTextEvaluation(model: model, examples: test).precisionAtOne > 0.3)
    }

    @Test(arguments: FastTextTrainingOptions.Loss.allCases)
    func writtenModelReadsBackWithTheSamePredictions(loss: FastTextTrainingOptions.Loss) throws {
        let (train, test) = try Fixtures.tnewsSplit()
        var options = Fixtures.tnewsOptions
        options.epochs = 5
        options.wordNgrams = 2
        options.loss = loss
        let model = try FastTextTrainer(options: options).train(examples: train)
        let url = Self.temporary("roundtrip-\(loss).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try FastTextModelWriter.write(model, to: url)
        let loaded = try FastTextModel.load(path: url.path)
        #expect(loaded.labels == model.labels && loaded.loss == options.loss.stored && loaded.arguments == model.arguments)
        let trained = model.makePredictor(), read = loaded.makePredictor()
        for example in test {
            #expect(trained.predict(example.text, k: 3) == read.predict(example.text, k: 3))
        }
        // Written again, the loaded model gives the same bytes.
        let again = Self.temporary("roundtrip-\(loss)-again.bin")
        defer { try? FileManager.default.removeItem(at: again) }
        try FastTextModelWriter.write(loaded, to: again)
        #expect(try Data(contentsOf: url) == Data(contentsOf: again))
    }

    @Test func trainingEncodesTextAsPredictionDoes() throws {
        var examples = try Fixtures.tnewsSplit().train
        examples.append(FastTextExample(labels: ["x"], text: "a b\nc\t__label__y  d e </s> 文字"))
        var options = Fixtures.tnewsOptions
        options.epochs = 1
        options.wordNgrams = 3
        options.minCount = 2
        let model = try FastTextTrainer(options: options).train(examples: examples)
        let data = FastTextTrainingData(examples: examples, dictionary: model.dictionary)
        let predictor = model.makePredictor()
        for (index, example) in examples.enumerated() {
            #expect(Array(data.rows[data.rowStarts[index]..<data.rowStarts[index + 1]]) == predictor.inputRows(example.text))
        }
        // The mixed line: 8 text tokens (one a label, skipped), </s> and its label: 10 tokens.
        #expect(data.tokens.last == 10)
    }

    @Test func dictionaryFollowsFastTextsCountsAndOrder() throws {
        let examples = [
            FastTextExample(labels: ["b"], text: "x y y"),
            FastTextExample(labels: ["a", "__label__b"], text: "z y\nx"),
            FastTextExample(labels: ["c"], text: "q"),
        ]
        var options = FastTextTrainingOptions()
        options.minCount = 2
        options.minCountLabel = 1
        var builder = FastTextVocabularyBuilder()
        for example in examples { builder.add(example) }
        let dictionary = builder.dictionary(options)
        #expect((0..<dictionary.wordCount).map { String(decoding: dictionary.word($0), as: UTF8.self) } == ["y", "</s>", "x"])
        #expect(dictionary.entries[..<3].map(\.count) == [3, 3, 2])
        #expect((0..<dictionary.labelCount).map { dictionary.label($0) } == ["__label__b", "__label__a", "__label__c"])
        #expect(dictionary.tokenCount == 5 + 6 + 3, "labels, words and </s> of each line")
        #expect(dictionary.bucket == 0, "no n-grams: no buckets, as fastText forces")
    }

    @Test func badOptionsAndInputsAreExplained() throws {
        var options = FastTextTrainingOptions()
        options.maxn = 3
        options.minn = 0
        #expect(throws: FastTextTrainingError.self) { try FastTextTrainer(options: options).train(examples: [.init(labels: ["a"], text: "b")]) }
        #expect(throws: FastTextTrainingError.self) { try FastTextTrainer(options: .init()).train(examples: []) }
        #expect(throws: FastTextTrainingError.self) { try FastTextTrainer(options: .init()).train(examples: [.init(labels: [], text: "b")]) }

        let url = Self.temporary("bad.jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        func error(_ contents: String, label: String = "label") -> String {
            try! contents.write(to: url, atomically: true, encoding: .utf8)
            do {
                _ = try FastTextLabeledJSONL.read(path: url.path, labelField: label)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(error("{\"label\":\"a\",\"text\":\"x\"}\n{\"text\":\"y\"}\n").contains("bad.jsonl:2: no \"label\" field"))
        #expect(error("{\"topic\":115,\"text\":\"y\"}\n", label: "topic").contains(":1: \"topic\" is 115, not a string"))
        #expect(error("{\"label\":[\"a\",3],\"text\":\"y\"}\n").contains(":1: \"label\" holds 3, not a string"))
        #expect(error("{\"label\":\"a\"}\n").contains(":1: no \"text\" field"))
        #expect(error("\n").contains("no records"))
        #expect(error("{\"label\":[\"a\",\"b c\"],\"text\":\"y\"}\n") == "no error")
        #expect(FastTextExample.storedLabel("b c") == Array("__label__b_c".utf8))
    }
}
