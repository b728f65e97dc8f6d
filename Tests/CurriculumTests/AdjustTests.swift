import Foundation
import Testing
@testable import Curriculum

@Suite struct AdjustTests {
    static let plan = """
        # A comment that must survive `adjust`.
        sources:
          web: {available_tokens: 100B, labels: {language: en}}
          zh: {available_tokens: 100B, labels: {language: zh}}
        stages:
          - name: first
            tokens: 10B
            mixture: {by: language, ratios: {zh: 2, en: {weight: 8, by: source, ratios: {web: 1}}}}
          - name: second
            tokens: 10B
            mixture: {by: language, ratios: {zh: 2, en: {weight: 8, by: source, ratios: {web: 1}}}}
        adjust: {by: language, alpha: 0.5}
        """

    @Test func writesTheUpdateIntoThePlanAndThePlannerUsesIt() throws {
        let scratch = Scratch()
        let path = scratch.write("plan.yaml", Self.plan)
        let evaluation = scratch.write("eval.yaml", "previous: {zh: 10, en: 8}\ncurrent: {zh: 11, en: 7.5}\n")
        let plan = try CurriculumPlan.load(path: path)
        let adjuster = PlanAdjuster(plan: plan, stage: 1, evaluation: try .load(path: evaluation))
        let updates = try adjuster.compute()
        #expect(updates.map(\.group) == ["language"])
        // Δp = 1, −0.5 → δ = 1, −0.5 → f = 1.5, 0.75; r = 0.2·1.5 / (0.3 + 0.6), 0.8·0.75 / 0.9
        let ratios = updates[0].update.topics.map(\.ratio)
        #expect(abs(ratios[0] - 0.3 / 0.9) < 1e-12 && abs(ratios[1] - 0.6 / 0.9) < 1e-12)
        let updated = try adjuster.write(updates)
        let text = scratch.read("plan.yaml")
        #expect(text.hasPrefix("# A comment that must survive `adjust`."))
        #expect(text.contains("perplexity_after:"))
        let leaves = updated.effectiveMixture(of: 1).leaves(tokens: 9_000_000_000)
        #expect(leaves.map(\.targetTokens) == [3_000_000_000, 6_000_000_000])
        // Stage one keeps its own ratios.
        #expect(updated.effectiveMixture(of: 0).leaves(tokens: 10).map(\.targetTokens) == [2, 8])

        // A second update appends; the latest wins and the first stays as history.
        let again = PlanAdjuster(plan: updated, stage: 1, evaluation: try .load(path: evaluation))
        try again.write(try again.compute())
        let twice = try CurriculumPlan.load(path: path)
        #expect(twice.adjustments.count == 2)
        #expect(scratch.read("plan.yaml").components(separatedBy: "- stage: \"second\"").count == 3)
    }

    @Test func anEvaluationThatLacksATopicNamesIt() throws {
        let scratch = Scratch()
        let path = scratch.write("plan.yaml", Self.plan)
        let evaluation = scratch.write("eval.yaml", "previous: {zh: 10, en: 8}\ncurrent: {zh: 11}\n")
        let adjuster = PlanAdjuster(plan: try CurriculumPlan.load(path: path), stage: 1, evaluation: try .load(path: evaluation))
        #expect {
            try adjuster.compute()
        } throws: { error in
            "\(error)".contains("no current (t) perplexity for topic 'en'") && "\(error)".contains("group 'language'")
        }
        #expect(throws: PlanError.self) {
            try PlanAdjuster(plan: try CurriculumPlan.load(path: path), stage: 0, evaluation: try .load(path: evaluation)).compute()
        }
    }

    @Test func refusesToWriteWhenAdjustmentsIsNotTheLastKey() throws {
        let scratch = Scratch()
        let path = scratch.write("plan.yaml", Self.plan + "\nadjustments: []\nseed: 3\n")
        let evaluation = scratch.write("eval.yaml", "previous: {zh: 10, en: 8}\ncurrent: {zh: 11, en: 7}\n")
        let adjuster = PlanAdjuster(plan: try CurriculumPlan.load(path: path), stage: 1, evaluation: try .load(path: evaluation))
        #expect {
            try adjuster.write(try adjuster.compute())
        } throws: { error in "\(error)".contains("must be the last top-level key") }
    }
}
