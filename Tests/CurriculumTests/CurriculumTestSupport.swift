import Corpus
import Foundation
@testable import Curriculum

/// A temporary folder for one test, removed when the value is released.
final class Scratch {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-plan-test-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func read(_ relative: String) -> String {
        try! String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }
}

enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var sharedData: String { repository + "/../shared/data" }
    static var qwen: String { repository + "/Tests/Fixtures/tokenizers/qwen.tiktoken.zst" }
}

/// A generated source: documents with token counts, perplexities and topics drawn from a seeded
/// generator, written as JSONL shards (the planner only reads their metadata).
struct GeneratedSource {
    var name: String
    var documents: Int
    var files = 2
    var topics: [String] = ["a", "b", "c"]
    var tokenRange: ClosedRange<Int> = 50...500
    var seed: UInt64 = 1
    /// Every `missingPPLEvery`-th document has no ppl (0: all have one).
    var missingPPLEvery = 0

    struct Record {
        var id: String
        var tokens: Int
        var ppl: Double?
        var topic: String
    }

    func records() -> [Record] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        return (0..<documents).map { index in
            let span = UInt64(tokenRange.upperBound - tokenRange.lowerBound + 1)
            let tokens = tokenRange.lowerBound + Int(next() % span)
            let ppl = missingPPLEvery > 0 && index % missingPPLEvery == 0 ? nil : Double(next() % 100_000) / 100 + 1
            return Record(id: "\(name)-\(index)", tokens: tokens, ppl: ppl, topic: topics[Int(next() % UInt64(topics.count))])
        }
    }

    /// Writes the shards under `folder/name/`; returns the records in file order.
    @discardableResult
    func write(in scratch: Scratch) -> [Record] {
        let all = records()
        let perFile = (all.count + files - 1) / max(1, files)
        for file in 0..<files {
            let slice = all.dropFirst(file * perFile).prefix(perFile)
            var text = ""
            for record in slice {
                var metadata = "\"tokens\":\(record.tokens),\"topic\":\"\(record.topic)\""
                if let ppl = record.ppl { metadata += ",\"ppl\":\(ppl)" }
                text += "{\"id\":\"\(record.id)\",\"text\":\"text of \(record.id)\",\"metadata\":{\(metadata)}}\n"
            }
            scratch.write("\(name)/part-\(file).jsonl", text)
        }
        return all
    }
}

extension CurriculumPlan {
    /// Parses plan YAML text as if it were the file `folder/plan.yaml`.
    static func parse(yaml: String, folder: String) throws -> CurriculumPlan {
        let file = folder + "/plan.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return try load(path: file)
    }
}

/// Plans `yaml` (written into `scratch`) and returns the job's outcome.
func runPlan(_ yaml: String, in scratch: Scratch, workers: Int = 2) throws -> (CurriculumPlan, PlanJob.Outcome) {
    let plan = try CurriculumPlan.parse(yaml: yaml, folder: scratch.path)
    let job = PlanJob(plan: plan, workers: workers)
    let outcome = try job.plan(catalogs: try job.scanSources())
    return (plan, outcome)
}
