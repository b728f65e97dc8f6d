import Testing
import Corpus
import Curation

@Suite("sample step")
struct SampleStepTests {
    static let ids = (0..<20_000).map { "doc-\($0)" }

    static func kept(_ step: SampleStep, _ ids: [String] = ids) -> Set<String> {
        Set(ids.filter { verdict(step, text("x", id: $0)) == .keep })
    }

    @Test func sameIDSameVerdict() {
        let a = SampleStep(fraction: 0.5, seed: 42), b = SampleStep(fraction: 0.5, seed: 42)
        for id in Self.ids.prefix(2000) {
            let first = verdict(a, text("one text", id: id))
            #expect(first == verdict(a, text("another text", id: id)))
            #expect(first == verdict(b, text("one text", id: id)))
        }
        #expect(SampleStep.hash(id: "doc-1", seed: 42) == SampleStep.hash(id: "doc-1", seed: 42))
        #expect(SampleStep.hash(id: "doc-1", seed: 42) != SampleStep.hash(id: "doc-1", seed: 43))
    }

    @Test func fractionZeroKeepsNoneAndOneKeepsAll() {
        #expect(Self.kept(SampleStep(fraction: 0)).isEmpty)
        #expect(Self.kept(SampleStep(fraction: 1)).count == Self.ids.count)
        #expect(Self.kept(SampleStep(fraction: 1, seed: 99)).count == Self.ids.count)
        #expect(verdict(SampleStep(fraction: 0), text("x", id: "a")) == .drop(DropReason("not_sampled")))
    }

    @Test(arguments: [0.01, 0.1, 0.25, 0.5, 0.9, 0.99])
    func keptShareIsCloseToTheFraction(_ fraction: Double) {
        let share = Double(Self.kept(SampleStep(fraction: fraction, seed: 7)).count) / Double(Self.ids.count)
        #expect(abs(share - fraction) <= 0.02, "kept \(share) for fraction \(fraction)")
    }

    @Test func smallerFractionsSelectSubsets() {
        for seed: UInt64 in [0, 1, 12345] {
            let sets = [0.05, 0.2, 0.5, 0.8].map { Self.kept(SampleStep(fraction: $0, seed: seed)) }
            for (smaller, larger) in zip(sets, sets.dropFirst()) {
                #expect(smaller.isSubset(of: larger))
                #expect(smaller.count < larger.count)
            }
        }
    }

    @Test func differentSeedsSelectDifferentSets() {
        let a = Self.kept(SampleStep(fraction: 0.5, seed: 1))
        let b = Self.kept(SampleStep(fraction: 0.5, seed: 2))
        #expect(a != b)
        // Independent halves overlap in about a quarter of the documents.
        let overlap = Double(a.intersection(b).count) / Double(Self.ids.count)
        #expect(abs(overlap - 0.25) < 0.03)
    }

    @Test func buildsFromConfig() throws {
        let (factory, step) = try build(SampleStep.definition, mapping(("fraction", scalar("0.3")), ("seed", scalar("9"))))
        #expect(factory.versionedName == "sample-v1")
        let sample = try #require(step as? SampleStep)
        #expect(sample.fraction == 0.3 && sample.seed == 9)
        #expect(Self.kept(sample, Array(Self.ids.prefix(500))) == Self.kept(SampleStep(fraction: 0.3, seed: 9), Array(Self.ids.prefix(500))))
        #expect((try build(SampleStep.definition, mapping(("fraction", scalar("1")))).1 as? SampleStep)?.seed == 0)

        #expect(buildError(SampleStep.definition, mapping(("seed", scalar("1"))))?.keyPath == "steps[0].fraction")
        #expect(buildError(SampleStep.definition, mapping(("fraction", scalar("1.5"))))?.keyPath == "steps[0].fraction")
        #expect(buildError(SampleStep.definition, mapping(("fraction", scalar("-0.1"))))?.keyPath == "steps[0].fraction")
        #expect(buildError(SampleStep.definition, mapping(("fraction", scalar("half"))))?.keyPath == "steps[0].fraction")
        #expect(buildError(SampleStep.definition, mapping(("fraction", scalar("0.5")), ("seed", scalar("-1"))))?.keyPath == "steps[0].seed")
    }
}
