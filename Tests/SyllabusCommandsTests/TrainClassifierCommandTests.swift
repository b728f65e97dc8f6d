import Foundation
import Testing

@Suite struct TrainClassifierCommandTests {
    static let tnews = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/models/tnews-topics.jsonl").path

    @Test func trainsSavesAndReportsHeldOutPrecision() throws {
        let folder = TemporaryFolder()
        let run = try syllabus(["train-classifier", "--input", Self.tnews, "--output", folder.path + "/m.bin", "--holdout", "0.1",
                                "--minn", "1", "--maxn", "2", "--bucket", "100000", "--epoch", "25", "--lr", "0.5",
                                "--predictions", folder.path + "/p.tsv"])
        #expect(run.code == 0, "\(run.err)")
        #expect(run.out.contains("held-out precision@1 0."), "\(run.out)")
        #expect(run.err.contains("833 examples, 13 labels"), "\(run.err)")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/m.bin"))
        let predictions = try String(contentsOfFile: folder.path + "/p.tsv", encoding: .utf8).split(separator: "\n")
        #expect(predictions.count == 93 && predictions.allSatisfy { $0.hasPrefix("__label__news_") })
    }

    @Test func badLabelsNameFileLineAndKey() throws {
        let folder = TemporaryFolder()
        folder.write("numeric.jsonl", "{\"text\":\"a b\",\"label\":\"x\"}\n{\"text\":\"c\",\"label\":115}\n")
        let run = try syllabus(["train-classifier", "--input", folder.path + "/numeric.jsonl", "--output", folder.path + "/m.bin"])
        #expect(run.code == 1)
        #expect(run.err.contains("numeric.jsonl:2: \"label\" is 115, not a string"), "\(run.err)")
        folder.write("empty.jsonl", "")
        let empty = try syllabus(["train-classifier", "--input", folder.path + "/empty.jsonl", "--output", folder.path + "/m.bin"])
        #expect(empty.code == 1 && empty.err.contains("empty.jsonl: no records"), "\(empty.err)")
        let missing = try syllabus(["train-classifier", "--input", Self.tnews, "--label-field", "topic", "--output", folder.path + "/m.bin"])
        #expect(missing.code == 1 && missing.err.contains("tnews-topics.jsonl:1: no \"topic\" field"), "\(missing.err)")
        let loss = try syllabus(["train-classifier", "--input", Self.tnews, "--output", folder.path + "/m.bin", "--loss", "ns"])
        #expect(loss.code != 0 && loss.err.contains("--loss must be softmax, ova or hs"), "\(loss.err)")
    }
}
