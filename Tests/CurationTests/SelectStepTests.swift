import Testing
import Corpus
import Curation

@Suite("select step")
struct SelectStepTests {
    @Test func matchesATopLevelField() throws {
        let step = SelectStep(field: "language", values: ["en", "zh"])
        #expect(outcome(step, try record(#"{"text":"t","language":"en"}"#)) == "keep")
        #expect(outcome(step, try record(#"{"text":"t","language":"zh"}"#)) == "keep")
        #expect(outcome(step, try record(#"{"text":"t","language":"de"}"#)) == "not_selected")
        #expect(outcome(step, try record(#"{"text":"t","language":"EN"}"#)) == "not_selected")
        #expect(outcome(step, try record(#"{"text":"t","language":"\u0065n"}"#)) == "keep")
    }

    @Test func matchesNumbersAndBooleansByTheirText() throws {
        #expect(outcome(SelectStep(field: "year", values: ["2020"]), try record(#"{"text":"t","year":2020}"#)) == "keep")
        #expect(outcome(SelectStep(field: "year", values: ["2020"]), try record(#"{"text":"t","year":2021}"#)) == "not_selected")
        #expect(outcome(SelectStep(field: "ok", values: ["true"]), try record(#"{"text":"t","ok":true}"#)) == "keep")
    }

    @Test func matchesANestedDottedPath() throws {
        let step = SelectStep(field: "meta.site.domain", values: ["mathoverflow.net"])
        #expect(outcome(step, try record(#"{"text":"t","meta":{"site":{"domain":"mathoverflow.net"}}}"#)) == "keep")
        #expect(outcome(step, try record(#"{"text":"t","meta":{"site":{"domain":"physics.stackexchange.com"}}}"#)) == "not_selected")
        #expect(outcome(step, try record(#"{"text":"t","meta":{"site":"flat"}}"#)) == "field_missing")
        #expect(outcome(step, try record(#"{"text":"t","meta":{}}"#)) == "field_missing")
        // Into a record's own metadata object, too.
        let fromMetadata = SelectStep(field: "metadata.source", values: ["web"])
        #expect(outcome(fromMetadata, try record(#"{"text":"t","metadata":{"source":"web"}}"#)) == "keep")
    }

    @Test func matchesMetadataAddedByAPreviousStep() throws {
        let select = SelectStep(field: "language", values: ["en"])
        let document = try record(#"{"text":"t","language":"fr"}"#)
        // Without the annotation the record's own field decides; added metadata takes precedence over it.
        #expect(run([select], document) == "not_selected")
        #expect(run([AnnotateStep("language", .string("en")), select], document) == "keep")
        #expect(run([AnnotateStep("language", .string("de")), select], try record(#"{"text":"t"}"#)) == "not_selected")
        #expect(run([AnnotateStep("language", .string("en")), select], text("fresh")) == "keep")
        // And with the explicit `metadata.` prefix.
        let prefixed = SelectStep(field: "metadata.quality", values: ["high"])
        #expect(run([AnnotateStep("quality", .string("high")), prefixed], text("t")) == "keep")
        #expect(run([prefixed], text("t")) == "field_missing")
    }

    @Test func matchesAnyElementOfAnArray() throws {
        let step = SelectStep(field: "tags", values: ["math", "physics"])
        #expect(outcome(step, try record(#"{"text":"t","tags":["stats","physics"]}"#)) == "keep")
        #expect(outcome(step, try record(#"{"text":"t","tags":["stats","bio"]}"#)) == "not_selected")
        #expect(outcome(step, try record(#"{"text":"t","tags":[]}"#)) == "not_selected")
        #expect(outcome(step, try record(#"{"text":"t","tags":"math"}"#)) == "keep")
        #expect(outcome(SelectStep(field: "ids", values: ["3"]), try record(#"{"text":"t","ids":[1,2,3]}"#)) == "keep")
    }

    @Test func excludeDropsTheMatches() throws {
        let step = SelectStep(field: "domain", values: ["spam.example"], exclude: true)
        #expect(outcome(step, try record(#"{"text":"t","domain":"spam.example"}"#)) == "excluded")
        #expect(outcome(step, try record(#"{"text":"t","domain":"good.example"}"#)) == "keep")
        #expect(outcome(step, try record(#"{"text":"t"}"#)) == "field_missing")
    }

    @Test func missingFieldIsDroppedOrKept() throws {
        let strict = SelectStep(field: "language", values: ["en"])
        let lenient = SelectStep(field: "language", values: ["en"], keepMissing: true)
        for line in [#"{"text":"t"}"#, #"{"text":"t","language":null}"#] {
            #expect(outcome(strict, try record(line)) == "field_missing")
            #expect(outcome(lenient, try record(line)) == "keep")
        }
        // keep_missing does not keep documents that have a non-matching value.
        #expect(outcome(lenient, try record(#"{"text":"t","language":"de"}"#)) == "not_selected")
        let excludeLenient = SelectStep(field: "language", values: ["en"], exclude: true, keepMissing: true)
        #expect(outcome(excludeLenient, try record(#"{"text":"t"}"#)) == "keep")
    }

    @Test func buildsFromConfig() throws {
        let (factory, step) = try build(SelectStep.definition, mapping(
            ("field", scalar("language")), ("values", sequence(scalar("en"), scalar("zh"))),
            ("exclude", scalar("true")), ("keep_missing", scalar("yes"))))
        #expect(factory.versionedName == "select-v1")
        let select = try #require(step as? SelectStep)
        #expect(select.field == "language" && select.values == ["en", "zh"] && select.exclude && select.keepMissing)
        #expect(outcome(step, try record(#"{"text":"t","language":"zh"}"#)) == "excluded")

        // A single value counts as a list of one.
        let single = try build(SelectStep.definition, mapping(("field", scalar("language")), ("values", scalar("en")))).1
        #expect(outcome(single, try record(#"{"text":"t","language":"en"}"#)) == "keep")

        #expect(buildError(SelectStep.definition, mapping(("values", scalar("en"))))?.keyPath == "steps[0].field")
        #expect(buildError(SelectStep.definition, mapping(("field", scalar("x"))))?.keyPath == "steps[0].values")
        #expect(buildError(SelectStep.definition, mapping(("field", scalar("x")), ("values", sequence())))?.keyPath == "steps[0].values")
        #expect(buildError(SelectStep.definition, mapping(("field", scalar("x")), ("values", scalar("a")), ("exclude", scalar("sometimes"))))?.keyPath == "steps[0].exclude")
    }
}
