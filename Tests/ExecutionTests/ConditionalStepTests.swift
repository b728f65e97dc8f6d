import Corpus
import Foundation
import Testing
@testable import Execution

@Suite struct ConditionalStepTests {
    func steps(_ yaml: String) throws -> [any Step] {
        let config = try PipelineLoader.parse("""
            inputs: {web: {paths: ["x.jsonl"]}}
            steps:
            \(yaml)
            output: out
            """, baseFolder: "/tmp")
        return try config.steps.map { try $0.factory.makeStep() }
    }

    @Test func aStepWithWhenJudgesOnlyMatchingDocuments() throws {
        let step = try steps("  - length: {min_words: 5, when: {language: [en, de]}}")[0]
        var english = Document(id: "1", text: "too short", source: "web")
        english.metadata["language"] = .string("en")
        var chinese = Document(id: "2", text: "短", source: "web")
        chinese.metadata["language"] = .string("zh")
        let unlabelled = Document(id: "3", text: "short", source: "web")
        #expect(step.process(&english) == .drop(.tooFewWords))
        #expect(step.process(&chinese) == .keep)
        var copy = unlabelled
        #expect(step.process(&copy) == .keep)
        // `input` is the pipeline input the document was read from.
        let byInput = try steps("  - length: {min_words: 5, when: {input: qa}}")[0]
        var web = Document(id: "4", text: "short", source: "web")
        var qa = Document(id: "5", text: "short", source: "qa")
        #expect(byInput.process(&web) == .keep)
        #expect(byInput.process(&qa) == .drop(.tooFewWords))
    }

    @Test func badConditionsAndStepOptionsAreStillNamed() throws {
        #expect(throws: ConfigError.self) { try steps("  - length: {min_words: 5, when: en}") }
        do {
            _ = try steps("  - length: {min_wrds: 5, when: {language: en}}")
            Issue.record("a typo in the step's own options was accepted")
        } catch {
            #expect("\(error)".contains("min_wrds"))
        }
    }
}
