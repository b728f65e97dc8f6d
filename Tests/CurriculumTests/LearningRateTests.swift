import Foundation
import Testing
@testable import Curriculum

@Suite struct LearningRateTests {
    @Test func reproducesYuLanMinisFinalLearningRate() {
        // 1e-2 decayed by 1 − sqrt over 19,000 steps, stopped at step 18,802 → 5.22e-5 (SPEC.md §5).
        let schedule = LearningRateSchedule(peak: 1e-2, warmupTokens: 0, decayTokens: 19_000, totalTokens: 19_000,
                                            decayStyle: .oneMinusSqrt, tokensPerStep: 1)
        let rate = schedule.rate(atStep: 18_802)!
        #expect(String(format: "%.3g", rate) == "5.22e-05")
        #expect(abs(rate - 1e-2 * (1 - (18_802.0 / 19_000).squareRoot())) < 1e-15)
    }

    @Test func warmupStableAndDecayShapes() {
        var schedule = LearningRateSchedule(peak: 1e-3, initial: 0, final: 1e-4, warmupTokens: 100, decayTokens: 400,
                                            totalTokens: 1_000, decayStyle: .linear)
        #expect(schedule.rate(atTokens: 50) == 5e-4)
        #expect(schedule.rate(atTokens: 100) == 1e-3)
        #expect(schedule.rate(atTokens: 600) == 1e-3)
        #expect(abs(schedule.rate(atTokens: 800) - 5.5e-4) < 1e-15)
        #expect(abs(schedule.rate(atTokens: 1_000) - 1e-4) < 1e-15)
        schedule.decayStyle = .cosine
        #expect(abs(schedule.rate(atTokens: 800) - 5.5e-4) < 1e-15)
        #expect(abs(schedule.rate(atTokens: 700) - (1e-4 + 9e-4 * (1 + cos(Double.pi / 4)) / 2)) < 1e-15)
        schedule.decayStyle = .oneMinusSqrt
        #expect(abs(schedule.rate(atTokens: 700) - (1e-4 + 9e-4 * (1 - 0.5))) < 1e-15)
    }

    @Test func phasesComeFromTheStagesAndBoundariesAreExported() throws {
        let scratch = Scratch()
        let plan = try CurriculumPlan.parse(yaml: """
            sources:
              web: {available_tokens: 10B}
            stages:
              - {name: warm, tokens: 1B, phase: warmup, mixture: {web: 1}}
              - {name: main, tokens: 6B, mixture: {web: 1}}
              - {name: anneal, tokens: 2B, phase: annealing, mixture: {web: 1}}
            learning_rate: {peak: 1e-2, final: 1e-4, decay_style: linear, tokens_per_step: 4M}
            """, folder: scratch.path)
        let schedule = try #require(plan.learningRate).schedule(for: plan.stages)
        #expect(schedule.warmupTokens == 1_000_000_000 && schedule.decayTokens == 2_000_000_000 && schedule.totalTokens == 9_000_000_000)
        let export = LearningRateExport(schedule: schedule, stages: plan.stages)
        let rates = export.stageRates()
        #expect(rates.map(\.name) == ["warm", "main", "anneal"])
        #expect(rates[0].lrStart == 0 && rates[0].lrEnd == 1e-2 && rates[1].lrEnd == 1e-2)
        #expect(abs(rates[2].lrEnd - 1e-4) < 1e-15)
        #expect(rates[2].startStep == 7_000_000_000 / 4_000_000)
        let csv = export.csv().split(separator: "\n")
        #expect(csv.first == "tokens,step,lr,stage,phase")
        #expect(csv.contains("7000000000,1750,0.01,anneal,annealing"))
        #expect(csv.last == "9000000000,2250,0.0001,anneal,annealing")
    }
}
