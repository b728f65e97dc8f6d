import Foundation
import Testing

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The bundled example end to end through the binary: curate → plan → adjust → plan → pack --stage.
@Suite struct PlanCommandTests {
    @Test func curatePlanAdjustAndPackAStage() throws {
        let folder = TemporaryFolder()
        let pipeline = try String(contentsOfFile: repository + "/examples/pipeline.yaml", encoding: .utf8)
            .replacingOccurrences(of: "data/", with: repository + "/examples/data/")
            .replacingOccurrences(of: "\"benchmarks/", with: "\"" + repository + "/examples/benchmarks/")
            .replacingOccurrences(of: "../Tests/", with: repository + "/Tests/")
            .replacingOccurrences(of: "path: ../runs/example", with: "path: \(folder.path)/runs/example")
        // The topic model is trained by `make demo` before curating (the classify step has tests of its own).
        folder.write("pipeline.yaml", pipeline.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("- classify:") }.joined(separator: "\n"))
        #expect(try syllabus(["curate", folder.path + "/pipeline.yaml"]).code == 0)

        // The shipped miniature plan, moved next to the run (its paths are relative to its folder).
        try FileManager.default.createDirectory(atPath: folder.path + "/plans", withIntermediateDirectories: true)
        let plan = try String(contentsOfFile: repository + "/examples/plans/llama3-syne-mini.yaml", encoding: .utf8)
            .replacingOccurrences(of: "../../runs/", with: "../runs/")
        folder.write("plans/mini.yaml", plan)
        let planned = try syllabus(["plan", "plans/mini.yaml", "--output", "out"], in: folder.path)
        #expect(planned.code == 0, "\(planned.err)")
        #expect(planned.out.contains("stage-01.manifest.jsonl  bilingual-adaptation (stable)"))
        func topicTargets() throws -> (stats: Int, math: Int) {
            let ledger = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/out/ledger.json"))) as! [String: Any]
            let cells = (ledger["stages"] as! [[String: Any]])[1]["cells"] as! [[String: Any]]
            func target(_ topic: String) -> Int {
                cells.first { ($0["cell"] as! String).hasSuffix("topic=" + topic) }!["target_tokens"] as! Int
            }
            return (target("stats.stackexchange.com"), target("mathoverflow.net"))
        }
        let before = try topicTargets()
        #expect(abs(before.stats - before.math) <= 1)   // equal weights, apportioned to the token

        let evaluation = try String(contentsOfFile: repository + "/examples/plans/eval-after-stage-1.yaml", encoding: .utf8)
        folder.write("plans/eval.yaml", evaluation)
        let adjusted = try syllabus(["adjust", "plans/mini.yaml", "--stage", "2", "--eval", "plans/eval.yaml"], in: folder.path)
        #expect(adjusted.code == 0, "\(adjusted.err)")
        #expect(adjusted.out.contains("stats.stackexchange.com") && adjusted.out.contains("appended 1 update"))
        let replanned = try syllabus(["plan", "plans/mini.yaml", "--output", "out"], in: folder.path)
        #expect(replanned.code == 0, "\(replanned.err)")
        // The topic whose perplexity rose now gets more than the one whose perplexity fell.
        let after = try topicTargets()
        #expect(after.stats > before.stats && after.math < before.math)

        let packed = try syllabus(["pack", "--tokenizer", repository + "/Tests/Fixtures/tokenizers/qwen.tiktoken.zst", "--stage", "1",
                                   "out", "--output", "packed/stage-1"], in: folder.path)
        #expect(packed.code == 0, "\(packed.err)")
        #expect(packed.out.contains("in manifest order") && packed.out.contains("--data-path 1.0 packed/stage-1"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/packed/stage-1.idx"))

        let explained = try syllabus(["plan", repository + "/examples/plans/llama3-syne.yaml", "--explain"])
        #expect(explained.code == 0 && explained.out.contains("synthetic") && explained.out.contains("92.5B"))
    }

    @Test func planErrorsExitWithTheirCodeAndNameTheStage() throws {
        let folder = TemporaryFolder()
        folder.write("bad.yaml", """
            sources:
              web: {available_tokens: 1B, labels: {language: en}}
            stages:
              - {name: only, tokens: 2B, mixture: {by: language, ratios: {en: 1}}}
            """)
        let short = try syllabus(["plan", "bad.yaml", "--explain"], in: folder.path)
        #expect(short.code == 3)
        #expect(short.err.contains("stage 'only'") && short.err.contains("max_epochs: 2"))
        folder.write("typo.yaml", "sources: {web: {available_tokens: 1B}}\nstages: [{name: s, tokens: 1B, mixture: {wbe: 1}}]\n")
        let typo = try syllabus(["plan", "typo.yaml", "--explain"], in: folder.path)
        #expect(typo.code == 2 && typo.err.contains("did you mean 'web'"))
    }
}
