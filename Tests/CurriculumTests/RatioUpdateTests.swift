import Testing
@testable import Curriculum

/// Golden values computed by hand from SPEC.md §4's formulas.
@Suite struct RatioUpdateTests {
    @Test func matchesHandComputedValues() throws {
        // r(t−1) = 0.5, 0.3, 0.2; p(t−1) = 10, 8, 6; p(t) = 10.4, 7.8, 6.0
        // Δp = 0.4, −0.2, 0; max|Δp| = 0.4; δ = 1, −0.5, 0; α = 0.5, w = 1 → f = 1.5, 0.75, 1
        // Σ r·f = 0.75 + 0.225 + 0.2 = 1.175 → r(t) = 0.75/1.175, 0.225/1.175, 0.2/1.175
        let update = try RatioUpdate(ratios: [("law", 5), ("math", 3), ("other", 2)],
                                     before: ["law": 10, "math": 8, "other": 6],
                                     after: ["law": 10.4, "math": 7.8, "other": 6.0], alpha: 0.5)
        let expected = [0.75 / 1.175, 0.225 / 1.175, 0.2 / 1.175]
        for (topic, value) in zip(update.topics, expected) { #expect(abs(topic.ratio - value) < 1e-12) }
        #expect(update.topics.map(\.normalizedDelta).enumerated().allSatisfy { abs($0.element - [1, -0.5, 0][$0.offset]) < 1e-12 })
        #expect(update.topics.map(\.factor).enumerated().allSatisfy { abs($0.element - [1.5, 0.75, 1][$0.offset]) < 1e-12 })
        // The direction SPEC's figure shows: perplexity rose → more data; fell → less.
        #expect(update.topics[0].ratio > 0.5)
        #expect(update.topics[1].ratio < 0.3)
        #expect(abs(update.topics.reduce(0) { $0 + $1.ratio } - 1) < 1e-12)
    }

    @Test func weightsScaleTheStepPerTopic() throws {
        // Same as above with w_law = 2: f = 1 + 0.5·1·2 = 2, 0.75, 1; Σ = 1 + 0.225 + 0.2 = 1.425
        let update = try RatioUpdate(ratios: [("law", 0.5), ("math", 0.3), ("other", 0.2)],
                                     before: ["law": 10, "math": 8, "other": 6], after: ["law": 10.4, "math": 7.8, "other": 6.0],
                                     alpha: 0.5, weights: ["law": 2])
        #expect(abs(update.topics[0].ratio - 1.0 / 1.425) < 1e-12)
        #expect(abs(update.topics[2].ratio - 0.2 / 1.425) < 1e-12)
    }

    @Test func unchangedPerplexitiesLeaveRatiosAlone() throws {
        let update = try RatioUpdate(ratios: [("a", 2), ("b", 6)], before: ["a": 5, "b": 7], after: ["a": 5, "b": 7], alpha: 0.9)
        #expect(update.topics.map(\.ratio) == [0.25, 0.75])
    }

    @Test func floorsAndCeilingsHoldAndTheRestIsRenormalized() throws {
        // Formula gives law 0.638…, math 0.191…, other 0.170…; ceiling 0.5 on law frees 0.138… which
        // math and other share 0.225 : 0.2.
        let update = try RatioUpdate(ratios: [("law", 0.5), ("math", 0.3), ("other", 0.2)],
                                     before: ["law": 10, "math": 8, "other": 6], after: ["law": 10.4, "math": 7.8, "other": 6.0],
                                     alpha: 0.5, ceilings: ["law": 0.5])
        #expect(abs(update.topics[0].ratio - 0.5) < 1e-12)
        #expect(abs(update.topics[1].ratio - 0.5 * 0.225 / 0.425) < 1e-12)
        #expect(abs(update.topics[2].ratio - 0.5 * 0.2 / 0.425) < 1e-12)
        let floored = try RatioUpdate(ratios: [("a", 0.5), ("b", 0.5)], before: ["a": 1, "b": 1], after: ["a": 2, "b": 0.5],
                                      alpha: 0.99, floors: ["b": 0.3])
        // δ = 1, −0.5 → f = 1.99, 0.505 → formula b = 0.2525/1.2475 ≈ 0.202, below its floor 0.3.
        #expect(abs(floored.topics[1].formulaRatio - 0.2525 / 1.2475) < 1e-12)
        #expect(abs(floored.topics[1].ratio - 0.3) < 1e-12)
        #expect(abs(floored.topics[0].ratio - 0.7) < 1e-12)
    }

    @Test func refusesWhatCannotBeComputed() {
        #expect(throws: RatioUpdate.Failure.missingPerplexity(topic: "b", which: "current (t)")) {
            try RatioUpdate(ratios: [("a", 1), ("b", 1)], before: ["a": 1, "b": 1], after: ["a": 2], alpha: 0.5)
        }
        #expect(throws: RatioUpdate.Failure.self) {
            try RatioUpdate(ratios: [("a", 1), ("b", 1)], before: ["a": 2, "b": 1], after: ["a": 1, "b": 1], alpha: 1.0)
        }
        #expect(throws: RatioUpdate.Failure.self) {
            try RatioUpdate(ratios: [("a", 1), ("b", 1)], before: ["a": 1, "b": 1], after: ["a": 2, "b": 1], alpha: 0.5,
                            floors: ["a": 0.7, "b": 0.7])
        }
    }
}
