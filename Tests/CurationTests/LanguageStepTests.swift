import Corpus
import Foundation
import Testing
@testable import Curation
import Models

@Suite struct LanguageStepTests {
    static let modelPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Tests/Fixtures/models/lid.176.ftz"
    static let model = try! FastTextModel.load(path: modelPath)

    func step(_ languages: Set<String>? = nil, minScore: Float = 0) -> LanguageStep {
        LanguageStep(predictor: Self.model.makePredictor(), languages: languages, minScore: minScore)
    }

    @Test func annotatesLanguageAndScore() {
        var english = text("The committee approved the budget for the new library after a long debate.")
        #expect(step().process(&english) == .keep)
        #expect(english.metadata["language"] == .string("en"))
        guard case let .number(score)? = english.metadata["language_score"], let value = Double(score) else {
            Issue.record("no language_score")
            return
        }
        #expect(value > 0.8 && value <= 1)
        var chinese = text("委员会在长时间的辩论后批准了新图书馆的预算。")
        _ = step().process(&chinese)
        #expect(chinese.metadata["language"] == .string("zh"))
    }

    @Test func keepsOnlyTheListedLanguagesAboveTheBar() {
        let bilingual = step(["en", "zh"], minScore: 0.65)
        #expect(outcome(bilingual, text("Der Ausschuss hat den Haushalt nach einer langen Debatte genehmigt.")) == "language_not_wanted")
        #expect(outcome(bilingual, text("The committee approved the budget after a long debate.")) == "keep")
        // No list: only the bar.
        #expect(outcome(step(minScore: 0.99), text("ok")) == "language_score_too_low")
        // A bar below one half lets a second-best listed language through.
        let low = step(["de"], minScore: 0.0001)
        var mixed = text("The committee und der Ausschuss approved the Haushalt.")
        #expect(low.process(&mixed) == .keep)
    }

    @Test func emptyWhitespaceAndHugeDocumentsHaveDefinedVerdicts() {
        // No words at all: fastText still sees `</s>` and predicts something; never a crash.
        for content in ["", "   \n\t  ", "!!! ??? ...", String(repeating: "a", count: 5_000_000)] {
            var document = text(content)
            _ = step(["en"], minScore: 0.5).process(&document)
            #expect(document.metadata["language"] != nil)
        }
    }

    @Test func theYAMLStepChecksItsModelAndLanguages() throws {
        func configure(_ options: String) throws -> any StepFactory {
            let yaml = "{model: \"\(Self.modelPath)\", \(options)}"
            return try LanguageStep.definition.build(ConfigReader(try YAMLConfigParser.parse(yaml, file: "p.yaml"), keyPath: "steps[0].language"))
        }
        #expect(throws: ConfigError.self) { try configure("languages: [en, zn]") }
        do {
            _ = try configure("languages: [en, zn]")
        } catch {
            #expect("\(error)".contains("'zn' is not a label") && "\(error)".contains("did you mean"))
        }
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).ftz").path
        try Data([0xBA, 0x16, 0x4F, 0x2F, 12, 0, 0, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: broken))
        defer { try? FileManager.default.removeItem(atPath: broken) }
        do {
            _ = try LanguageStep.definition.build(ConfigReader(try YAMLConfigParser.parse("{model: \"\(broken)\"}", file: "p.yaml"), keyPath: "steps[0].language"))
            Issue.record("a truncated model was accepted")
        } catch {
            #expect("\(error)".contains("the file ends inside") && "\(error)".contains(broken))
        }
        #expect(throws: ModelFileError.self) { try FastTextModel(path: "x.bin", bytes: Array("not a model at all".utf8)) }
    }
}
