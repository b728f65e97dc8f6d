import Corpus
import Foundation
import Testing
@testable import Models

@Suite struct ConfusionMatrixTests {
    /// 8 hand-counted predictions over a, b, c (and d, which has none):
    ///
    ///     true \ predicted   a  b  c
    ///     a                  3  1  0
    ///     b                  0  2  1
    ///     c                  1  0  0
    @Test func countsPrecisionRecallAndF1ByHand() {
        var matrix = ConfusionMatrix(labels: ["a", "b", "c", "d"])
        matrix.add(actual: "a", predicted: "a", count: 3)
        matrix.add(actual: "a", predicted: "b")
        matrix.add(actual: "b", predicted: "b")
        matrix.add(actual: "b", predicted: "c")
        matrix.add(actual: "b", predicted: "b")
        matrix.add(actual: "c", predicted: "a")
        #expect(matrix.counts == [[3, 1, 0, 0], [0, 2, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0]])
        #expect(matrix.total == 8 && matrix.correct == 5 && matrix.accuracy == 0.625)
        #expect(matrix.support("a") == 4 && matrix.predicted("a") == 4)
        #expect(matrix.precision("a") == 0.75 && matrix.recall("a") == 0.75 && matrix.f1("a") == 0.75)
        #expect(matrix.precision("b") == 2.0 / 3 && matrix.recall("b") == 2.0 / 3)
        #expect(matrix.precision("c") == 0 && matrix.recall("c") == 0 && matrix.f1("c") == 0)
        #expect(matrix.precision("d") == nil && matrix.recall("d") == nil && matrix.f1("d") == nil)
        // Mean over a, b, c (d has no examples).
        #expect(abs(matrix.macroF1 - (0.75 + 2.0 / 3 + 0) / 3) < 1e-12)
        #expect(matrix.count(actual: "c", predicted: "a") == 1 && matrix.count(actual: "x", predicted: "a") == 0)
    }

    @Test func labelsMetLaterAreAppended() {
        var matrix = ConfusionMatrix()
        matrix.add(actual: "x", predicted: "y")
        matrix.add(actual: "y", predicted: "y")
        #expect(matrix.labels == ["x", "y"])
        #expect(matrix.counts == [[0, 1], [0, 1]])
    }

    /// On a trained model the matrix counts what `FastTextEvaluation` counts: its accuracy is precision@1.
    @Test func agreesWithPrecisionAtOneOfAModel() throws {
        let (train, test) = try Fixtures.tnewsSplit()
        var options = Fixtures.tnewsOptions
        options.epochs = 5
        let model = try FastTextTrainer(options: options).train(examples: train)
        let unknown = FastTextExample(labels: ["no_such_topic"], text: "体育 新闻")
        let evaluation = FastTextEvaluation(model: model, examples: test + [unknown])
        let matrix = ConfusionMatrix(model: model, examples: test + [unknown], labels: ["news_sports"])
        #expect(matrix.labels.first == "news_sports" && !matrix.labels.contains("no_such_topic"))
        #expect(matrix.total == evaluation.examples && matrix.correct == evaluation.correct)
        #expect(matrix.labels.allSatisfy { !$0.hasPrefix("__label__") })
    }
}

@Suite struct LabelMapTableTests {
    static let table = """
        # a comment
        file\tfield\tvalue\tlabel\tcomment
        a.jsonl\tsubject\talgebra\tmath
        a.jsonl\tsubject\tlaw\tlaw_and_policy\tdebatable

        b.jsonl\tcategory\tphysics\tmath\t
        """

    @Test func readsRowsSourcesAndLabels() throws {
        let table = try LabelMapTable(text: Self.table, path: "t.tsv")
        #expect(table.rows.count == 3)
        #expect(table.rows[1] == .init(file: "a.jsonl", field: "subject", value: "law", label: "law_and_policy", comment: "debatable", line: 4))
        #expect(table.sources == [.init(file: "a.jsonl", field: "subject"), .init(file: "b.jsonl", field: "category")])
        #expect(table.labels == ["math", "law_and_policy"])
        #expect(table.row(file: "b.jsonl", value: "physics")?.label == "math")
        #expect(table.row(file: "a.jsonl", value: "physics") == nil)
    }

    @Test func badTablesNameTheLine() {
        func failure(_ text: String) -> String {
            do {
                _ = try LabelMapTable(text: text, path: "t.tsv")
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(failure("a.jsonl\tsubject\talgebra\n").hasPrefix("t.tsv:1: 3 tab-separated columns"))
        #expect(failure("a.jsonl\tsubject\tx\tmath\na.jsonl\tsubject\tx\tother\n").contains("t.tsv:2: a.jsonl \"x\" is mapped again (first on line 1)"))
        #expect(failure("a.jsonl\tsubject\tx\tmath\na.jsonl\ttopic\ty\tmath\n").contains("t.tsv:2: a.jsonl reads field \"topic\" here but \"subject\" on line 1"))
        #expect(failure("a.jsonl\tsubject\t\tmath\n").contains("t.tsv:1: the value column is empty"))
        #expect(failure("# only comments\n").contains("t.tsv: no rows"))
    }

    @Test func mapsRecordsAndListsEveryMissingValue() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-labelmap-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            {"id":"q1","text":"x + 1 = 2","subject":"algebra"}
            {"id":"q2","text":"a tort","subject":"law"}
            """.write(toFile: folder + "/a.jsonl", atomically: true, encoding: .utf8)
        let table = try LabelMapTable(text: Self.table, path: "t.tsv")
        let records = try table.mappedRecords(of: table.sources[0], root: folder)
        #expect(records.map(\.label) == ["math", "law_and_policy"])
        #expect(records.map(\.sourceLabel) == ["algebra", "law"] && records.map(\.id) == ["q1", "q2"] && records[1].line == 2)

        try """
            {"text":"waves","category":"physics"}
            {"text":"genes","category":"biology"}
            {"text":"cells","category":"biology"}
            {"text":"atoms","category":"chemistry"}
            """.write(toFile: folder + "/b.jsonl", atomically: true, encoding: .utf8)
        do {
            _ = try table.mappedRecords(of: table.sources[1], root: folder)
            Issue.record("unmapped values must fail")
        } catch {
            #expect(error.description.contains("b.jsonl:2: 2 values of \"category\" not in t.tsv: \"biology\" (line 2, 2 records), \"chemistry\" (line 4, 1 record)"),
                    "\(error)")
            #expect(error.hint.contains("b.jsonl<TAB>category<TAB>VALUE<TAB>LABEL"))
        }
        try "{\"text\":\"waves\",\"category\":3}\n".write(toFile: folder + "/b.jsonl", atomically: true, encoding: .utf8)
        #expect(throws: CorpusError.self) { try table.mappedRecords(of: table.sources[1], root: folder) }
    }
}
