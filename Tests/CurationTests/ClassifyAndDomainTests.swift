import Corpus
import Foundation
import Testing
@testable import Curation
import Models

/// `classify` with a real fastText model trained on TNEWS titles (Tests/Fixtures/models), and `domain`
/// with SPEC §3's table on real Stack Exchange URLs.
@Suite struct ClassifyAndDomainTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Tests/Fixtures/models"
    static let modelPath = fixtures + "/tnews-reference.bin"

    static func build(_ definition: StepDefinition, _ options: String) throws -> any Step {
        let reader = try ConfigReader(try YAMLConfigParser.parse(options, file: "p.yaml"), keyPath: "steps[0].\(definition.name)")
        let factory = try definition.build(reader)
        try reader.finish()
        return try factory.makeStep()
    }

    static func classify(_ options: String) throws -> any Step {
        try build(ClassifyStep.definition, "{model: \"\(modelPath)\", \(options)}")
    }

    /// The 126 held-out TNEWS records of the fixture (after the first 800) with the reference fastText's
    /// top label for each.
    static func referencePredictions() throws -> [(text: String, label: String)] {
        let lines = try String(contentsOfFile: fixtures + "/tnews-topics.jsonl", encoding: .utf8).split(separator: "\n")
        let predicted = try String(contentsOfFile: fixtures + "/tnews-reference-predictions.txt", encoding: .utf8).split(separator: "\n")
        return zip(lines.dropFirst(800), predicted).map { line, prediction in
            let record = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (record["text"] as! String, String(prediction.split(separator: " ")[0]))
        }
    }

    @Test func writesTheTopLabelAndScoreAsTheReferencePredicts() throws {
        let step = try Self.classify("field: topic")
        let reference = try Self.referencePredictions()
        #expect(reference.count == 126)
        var agree = 0
        for (text, label) in reference {
            var document = Document(id: "d", text: text)
            #expect(step.process(&document) == .keep)
            if case let .string(found)? = document.metadata["topic"], "__label__" + found == label { agree += 1 }
            #expect(document.metadata["topic_score"] != nil)
        }
        #expect(agree == reference.count, "\(agree) of \(reference.count) agree with the reference fastText")
    }

    @Test func filtersByLabelAndScore() throws {
        let sports = try Self.classify("labels: [news_sports]")
        let reference = try Self.referencePredictions()
        for (text, label) in reference {
            var document = Document(id: "d", text: text)
            let verdict = sports.process(&document)
            #expect(verdict == (label == "__label__news_sports" ? .keep : .drop(.classifierLabelNotWanted)))
        }
        // score_label: the probability of one label, filtered by min_score.
        let tech = try Self.classify("score_label: news_tech, field: tech, min_score: 0.5")
        var kept = 0
        for (text, _) in reference {
            var document = Document(id: "d", text: text)
            let verdict = tech.process(&document)
            let score = Double(document.metadata["tech"]!.textForMatching)!
            #expect(verdict == (score >= 0.5 ? .keep : .drop(.classifierScoreOutOfRange)))
            if verdict == .keep { kept += 1 }
        }
        #expect(kept > 0 && kept < reference.count)
    }

    @Test func badOptionsNameTheLabelOrTaxonomy() throws {
        for (options, expected) in [
            ("labels: [news_sprots]", "did you mean 'news_sports'"),
            ("score_label: hq", "'hq' is not a label"),
            ("taxonomy: zh", "not zh topics: news_"),
            ("min_score: 0.9, max_score: 0.1", "must be at least min_score"),
        ] {
            do {
                _ = try Self.classify(options)
                Issue.record("accepted \(options)")
            } catch {
                #expect("\(error)".contains(expected), "\(options): \(error)")
            }
        }
        do {
            _ = try Self.build(ClassifyStep.definition, "{field: topic}")
            Issue.record("accepted a classify step without a model")
        } catch {
            #expect("\(error)".contains("model"))
        }
    }

    @Test func taxonomyLabelsAreSPECsTopics() {
        #expect(TopicTaxonomy.en.labels.count == 11 && TopicTaxonomy.zh.labels.count == 13)
        #expect(TopicTaxonomy.en.displayNames["security_and_international_relations"] == "Security and International Relations")
        #expect(TopicTaxonomy.zh.unknownLabels(["__label__psychology", "__label__news_tech"]) == ["news_tech"])
    }

    static func domain(_ step: any Step, _ json: String) throws -> [String: JSONValue] {
        var document = try record(json)
        _ = step.process(&document)
        var out: [String: JSONValue] = [:]
        for key in ["subject", "domain", "url_error"] { if let value = document.metadata[key] { out[key] = value } }
        return out
    }

    @Test func subjectsFromSPECsTableWithSubdomainsAndOverrides() throws {
        let step = try Self.build(DomainStep.definition, "{domains: {mathoverflow.net: Math, physics.stackexchange.com: Physics}}")
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"https://math.stackexchange.com/questions/1"}"#)
            == ["subject": .string("Math"), "domain": .string("math.stackexchange.com")])
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"http://user@WWW.PhysicsForums.com:8080/threads/x"}"#)
            == ["subject": .string("Physics"), "domain": .string("www.physicsforums.com")])
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"https://meta.mathoverflow.net/a"}"#)["subject"] == .string("Math"))
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"https://stats.stackexchange.com/q/2"}"#)
            == ["domain": .string("stats.stackexchange.com")])
        #expect(try Self.domain(step, #"{"id":"1","text":"t"}"#) == ["url_error": .string("missing")])
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"not a url"}"#) == ["url_error": .string("unparsable")])
        #expect(try Self.domain(step, #"{"id":"1","text":"t","url":"https:///path"}"#) == ["url_error": .string("unparsable")])
        // Without defaults only the given table applies.
        let own = try Self.build(DomainStep.definition, "{defaults: false, domains: {skeptics.stackexchange.com: Skepticism}}")
        #expect(try Self.domain(own, #"{"id":"1","text":"t","url":"https://math.stackexchange.com/q"}"#)["subject"] == nil)
        #expect(throws: ConfigError.self) { try Self.build(DomainStep.definition, "{domains: {\"https://x.org/\": X}}") }
    }

    @Test func realStackExchangeURLsAllGetADomain() throws {
        let step = try Self.build(DomainStep.definition, "{domains: {mathoverflow.net: Math}}")
        let path = URL(fileURLWithPath: Self.fixtures).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/shared/data/qa/stackexchange_math_physics_stats.jsonl"
        var subjects: [String: Int] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let found = try Self.domain(step, String(line))
            #expect(found["url_error"] == nil && found["domain"] != nil)
            subjects[found["subject"]?.textForMatching ?? "-", default: 0] += 1
        }
        #expect(subjects["Math", default: 0] > 0)
    }
}

