import Corpus
import Foundation
import Testing
@testable import Curriculum

@Suite struct PlannerTests {
    static func bilingualPlan(stageTokens: String = "50K", extra: String = "", order: String = "random") -> String {
        """
        name: bilingual
        seed: 11
        sources:
          en: {paths: ["en/*.jsonl"], labels: {language: en}}
          zh: {paths: ["zh/*.jsonl"], labels: {language: zh}}
        stages:
          - name: one
            tokens: \(stageTokens)
            order: \(order)
            mixture:
              by: language
              ratios:
                zh: 2
                en: {weight: 8, by: topic, ratios: {a: 1, b: 2, "*": 1}}
          - name: two
            tokens: \(stageTokens)
            mixture: {by: language, ratios: {zh: 1, en: 3}}
          - name: three
            tokens: \(stageTokens)
            select: ppl_ascending
            mixture: {en: 1, zh: 1}
        \(extra)
        """
    }

    @Test func cellsMeetTheirTargetsWithinOneDocumentAndNothingIsReused() throws {
        let scratch = Scratch()
        let en = GeneratedSource(name: "en", documents: 1200, files: 3, seed: 3).write(in: scratch)
        let zh = GeneratedSource(name: "zh", documents: 700, topics: ["x"], seed: 4).write(in: scratch)
        let records = Dictionary(uniqueKeysWithValues: (en + zh).map { ($0.id, $0) })
        let (plan, outcome) = try runPlan(Self.bilingualPlan(), in: scratch)
        #expect(outcome.result.shortfalls.isEmpty)
        let written = try PlanJob(plan: plan, workers: 1).write(outcome, to: scratch.path + "/out")
        #expect(written.contains { $0.hasSuffix("ledger.json") })

        var seen: Set<String> = []
        for (index, stage) in outcome.result.stages.enumerated() {
            // Leaf targets sum to the stage budget exactly.
            #expect(stage.cells.reduce(0) { $0 + $1.targetTokens } == 50_000)
            let lines = try StageManifest.read(scratch.path + "/out/" + StageManifest.fileName(stage: index))
            #expect(lines.count == stage.entries.count)
            // Recount every cell from the manifest and the generated records, independently of the planner.
            var recount: [String: Int] = [:]
            for line in lines {
                let record = try #require(records[line.id])
                #expect(line.tokens == record.tokens)
                #expect(seen.insert(line.id).inserted, "document \(line.id) appears in two stages")
                let cell: String
                switch (index, line.source) {
                case (0, "zh"): cell = "language=zh"
                case (0, _): cell = "language=en/topic=" + (["a", "b"].contains(record.topic) ? record.topic : "*")
                case (1, let source): cell = "language=" + source
                default: cell = "source=" + line.source
                }
                recount[cell, default: 0] += record.tokens
            }
            for cell in stage.cells {
                #expect(recount[cell.leaf] == cell.tokens, "stage \(stage.name) cell \(cell.leaf)")
                // Within one document (documents here are at most 500 tokens).
                #expect(abs(cell.tokens - cell.targetTokens) < 500, "stage \(stage.name) cell \(cell.leaf): \(cell.tokens) vs \(cell.targetTokens)")
            }
        }
        // Stage 1's en topics: a : b : others = 1 : 2 : 1 of 40K.
        let first = outcome.result.stages[0].cells.reduce(into: [String: Int]()) { $0[$1.leaf] = $1.targetTokens }
        #expect(first == ["language=zh": 10_000, "language=en/topic=a": 10_000, "language=en/topic=b": 20_000, "language=en/topic=*": 10_000])
        let usage = outcome.result.sources
        #expect(usage.allSatisfy { $0.maxUses <= 1 })
        #expect(usage.reduce(0) { $0 + $1.takenTokens } == outcome.result.stages.reduce(0) { $0 + $1.tokens })
    }

    @Test func theSameSeedGivesTheSameManifestsForAnyNumberOfWorkers() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 900, files: 4, seed: 5).write(in: scratch)
        GeneratedSource(name: "zh", documents: 500, topics: ["x"], seed: 6).write(in: scratch)
        var manifests: [[String]] = []
        for workers in [1, 2] {
            let (plan, outcome) = try runPlan(Self.bilingualPlan(), in: scratch, workers: workers)
            _ = try PlanJob(plan: plan, workers: workers).write(outcome, to: scratch.path + "/out\(workers)")
            manifests.append((0..<3).map { scratch.read("out\(workers)/" + StageManifest.fileName(stage: $0)) })
        }
        #expect(manifests[0] == manifests[1])
        let reseeded = Self.bilingualPlan().replacingOccurrences(of: "seed: 11", with: "seed: 12")
        let (plan, outcome) = try runPlan(reseeded, in: scratch)
        _ = try PlanJob(plan: plan, workers: 1).write(outcome, to: scratch.path + "/reseeded")
        #expect(scratch.read("reseeded/" + StageManifest.fileName(stage: 0)) != manifests[0][0])
    }

    @Test func sortingCatalogsIntoSelectionOrderChangesNothing() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 700, files: 3, seed: 21).write(in: scratch)
        GeneratedSource(name: "zh", documents: 400, topics: ["x"], seed: 22).write(in: scratch)
        // Every stage selects at random: the planner re-sorts the catalogs (PlanJob does it by default).
        let yaml = Self.bilingualPlan().replacingOccurrences(of: "select: ppl_ascending", with: "select: random")
            .replacingOccurrences(of: "order: random", with: "order: {by: random, scope: source, interleave: true}")
        let plan = try CurriculumPlan.parse(yaml: yaml, folder: scratch.path)
        let job = PlanJob(plan: plan, workers: 1)
        let catalogs = try job.scanSources()
        let direct = CurriculumPlanner(plan: plan, catalogs: catalogs)
        let sorted = direct.sortedForSelection()
        #expect(sorted.presortedBy == .random)
        for (name, planner) in [("direct", direct), ("sorted", sorted)] {
            let outcome = PlanJob.Outcome(result: try planner.run(), catalogs: planner.catalogs, schedule: nil, written: [])
            try job.write(outcome, to: scratch.path + "/" + name)
        }
        for stage in 0..<3 {
            let file = StageManifest.fileName(stage: stage)
            #expect(scratch.read("direct/" + file) == scratch.read("sorted/" + file))
        }
    }

    @Test func perplexityOrderIsEasyToHardAndSelectionConsumesEasiestFirst() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 800, seed: 7).write(in: scratch)
        GeneratedSource(name: "zh", documents: 800, topics: ["x"], seed: 8).write(in: scratch)
        let yaml = """
            sources:
              en: {paths: ["en/*.jsonl"], labels: {language: en}}
              zh: {paths: ["zh/*.jsonl"], labels: {language: zh}}
            stages:
              - {name: s1, tokens: 40K, select: ppl_ascending, order: ppl_ascending, mixture: {en: 1, zh: 1}}
              - {name: s2, tokens: 40K, select: ppl_ascending, order: ppl_descending, mixture: {en: 1, zh: 1}}
            """
        let (_, outcome) = try runPlan(yaml, in: scratch)
        let catalogs = outcome.catalogs
        func ppl(_ entry: StageResult.Entry) -> Float { catalogs[Int(entry.source)]!.ppl(Int(entry.document)) }
        let first = outcome.result.stages[0].entries.map(ppl)
        let second = outcome.result.stages[1].entries.map(ppl)
        #expect(first == first.sorted())
        #expect(second == second.sorted(by: >))
        // Per source, stage 1 took the easiest documents: stage 2 holds none easier than stage 1's hardest.
        for source: Int32 in [0, 1] {
            let a = outcome.result.stages[0].entries.filter { $0.source == source }.map(ppl)
            let b = outcome.result.stages[1].entries.filter { $0.source == source }.map(ppl)
            let passedOver = b.filter { $0 < a.max()! }.count
            #expect(passedOver == 0, "source \(source): \(passedOver) easier documents left for stage 2")
            #expect(a.sorted()[a.count / 2] < b.sorted()[b.count / 2])
        }
    }

    @Test func documentsWithoutPerplexityAreAnErrorOrGoWhereTheStageSays() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 300, seed: 9, missingPPLEvery: 10).write(in: scratch)
        let base = """
            sources:
              en: {paths: ["en/*.jsonl"]}
            stages:
              - {name: only, tokens: 20K, mixture: {en: 1}, order: ORDER}
            """
        #expect {
            try runPlan(base.replacingOccurrences(of: "ORDER", with: "ppl_ascending"), in: scratch)
        } throws: { error in
            let text = "\(error)"
            return text.contains("stage 'only'") && text.contains("source en") && text.contains("missing_ppl")
        }
        let (_, outcome) = try runPlan(base.replacingOccurrences(of: "ORDER", with: "{by: ppl_ascending, missing_ppl: last}"), in: scratch)
        let values = outcome.result.stages[0].entries.map { outcome.catalogs[0]!.ppl(Int($0.document)) }
        let firstMissing = try #require(values.firstIndex { $0.isNaN })
        #expect(values[firstMissing...].allSatisfy { $0.isNaN })
        #expect(Array(values[..<firstMissing]) == values[..<firstMissing].sorted())
    }

    @Test func interleavingSpreadsEachSourceOverTheStage() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 400, seed: 10).write(in: scratch)
        GeneratedSource(name: "zh", documents: 400, topics: ["x"], seed: 11).write(in: scratch)
        func firstHalfShare(_ order: String) throws -> Double {
            let yaml = """
                sources:
                  en: {paths: ["en/*.jsonl"]}
                  zh: {paths: ["zh/*.jsonl"]}
                stages:
                  - {name: s, tokens: 60K, order: \(order), mixture: {en: 1, zh: 1}}
                """
            let (_, outcome) = try runPlan(yaml, in: scratch)
            let entries = outcome.result.stages[0].entries
            let tokens = entries.map { outcome.catalogs[Int($0.source)]!.tokens(Int($0.document)) }
            let total = tokens.reduce(0, +)
            var running = 0, enInFirstHalf = 0
            for (entry, count) in zip(entries, tokens) where running < total / 2 {
                running += count
                if entry.source == 0 { enInFirstHalf += count }
            }
            return Double(enInFirstHalf) / Double(running)
        }
        let blocks = try firstHalfShare("{by: random, scope: source}")
        let interleaved = try firstHalfShare("{by: random, scope: source, interleave: true}")
        #expect(blocks > 0.95)
        #expect(abs(interleaved - 0.5) < 0.05)
    }

    @Test func upsamplingReusesLeastUsedDocumentsUpToMaxEpochs() throws {
        let scratch = Scratch()
        let records = GeneratedSource(name: "small", documents: 20, files: 1, tokenRange: 100...200, seed: 12).write(in: scratch)
        let total = records.reduce(0) { $0 + $1.tokens }
        let plan = { (epochs: Int) in
            """
            sources:
              small: {paths: ["small/*.jsonl"], max_epochs: \(epochs)}
            stages:
              - {name: s1, tokens: \(total / 2), mixture: {small: 1}}
              - {name: s2, tokens: \(total * 2), order: selection, mixture: {small: 1}}
            """
        }
        let (_, short) = try runPlan(plan(1), in: scratch)
        let shortfall = try #require(short.result.shortfalls.first)
        #expect(shortfall.stage == "s2" && shortfall.source == "small")
        #expect(shortfall.options.contains { $0.contains("sources.small.max_epochs: 3") })

        let (_, outcome) = try runPlan(plan(3), in: scratch)
        #expect(outcome.result.shortfalls.isEmpty)
        let usage = outcome.result.sources[0]
        #expect(usage.maxUses == 3)
        #expect(abs(usage.epochs - 2.5) < 0.05)
        // Stage 2 reuses stage 1's documents only after every unused one is taken.
        let firstStage = Set(outcome.result.stages[0].entries.map(\.document))
        let second = outcome.result.stages[1].entries.map(\.document)
        let firstReuse = try #require(second.firstIndex { firstStage.contains($0) })
        #expect(Set(second[..<firstReuse]).count == 20 - firstStage.count)
        #expect(outcome.result.stages[1].cells[0].reusedDocuments > 0)
    }
}
