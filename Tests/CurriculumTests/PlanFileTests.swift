import Corpus
import Foundation
import Testing
@testable import Curriculum

/// Bad plans fail with errors that name the stage, source, topic or key.
@Suite struct PlanFileTests {
    static let sources = """
        sources:
          web_en: {paths: ["en/*.jsonl"], labels: {language: en, category: web}}
          web_zh: {paths: ["zh/*.jsonl"], labels: {language: zh, category: web}}
        """

    func failure(_ yaml: String, scratch: Scratch = Scratch()) -> String {
        do {
            _ = try CurriculumPlan.parse(yaml: yaml, folder: scratch.path)
            return "(no error)"
        } catch {
            return "\(error)"
        }
    }

    @Test func readsNestedMixturesOthersAndTokenAmounts() throws {
        let scratch = Scratch()
        let plan = try CurriculumPlan.parse(yaml: Self.sources + """

            total_tokens: 100B
            stages:
              - name: one
                tokens: 92.5B
                mixture: {by: language, ratios: {zh: 2, en: {weight: 8, by: topic, ratios: {Law and Policy: 1, "*": 3}}}}
              - name: two
                mixture: {web_en: 1.8B, web_zh: 0.2B}
            """, folder: scratch.path)
        #expect(plan.stages.map(\.tokens) == [92_500_000_000, 7_500_000_000])
        let leaves = plan.stages[0].mixture.leaves(tokens: plan.stages[0].tokens)
        #expect(leaves.map(\.label) == ["language=zh", "language=en/topic=Law and Policy", "language=en/topic=*"])
        #expect(leaves.map(\.targetTokens) == [18_500_000_000, 18_500_000_000, 55_500_000_000])
        #expect(plan.stages[1].mixture.by == "source")
        #expect(plan.stages[1].mixture.leaves(tokens: 7_500_000_000).map(\.targetTokens) == [6_750_000_000, 750_000_000])
        #expect(plan.sources[0].patterns == [scratch.path + "/en/*.jsonl"])
        #expect(TokenCount.parse("1_000") == 1000 && TokenCount.parse("7.5e9") == 7_500_000_000 && TokenCount.parse("x") == nil)
        #expect(TokenCount.format(40_184_145_598) == "40.184B")
    }

    @Test func ratiosThatDoNotSumToOneAreRefusedWhenThePlanSaysExact() {
        let message = failure(Self.sources + """

            ratio_sums: exact
            stages:
              - {name: bilingual, tokens: 1M, mixture: {by: language, ratios: {zh: 2, en: 8}}}
            """)
        #expect(message.contains("stage 'bilingual'") && message.contains("sum to 10") && message.contains("ratio_sums: normalize"))
    }

    @Test func unknownLabelsAndSourcesAreNamedWithASuggestion() {
        let label = failure(Self.sources + """

            stages:
              - {name: s1, tokens: 1M, mixture: {by: language, ratios: {zh: 2, en: 7, fr: 1}}}
            """)
        #expect(label.contains("stage 's1'") && label.contains("no source has language 'fr'") && label.contains("values: en, zh"))
        let source = failure(Self.sources + """

            stages:
              - {name: s1, tokens: 1M, mixture: {web_em: 1}}
            """)
        #expect(source.contains("'web_em'") && source.contains("did you mean 'web_en'"))
        let key = failure(Self.sources + """

            stages:
              - {name: s1, tokens: 1M, mixture: {by: quality, ratios: {high: 1}}}
            """)
        #expect(key.contains("no source has a label or field 'quality'"))
    }

    @Test func budgetsMustAddUp() {
        let message = failure(Self.sources + """

            total_tokens: 10B
            stages:
              - {name: a, tokens: 4B, mixture: {web_en: 1}}
              - {name: b, tokens: 4B, mixture: {web_en: 1}}
            """)
        #expect(message.contains("total_tokens") && message.contains("8B"))
        let typo = failure(Self.sources + """

            stages:
              - {name: a, tokens: 4B, mixtrue: {web_en: 1}}
            """)
        #expect(typo.contains("mixtrue") && typo.contains("did you mean 'mixture'"))
    }

    @Test func documentsWithoutTokenCountsOrTopicsNameTheSourceFileAndRecord() throws {
        let scratch = Scratch()
        scratch.write("en/a.jsonl", """
            {"id":"1","text":"x","metadata":{"tokens":10,"topic":"law"}}
            {"id":"2","text":"y","metadata":{"topic":"law"}}
            {"id":"3","text":"z","metadata":{"tokens":10}}

            """)
        let plan = """
            sources:
              en: {paths: ["en/*.jsonl"]}
            stages:
              - {name: s, tokens: 10, mixture: {by: topic, ratios: {law: 1}}}
            """
        #expect {
            try runPlan(plan, in: scratch)
        } throws: { error in
            let text = "\(error)"
            return text.contains("source en: 1 document(s) have no tokens") && text.contains("a.jsonl, record 2") && text.contains("`tokens` step")
        }
        scratch.write("en/a.jsonl", """
            {"id":"1","text":"x","metadata":{"tokens":10,"topic":"law"}}
            {"id":"3","text":"z","metadata":{"tokens":10}}

            """)
        #expect {
            try runPlan(plan, in: scratch)
        } throws: { error in
            let text = "\(error)"
            return text.contains("have no topic") && text.contains("record 2") && text.contains("defaults: {topic: Others}")
        }
        // With a default, the document joins that topic.
        let (_, outcome) = try runPlan(plan.replacingOccurrences(of: "en: {paths: [\"en/*.jsonl\"]}",
                                                                 with: "en: {paths: [\"en/*.jsonl\"], defaults: {topic: law}}"), in: scratch)
        #expect(outcome.result.stages[0].entries.count == 1)
    }

    @Test func aSourceWithTooFewTokensIsAShortfallWithWaysOut() throws {
        let scratch = Scratch()
        GeneratedSource(name: "en", documents: 50, tokenRange: 100...100).write(in: scratch)
        let (plan, outcome) = try runPlan("""
            sources:
              en: {paths: ["en/*.jsonl"], labels: {language: en}}
            stages:
              - {name: big, tokens: 8000, mixture: {by: language, ratios: {en: 1}}}
            """, in: scratch)
        let shortfall = try #require(outcome.result.shortfalls.first)
        #expect(shortfall.stage == "big" && shortfall.source == "en" && shortfall.leaf == "language=en")
        #expect(shortfall.targetTokens == 8000 && shortfall.gotTokens == 5000)
        let text = shortfall.description
        #expect(text.contains("lower stage 'big' to 5000") && text.contains("max_epochs: 2") && text.contains("add at least 3000"))
        #expect(throws: PlanError.self) { try PlanJob(plan: plan, workers: 1).write(outcome, to: scratch.path + "/out") }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out/ledger.json"))
    }
}
