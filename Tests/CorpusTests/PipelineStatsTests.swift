import Testing
import Corpus

@Suite("Pipeline stats")
struct PipelineStatsTests {
    /// 100 read; length drops 20 of them, sample drops 30 more; 50 written.
    static func consistent() -> PipelineStats {
        var stats = PipelineStats(stepNames: ["length-v1", "sample-v1"])
        stats.read.documents = Counts(documents: 100, bytes: 10_000)
        stats.read.problems["invalid_json"] = Counts(documents: 3, bytes: 90)
        stats.steps[0].input = Counts(documents: 100, bytes: 10_000)
        stats.steps[0].kept = Counts(documents: 80, bytes: 9_000)
        stats.steps[0].dropped = ["too_few_words": Counts(documents: 15, bytes: 500), "too_many_characters": Counts(documents: 5, bytes: 500)]
        stats.steps[1].input = Counts(documents: 80, bytes: 9_000)
        stats.steps[1].kept = Counts(documents: 50, bytes: 5_000)
        stats.steps[1].dropped = ["not_sampled": Counts(documents: 30, bytes: 4_000)]
        stats.written = Counts(documents: 50, bytes: 5_000)
        return stats
    }

    @Test func consistentCountsPass() {
        let stats = Self.consistent()
        #expect(stats.conservationViolation() == nil)
        #expect(stats.droppedByReason["not_sampled"]?.documents == 30)
        #expect(stats.droppedByReason["invalid_json"]?.documents == 3)
        #expect(PipelineStats(stepNames: []).conservationViolation() == nil)
    }

    @Test func aStepLosingDocumentsIsDetected() {
        var stats = Self.consistent()
        stats.steps[0].dropped["too_few_words"] = Counts(documents: 14, bytes: 500)
        let violation = stats.conservationViolation()
        #expect(violation?.contains("length-v1") == true)
        #expect(violation?.contains("100") == true)
    }

    @Test func aStepReceivingTheWrongCountIsDetected() {
        var stats = Self.consistent()
        stats.steps[1].input.documents = 81
        stats.steps[1].kept.documents = 51
        #expect(stats.conservationViolation()?.contains("sample-v1") == true)
    }

    @Test func writtenMustEqualKept() {
        var stats = Self.consistent()
        stats.written.documents = 49
        #expect(stats.conservationViolation()?.contains("49 documents written but 50 kept") == true)
    }

    @Test func readMustFeedTheFirstStep() {
        var stats = Self.consistent()
        stats.read.documents.documents = 101
        #expect(stats.conservationViolation() != nil)
    }

    @Test func mergingConsistentStatsStaysConsistent() {
        var total = Self.consistent()
        total.merge(Self.consistent())
        #expect(total.conservationViolation() == nil)
        #expect(total.read.documents.documents == 200)
        #expect(total.steps[1].dropped["not_sampled"]?.documents == 60)
        #expect(total.written.documents == 100)
    }
}
