import Foundation
import Testing
@testable import Curriculum

/// Published recipes as plans: YuLan-Mini's 28 stage files and Llama-3-SynE's two stages.
@Suite struct RecipeTests {
    static var yulanFolder: String { Fixtures.sharedData + "/yulan-mini-data-mix" }

    @Test func yulanMiniImportReproducesEveryStagesPerDatasetTokens() throws {
        try #require(FileManager.default.fileExists(atPath: Self.yulanFolder),
                     "../shared/data/yulan-mini-data-mix is missing: the test needs the shared data folder beside the repository")
        let recipe = try YuLanMiniRecipe.load(folder: Self.yulanFolder)
        #expect(recipe.stages.count == 28)
        let scratch = Scratch()
        let path = scratch.write("yulan.yaml", recipe.planYAML(sourceFolder: Self.yulanFolder))
        let plan = try CurriculumPlan.load(path: path)
        let result = try CurriculumPlanner(plan: plan, catalogs: plan.sources.map { _ in nil }).run()
        #expect(result.shortfalls.isEmpty)
        let explanation = PlanExplanation(plan: plan, result: result)
        let matrix = explanation.matrix
        let row = Dictionary(uniqueKeysWithValues: plan.sources.enumerated().map { ($1.name, $0) })

        // Independently of the importer: read every file with JSONSerialization and compare.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.yulanFolder).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count == 28)
        var mismatchedTotals: [String] = []
        for (stage, file) in files.enumerated() {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.yulanFolder + "/" + file))) as! [String: Any]
            let selected = json["Number of Selected Tokens(B)"] as! [String: Double]
            var sum = 0
            for (dataset, billions) in selected {
                let tokens = Int((billions * 1e9).rounded())
                #expect(matrix[row[dataset]!][stage] == tokens, "\(file) \(dataset)")
                sum += tokens
            }
            #expect(result.stages[stage].tokens == sum)
            // Per-stage totals match the files' `Total Tokens(B)` to the rounding of their datasets…
            let stated = json["Total Tokens(B)"] as! Double
            if abs(Double(sum) - stated * 1e9) > Double(selected.count) { mismatchedTotals.append(String(file.prefix(2))) }
        }
        // …except phase 19, whose stated total is 5.3M tokens above the sum of its own datasets (the
        // importer's notes say so).
        #expect(mismatchedTotals == ["19"])
        #expect(recipe.notes.contains { $0.hasPrefix("19_20241114_115241: `Total Tokens(B)` says 40.172632B") })
        // SPEC.md §5's example: stage 1 takes 16.20B of fineweb-edu and 4.90B of the-stack-v2 (by family).
        let fineweb = matrix[row["fineweb-edu"]!][0]
        #expect(abs(Double(fineweb) / 1e9 - 16.20) < 0.01)
        let largest = try #require(explanation.largestChanges().max { abs($0.delta) < abs($1.delta) })
        #expect(largest.source == "fineweb-edu" && largest.toStage == "26_20241211_015209")
        #expect(explanation.csv().split(separator: "\n").count == plan.sources.count + 2)
    }

    @Test func llama3SynEPlanGivesTheVolumesOfSpec() throws {
        let plan = try CurriculumPlan.load(path: Fixtures.repository + "/examples/plans/llama3-syne.yaml")
        let result = try CurriculumPlanner(plan: plan, catalogs: plan.sources.map { _ in nil }).run()
        #expect(result.shortfalls.isEmpty)
        #expect(result.stages.map(\.tokens) == [92_500_000_000, 7_500_000_000])
        let taken = Dictionary(uniqueKeysWithValues: result.sources.map { ($0.name, Double($0.takenTokens) / 1e9) })
        func category(_ name: String) -> Double { taken.filter { $0.key.hasPrefix(name + "_") || $0.key == name }.values.reduce(0, +) }
        // SPEC.md §4: Web 45.18B (en+zh), Encyclopedia 4.92B, Books 15.74B, QA 4.92B, papers 7.93B,
        // math 7.93B, code 11.88B, synthetic 1.50B; total 100B.
        let expected = ["web": 45.18, "encyclopedia": 4.92, "books": 15.74, "qa": 4.92, "papers": 7.93, "math": 7.93, "code": 11.88, "synthetic": 1.50]
        for (name, billions) in expected { #expect(abs(category(name) - billions) < 0.01, "\(name): \(category(name))") }
        // Stage 1 is zh:en = 2:8, stage 2 zh:en:synthetic = 1:7:2.
        let stage1 = result.stages[0].tokens(bySource: plan.sources.count)
        let zh1 = plan.sources.indices.filter { plan.sources[$0].labels["language"] == "zh" }.reduce(0) { $0 + stage1[$1] }
        #expect(zh1 == 18_500_000_000)
        let stage2 = result.stages[1].tokens(bySource: plan.sources.count)
        #expect(stage2[plan.sources.firstIndex { $0.name == "synthetic" }!] == 1_500_000_000)
    }
}
