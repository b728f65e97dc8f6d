import Corpus
import CXXHash
import Curation
import Foundation
import Testing

/// Syllabus's heuristic filters against datatrove 0.10.1's verdicts on real documents
/// (`Tests/Fixtures/filters/verdicts.tsv`, made by `tools/reference/filter_fixtures.py`).
@Suite("filter parity with datatrove")
struct FilterParityTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()
    static let sharedData = root.deletingLastPathComponent().appendingPathComponent("shared/data")
    static let names = ["gopher_quality", "gopher_repetition", "c4_quality", "fineweb_quality"]

    struct Expected {
        let file: String
        let id: String
        let verdicts: [String]  // per filter, in `names` order
        let c4Text: String
    }

    static func fixtures() throws -> [Expected] {
        let text = try String(contentsOf: root.appendingPathComponent("Tests/Fixtures/filters/verdicts.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("file\t") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Expected(file: f[0], id: f[1], verdicts: [f[2], f[3], f[4], f[6]], c4Text: f[5])
        }
    }

    @Test func agreesWithDatatroveOnRealDocuments() throws {
        let expected = try Self.fixtures()
        #expect(expected.count == 3521)
        guard FileManager.default.fileExists(atPath: Self.sharedData.path) else {
            Issue.record("the shared test data is missing: expected it at \(Self.sharedData.path) (../shared/data beside the repository)")
            return
        }
        let steps: [any Step] = [GopherQualityStep(), GopherRepetitionStep(), C4QualityStep(), FineWebQualityStep()]
        var documents: [String: Document] = [:]
        for file in Set(expected.map(\.file)) {
            let path = Self.sharedData.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path.path) else {
                Issue.record("cannot read \(path.path): the shared test data is incomplete")
                return
            }
            var decoder = DocumentDecoder()
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                let document = try line.withUnsafeBytes { raw in try decoder.decode(line: raw) { "?" } }
                documents[document.id] = document
            }
        }
        var agree = [Int](repeating: 0, count: steps.count)
        var report: [String] = []
        for row in expected {
            let original = try #require(documents[row.id], "document \(row.id) of \(row.file) is not in the shared data")
            for (k, step) in steps.enumerated() {
                var document = original
                let got: String
                switch step.process(&document) {
                case .keep: got = "keep"
                case let .drop(reason): got = reason.rawValue
                }
                var same = got == row.verdicts[k]
                if same && k == 2 && got == "keep" {
                    let text = document.text
                    let hash = text == original.text ? "=" : String(Digest.xxh64(text), radix: 16)
                    if hash != row.c4Text {
                        same = false
                        report.append("\(Self.names[k])\t\(row.id)\ttext \(row.c4Text)\ttext \(hash)")
                    }
                } else if !same {
                    report.append("\(Self.names[k])\t\(row.id)\t\(row.verdicts[k])\t\(got)")
                }
                if same { agree[k] += 1 }
            }
        }
        if let out = ProcessInfo.processInfo.environment["FILTER_PARITY_REPORT"] {
            try (report.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        for (k, name) in Self.names.enumerated() {
            let share = Double(agree[k]) / Double(expected.count)
            print("parity \(name): \(agree[k])/\(expected.count) = \(String(format: "%.2f", share * 100))%")
            #expect(share >= 0.995, "\(name) agrees with datatrove on \(agree[k]) of \(expected.count) documents; see Tests/Fixtures/filters/NOTES.md")
        }
    }
}
