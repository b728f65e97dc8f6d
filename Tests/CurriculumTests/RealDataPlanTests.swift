import Corpus
import Execution
import Foundation
import Testing
@testable import Curriculum

/// End to end on real corpora that carry a perplexity: Dolma's CCNet-scored Common Crawl head and
/// RedPajama Stack Exchange with data-juicer's stats. Curated with the real `tokens` step (Qwen), then
/// planned easy→hard by those perplexities.
@Suite struct RealDataPlanTests {
    @Test func plansRealCuratedShardsByTheirOwnPerplexities() throws {
        let web = Fixtures.sharedData + "/web/dolma_cc_en_head.jsonl"
        let qa = Fixtures.sharedData + "/qa/redpajama_stackexchange_with_dj_stats.jsonl"
        try #require(FileManager.default.fileExists(atPath: web) && FileManager.default.fileExists(atPath: qa),
                     "../shared/data is missing: the test needs the shared data folder beside the repository")
        let scratch = Scratch()
        let pipeline = """
            name: real
            inputs:
              web: {paths: ["\(web)"]}
              qa: {paths: ["\(qa)"]}
            steps:
              - tokens: {tokenizer: "\(Fixtures.qwen)", min_tokens: 20}
            output: {path: "\(scratch.path)/run", max_documents_per_shard: 200}
            """
        let config = try PipelineLoader.parse(pipeline, baseFolder: scratch.path)
        _ = try LocalExecutor(config: config, tasks: try TaskPlanner.plan(config), workers: 2).run()

        // The raw perplexities, by id, straight from the source files.
        var truth: [String: Double] = [:]
        for (path, field) in [(web, ["ccnet_perplexity"]), (qa, ["stats", "perplexity"])] {
            for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let value = field.count == 1 ? object[field[0]] : (object[field[0]] as? [String: Any])?[field[1]]
                if let value = value as? Double { truth[object["id"] as! String] = value }
            }
        }

        let (plan, outcome) = try runPlan("""
            sources:
              web: {paths: ["run/output/web/*.jsonl.zst"], labels: {category: web}, ppl_field: ccnet_perplexity}
              qa: {paths: ["run/output/qa/*.jsonl.zst"], labels: {category: qa}, ppl_field: stats.perplexity}
            stages:
              - {name: easy, tokens: 24K, select: ppl_ascending, order: ppl_ascending, mixture: {by: category, ratios: {web: 1, qa: 1}}}
              - {name: hard, tokens: 24K, select: ppl_ascending, order: {by: ppl_ascending, scope: source, interleave: true}, mixture: {by: category, ratios: {web: 1, qa: 1}}}
            """, in: scratch)
        #expect(outcome.result.shortfalls.isEmpty)
        try PlanJob(plan: plan, workers: 2).write(outcome, to: scratch.path + "/plan")
        var easiestHard = [String: Double](), hardestEasy = [String: Double]()
        for (index, stage) in outcome.result.stages.enumerated() {
            let lines = try StageManifest.read(scratch.path + "/plan/" + StageManifest.fileName(stage: index))
            for line in lines {
                let ppl = try #require(line.ppl)
                // The manifest's perplexity is the source file's (stored as a 32-bit float).
                #expect(abs(ppl - truth[line.id]!) <= truth[line.id]! * 1e-6)
                if index == 0 { hardestEasy[line.source] = max(hardestEasy[line.source] ?? 0, ppl) }
                else { easiestHard[line.source] = min(easiestHard[line.source] ?? .infinity, ppl) }
            }
            if index == 0 { #expect(lines.map { $0.ppl! } == lines.map { $0.ppl! }.sorted()) }
            for cell in stage.cells {
                let largest = Int(outcome.catalogs[cell.source]!.rows.map(\.tokens).max()!)
                #expect(abs(cell.tokens - cell.targetTokens) < largest, "\(stage.name) \(cell.leaf)")
            }
        }
        for source in ["web", "qa"] { #expect(hardestEasy[source]! <= easiestHard[source]!) }
    }
}
