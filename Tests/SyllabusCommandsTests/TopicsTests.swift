import Corpus
import Curation
import Foundation
import Models
import Testing

/// The topic recipe (examples/topics): its label tables against the real labeled data in ../shared/data,
/// `build-training-set`, and `train-classifier --taxonomy / --report`.
@Suite struct TopicsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let sharedData = repository + "/../shared/data"

    /// Every label value in the data has a row, every row's value occurs in the data, every topic is one
    /// of the taxonomy's and every topic gets some records.
    @Test(arguments: [TopicTaxonomy.en, .zh])
    func tableCoversTheSharedDataWithTaxonomyLabels(taxonomy: TopicTaxonomy) throws {
        guard FileManager.default.fileExists(atPath: Self.sharedData + "/README.md") else {
            Issue.record("../shared/data is missing: the table coverage test needs the shared data folder beside the repository")
            return
        }
        let table = try LabelMapTable.read(path: Self.repository + "/examples/topics/map-\(taxonomy.rawValue).tsv")
        #expect(taxonomy.unknownLabels(table.labels) == [], "labels outside the \(taxonomy.rawValue) taxonomy")
        var perTopic: [String: Int] = [:]
        for source in table.sources {
            let records = try table.mappedRecords(of: source, root: Self.sharedData)
            let seen = Set(records.map(\.sourceLabel))
            let stale = table.rows.filter { $0.file == source.file && !seen.contains($0.value) }.map(\.value)
            #expect(stale == [], "\(source.file): rows for values not in the data")
            for record in records { perTopic[record.label, default: 0] += 1 }
        }
        for label in taxonomy.labels {
            #expect(perTopic[label, default: 0] >= 100, "\(label) has only \(perTopic[label, default: 0]) records")
        }
    }

    static let table = """
        file\tfield\tvalue\ttopic\tcomment
        exams.jsonl\tsubject\talgebra\tmathematics_and_physics
        exams.jsonl\tsubject\tcontracts\tlaw_and_policy\tcould be economics_and_business
        forum.jsonl\tcategory\tnutrition\tmedicine_and_health
        """

    @Test func buildTrainingSetMapsLabelsThroughTheTable() throws {
        let folder = TemporaryFolder()
        folder.write("map.tsv", Self.table)
        folder.write("exams.jsonl", """
            {"id":"e1","text":"Solve x + 1 = 2.","subject":"algebra"}
            {"id":"e2","text":"What makes a contract void?","subject":"contracts"}
            {"id":"e3","text":"Factor x^2 - 1.","subject":"algebra"}
            """)
        folder.write("forum.jsonl", "{\"text\":\"Is coffee bad for you?\",\"category\":\"nutrition\"}\n")
        let run = try syllabus(["build-training-set", "--map", "map.tsv", "--taxonomy", "en", "--output", "out/train.jsonl"], in: folder.path)
        #expect(run.code == 0, "\(run.err)")
        #expect(run.out.contains("exams.jsonl (subject): 3 records → 2 labels"), "\(run.out)")
        #expect(run.out.contains("wrote 4 records to out/train.jsonl"), "\(run.out)")
        let lines = try String(contentsOfFile: folder.path + "/out/train.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1] == #"{"text":"What makes a contract void?","label":"law_and_policy","source_file":"exams.jsonl","source_label":"contracts","id":"e2"}"#)
        #expect(lines[3].contains(#""label":"medicine_and_health""#))

        // The output trains directly.
        let train = try syllabus(["train-classifier", "--input", "out/train.jsonl", "--taxonomy", "en", "--output", "m.bin"], in: folder.path)
        #expect(train.code == 0, "\(train.err)")
    }

    @Test func unmappedValuesAndNonTaxonomyLabelsAreErrors() throws {
        let folder = TemporaryFolder()
        folder.write("map.tsv", Self.table)
        folder.write("exams.jsonl", """
            {"text":"Solve x.","subject":"algebra"}
            {"text":"Who was Caesar?","subject":"history"}
            """)
        folder.write("forum.jsonl", "{\"text\":\"Is coffee bad for you?\",\"category\":\"nutrition\"}\n")
        let unmapped = try syllabus(["build-training-set", "--map", "map.tsv", "--output", "t.jsonl"], in: folder.path)
        #expect(unmapped.code == 1)
        #expect(unmapped.err.contains("exams.jsonl:2: 1 value of \"subject\" not in map.tsv: \"history\" (line 2, 1 record)"), "\(unmapped.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/t.jsonl"))

        folder.write("bad.tsv", Self.table + "\nforum.jsonl\tcategory\tfitness\tsports\n")
        let bad = try syllabus(["build-training-set", "--map", "bad.tsv", "--taxonomy", "en", "--output", "t.jsonl"], in: folder.path)
        #expect(bad.code == 1)
        #expect(bad.err.contains("bad.tsv:5: labels not in the en taxonomy: \"sports\" (line 5)"), "\(bad.err)")
        #expect(bad.err.contains("hint: the en topics are mathematics_and_physics, computer_science_and_engineering"), "\(bad.err)")
    }

    @Test func trainClassifierChecksTheTaxonomy() throws {
        let folder = TemporaryFolder()
        folder.write("t.jsonl", """
            {"text":"x + 1","label":"mathematics_and_physics"}
            {"text":"a goal","label":"sports"}
            {"text":"a song","label":"music"}
            {"text":"a poem","label":"arts_and_culture"}
            """)
        let en = try syllabus(["train-classifier", "--input", "t.jsonl", "--taxonomy", "en", "--output", "m.bin"], in: folder.path)
        #expect(en.code == 1)
        #expect(en.err.contains("t.jsonl: 3 labels not in the en taxonomy: sports, music, arts_and_culture"), "\(en.err)")
        let zh = try syllabus(["train-classifier", "--input", "t.jsonl", "--taxonomy", "zh", "--output", "m.bin"], in: folder.path)
        #expect(zh.err.contains("2 labels not in the zh taxonomy: sports, music"), "\(zh.err)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/m.bin"))
        let other = try syllabus(["train-classifier", "--input", "t.jsonl", "--taxonomy", "fr", "--output", "m.bin"], in: folder.path)
        #expect(other.code != 0 && other.err.contains("--taxonomy must be en or zh"), "\(other.err)")
    }

    @Test func reportHoldsAccuracyPerLabelScoresAndTheConfusionMatrix() throws {
        let folder = TemporaryFolder()
        let run = try syllabus(["train-classifier", "--input", TrainClassifierCommandTests.tnews, "--output", folder.path + "/m.bin",
                                "--holdout", "0.1", "--minn", "1", "--maxn", "2", "--bucket", "100000", "--epoch", "10", "--lr", "0.5",
                                "--report", folder.path + "/r.md"])
        #expect(run.code == 0, "\(run.err)")
        let report = try String(contentsOfFile: folder.path + "/r.md", encoding: .utf8)
        let lines = report.split(separator: "\n")
        // The report counts what precision@1 counted: "held-out precision@1 0.xxxx (C of 93 examples)".
        let correct = run.out.split(separator: "(").dropFirst().first?.split(separator: " ").first.map(String.init) ?? "?"
        #expect(report.contains("** (\(correct) of 93 held-out examples: 10% of the input, drawn with seed 0)"), "\(run.out)\n\(report)")
        #expect(report.contains("`--dim 100 --epoch 10 --lr 0.5 --word-ngrams 1 --min-count 1 --minn 1 --maxn 2 --bucket 100000 --loss softmax --threads 1 --seed 0`"))
        let matrixRows = lines.filter { $0.range(of: #"^\| \d+ news_[a-z]+ \|"#, options: .regularExpression) != nil }
        #expect(matrixRows.count == 13, "\(report)")
        // The cells of the matrix add up to the held-out examples.
        let cells = matrixRows.flatMap { $0.split(separator: "|").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "*", with: "") } }
        #expect(cells.compactMap { Int($0) }.reduce(0, +) == 93, "\(matrixRows)")
    }
}
