import Corpus
import Foundation
import Testing
@testable import Execution

/// Deduplication steps run through the pipeline: their phases, determinism, resumption and bad files.
@Suite struct DedupPipelineTests {
    /// Unique synthetic documents plus copies of some of them: exact (maybe re-spaced and re-cased)
    /// and near (a few words changed). Returns the JSONL lines and, per copy, the id of its original.
    static func corpus(documents: Int, seed: UInt64, prefix: String, exactVariants: Bool = true) -> (lines: [String], copyOf: [String: String], exact: Set<String>) {
        var generator = SeededGenerator(seed: seed)
        // Letters only: digits would all become 0 in MinHash's text simplification.
        let letters: [Character] = Array("abcdefghijklmnopqrstuvwxyz")
        var vocabulary: [String] = []
        for index in 0..<3000 {
            var word = ""
            for position in 0..<(3 + index % 6) { word.append(letters[(index * 7 + position * 13 + position * index) % 26]) }
            vocabulary.append(word)
        }
        func paragraph(_ words: Int) -> [String] {
            (0..<words).map { _ in vocabulary[Int(generator.next() % UInt64(vocabulary.count))] }
        }
        var lines: [String] = []
        var copyOf: [String: String] = [:]
        var exact = Set<String>()
        var texts: [(String, [String])] = []
        func line(_ id: String, _ text: String) -> String {
            let data = try! JSONSerialization.data(withJSONObject: ["id": id, "text": text], options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        for index in 0..<documents {
            let id = "\(prefix)-\(index)"
            let roll = generator.next() % 10
            if roll < 2, let (originalID, words) = texts.randomElement(using: &generator) {
                var copy = words
                if roll == 0 {
                    // Near copy: change about 3% of the words.
                    for _ in 0..<max(1, copy.count / 33) { copy[Int(generator.next() % UInt64(copy.count))] = "changed\(String(repeating: "x", count: Int(generator.next() % 9)))" }
                    copyOf[id] = originalID
                    lines.append(line(id, copy.joined(separator: " ")))
                } else {
                    // Exact copy, perhaps with other spacing and case.
                    let text = exactVariants && generator.next() % 2 == 0
                        ? "  " + copy.joined(separator: "   ").uppercased() + "\n" : copy.joined(separator: " ")
                    copyOf[id] = originalID
                    exact.insert(id)
                    lines.append(line(id, text))
                }
                continue
            }
            let words = paragraph(60 + Int(generator.next() % 200))
            texts.append((id, words))
            lines.append(line(id, words.joined(separator: " ")))
        }
        return (lines, copyOf, exact)
    }

    /// The kept documents' ids with their `dup_*` fields, and the dropped ones' (id → reason), from a run folder.
    static func outcome(_ run: String) throws -> Outcome {
        func objects(_ folder: String) throws -> [[String: Any]] {
            try records(under: folder).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        }
        func field(_ object: [String: Any], _ key: String) -> Any? {
            object[key] ?? (object["metadata"] as? [String: Any])?[key]
        }
        var outcome = Outcome()
        for object in try objects(run + "/output") {
            var fields: [String: Int] = [:]
            for key in ["dup_cluster", "dup_cluster_size"] { if let value = field(object, key) as? Int { fields[key] = value } }
            outcome.kept[object["id"] as! String] = fields
        }
        for object in try objects(run + "/dropped") {
            outcome.dropped[object["id"] as! String] = field(object, "drop_reason") as? String ?? "?"
        }
        return outcome
    }

    struct Outcome: Equatable {
        var kept: [String: [String: Int]] = [:]
        var dropped: [String: String] = [:]
    }

    func pipeline(_ output: String, step: String, split: String = "64MiB") -> String {
        """
        inputs:
          a: {paths: ["in/a-*.jsonl"]}
          b: {paths: ["in/b.jsonl"]}
        steps:
          - length: {min_words: 3}
          - \(step)
        output: {path: \(output), keep_dropped: true, max_documents_per_shard: 150}
        split_bytes: \(split)
        """
    }

    /// Copies (id → original) and which of them are exact (in any spacing or case).
    var exactCopies: Set<String> {
        Self.corpus(documents: 700, seed: 1, prefix: "a0").exact.union(Self.corpus(documents: 500, seed: 2, prefix: "a1").exact)
            .union(Self.corpus(documents: 400, seed: 3, prefix: "b").exact).union((0..<30).map { "again-\($0)" })
    }

    @discardableResult
    func writeInputs(_ scratch: Scratch) -> [String: String] {
        var copyOf: [String: String] = [:]
        let first = Self.corpus(documents: 700, seed: 1, prefix: "a0")
        let second = Self.corpus(documents: 500, seed: 2, prefix: "a1")
        let third = Self.corpus(documents: 400, seed: 3, prefix: "b")
        scratch.write("in/a-0.jsonl", first.lines.joined(separator: "\n") + "\n")
        scratch.write("in/a-1.jsonl", second.lines.joined(separator: "\n") + "\n")
        // Cross-file copies: the last file repeats 30 documents of the first, to be removed from the last.
        var tail: [String] = []
        for (index, line) in first.lines.prefix(30).enumerated() {
            let id = "a0-\(index)"
            tail.append(line.replacingOccurrences(of: "\"id\":\"\(id)\"", with: "\"id\":\"again-\(index)\""))
            copyOf["again-\(index)"] = id
        }
        scratch.write("in/b.jsonl", (third.lines + tail).joined(separator: "\n") + "\n")
        copyOf.merge(first.copyOf) { a, _ in a }
        copyOf.merge(second.copyOf) { a, _ in a }
        copyOf.merge(third.copyOf) { a, _ in a }
        return copyOf
    }

    @Test func exactDedupKeepsTheFirstOfEachNormalizedText() throws {
        let scratch = Scratch()
        let copyOf = writeInputs(scratch)
        let summary = try runPipeline(pipeline("run", step: "exact_dedup: {normalize: [whitespace, lowercase]}"), folder: scratch.path)
        let outcome = try Self.outcome(scratch.path + "/run")
        let (kept, dropped) = (outcome.kept, outcome.dropped)

        // Exact copies (in any spacing or case) are gone; near copies are not exact duplicates.
        let exactCopies = Set(copyOf.keys.filter { id in !id.isEmpty && dropped[id] != nil })
        #expect(dropped.values.allSatisfy { $0 == "exact_duplicate" })
        #expect(Set(dropped.keys) == exactCopies)
        #expect(exactCopies.count > 50)
        // Every original of a removed copy is kept and carries the cluster id and size.
        for id in exactCopies {
            var original = copyOf[id]!
            while let earlier = copyOf[original], dropped[original] != nil { original = earlier }
            #expect(kept[original]?["dup_cluster_size"] != nil, "original \(original) of \(id)")
        }
        // The copies of the first file's documents at the end of b.jsonl are removed (30 of them).
        #expect(dropped.keys.filter { $0.hasPrefix("again-") }.count == 30)
        #expect(summary.total.conservationViolation() == nil)
        let report = try #require(summary.corpusWide.first)
        #expect(report.removed == dropped.count)
        #expect(report.documents == summary.total.steps[1].input.documents)
        #expect(!report.examples.isEmpty && report.examples.allSatisfy { $0.kept != nil && $0.removed != nil })
    }

    @Test func exactDedupOnAFieldAndWithoutNormalization() throws {
        let scratch = Scratch()
        scratch.write("in/a-0.jsonl", """
            {"id":"1","text":"Same text","url":"https://x.org/a"}
            {"id":"2","text":"same  text","url":"https://x.org/b"}
            {"id":"3","text":"Other","url":"https://x.org/a"}
            {"id":"4","text":"no url here"}
            {"id":"5","text":"Same text","url":"https://x.org/c"}

            """)
        scratch.write("in/b.jsonl", "{\"id\":\"6\",\"text\":\"Same text\"}\n")
        let byURL = try runPipeline(pipeline("url", step: "exact_dedup: {field: url}").replacingOccurrences(of: "min_words: 3", with: "min_words: 1"), folder: scratch.path)
        #expect(try Set(Self.outcome(scratch.path + "/url").dropped.keys) == ["3"])
        #expect(byURL.corpusWide.first?.counters["documents_without_key"] == 2)

        try runPipeline(pipeline("exact", step: "exact_dedup: {normalize: [none]}").replacingOccurrences(of: "min_words: 3", with: "min_words: 1"), folder: scratch.path)
        #expect(try Set(Self.outcome(scratch.path + "/exact").dropped.keys) == ["5", "6"])

        try runPipeline(pipeline("longest", step: "exact_dedup: {normalize: [whitespace, lowercase], keep: longest}").replacingOccurrences(of: "min_words: 3", with: "min_words: 1"), folder: scratch.path)
        // "same  text" is the longest of the four; the others go.
        #expect(try Set(Self.outcome(scratch.path + "/longest").dropped.keys) == ["1", "5", "6"])
    }

    @Test func paragraphDedupRemovesRepeatedParagraphs() throws {
        let scratch = Scratch()
        let menu = "Home | About | Contact"
        var lines: [String] = []
        func line(_ id: String, _ paragraphs: [String]) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: ["id": id, "text": paragraphs.joined(separator: "\n\n")]), as: UTF8.self)
        }
        for index in 0..<6 {
            lines.append(line("d\(index)", [menu, "Story number \(index) is told here.", "Shared quote repeated twice."].prefix(index < 2 ? 3 : 2).map { $0 }))
        }
        lines.append(line("only-menu", [menu, "  HOME   |  about | contact "]))
        scratch.write("in/a-0.jsonl", lines.joined(separator: "\n") + "\n")
        scratch.write("in/b.jsonl", line("b0", ["Unique text.", menu]) + "\n")

        // Defaults: keep the first occurrence, remove the rest (normalized: case and spacing do not matter).
        let summary = try runPipeline(pipeline("first", step: "paragraph_dedup").replacingOccurrences(of: "min_words: 3", with: "min_words: 1"), folder: scratch.path)
        let first = try records(under: scratch.path + "/first/output").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let texts = Dictionary(uniqueKeysWithValues: first.map { ($0["id"] as! String, $0["text"] as! String) })
        #expect(texts["d0"] == "\(menu)\n\nStory number 0 is told here.\n\nShared quote repeated twice.")
        #expect(texts["d1"] == "Story number 1 is told here.")
        #expect(texts["d5"] == "Story number 5 is told here.")
        #expect(texts["b0"] == "Unique text.")
        #expect(texts["only-menu"] == nil)
        #expect(try Self.outcome(scratch.path + "/first").dropped == ["only-menu": "all_paragraphs_repeated"])
        let report = try #require(summary.corpusWide.first)
        #expect(report.clusters == 2)  // the menu (9 times) and the quote (twice)
        #expect(report.removed == 8 + 1)
        #expect(report.examples.first?.size == 9)
        #expect(summary.total.conservationViolation() == nil)

        // Boilerplate mode: whatever occurs more than twice goes everywhere; the quote (twice) stays.
        try runPipeline(pipeline("boiler", step: "paragraph_dedup: {keep_first: false, max_occurrences: 2}").replacingOccurrences(of: "min_words: 3", with: "min_words: 1"), folder: scratch.path)
        let boiler = try records(under: scratch.path + "/boiler/output").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let boilerTexts = Dictionary(uniqueKeysWithValues: boiler.map { ($0["id"] as! String, $0["text"] as! String) })
        #expect(boilerTexts["d0"] == "Story number 0 is told here.\n\nShared quote repeated twice.")
        #expect(boilerTexts["d1"] == "Story number 1 is told here.\n\nShared quote repeated twice.")
        #expect(boilerTexts.values.allSatisfy { !$0.contains("Home") })
    }

    @Test func minhashFindsNearCopiesAndOnlyThem() throws {
        let scratch = Scratch()
        let copyOf = writeInputs(scratch)
        let summary = try runPipeline(pipeline("run", step: "minhash_dedup: {verify: false}"), folder: scratch.path)
        let outcome = try Self.outcome(scratch.path + "/run")
        let (kept, dropped) = (outcome.kept, outcome.dropped)
        #expect(dropped.values.allSatisfy { $0 == "near_duplicate" })
        // Nothing unique is removed. Exact copies always collide; a near copy of a 60-word document with two
        // words changed has Jaccard ≈ 0.7, which 14 × 8 bands catch with probability ≈ 0.56, so some are missed.
        let wrongly = dropped.keys.filter { copyOf[$0] == nil }
        #expect(wrongly.isEmpty, "removed documents that are no copies: \(wrongly.sorted().prefix(5))")
        let found = dropped.count
        #expect(Double(found) >= 0.9 * Double(copyOf.count), "\(found) of \(copyOf.count) copies removed")
        for (id, fields) in kept where fields["dup_cluster"] != nil {
            #expect(fields["dup_cluster_size"] != nil, "\(id)")
        }
        #expect(summary.corpusWide.first?.removed == found)
        #expect(summary.total.conservationViolation() == nil)

        // With verification (the default) a candidate joins only at Jaccard ≥ 0.8: every exact copy still goes,
        // near copies of short documents (Jaccard ≈ 0.7) stay, and nothing else changes.
        let verified = try runPipeline(pipeline("verified", step: "minhash_dedup"), folder: scratch.path)
        let checked = try Self.outcome(scratch.path + "/verified").dropped
        #expect(exactCopies.isSubset(of: Set(checked.keys)))
        #expect(Set(checked.keys).isSubset(of: Set(dropped.keys)))
        #expect(checked.count < found)
        #expect(verified.corpusWide.first?.counters["pairs_below_threshold"] ?? 0 > 0)
    }

    @Test func resultsDoNotDependOnWorkersOrTaskSplits() throws {
        let scratch = Scratch()
        _ = writeInputs(scratch)
        for step in ["minhash_dedup", "exact_dedup"] {
            try runPipeline(pipeline("one", step: step), folder: scratch.path, workers: 1)
            try runPipeline(pipeline("two", step: step, split: "64KiB"), folder: scratch.path, workers: 2)
            let one = try Self.outcome(scratch.path + "/one")
            let two = try Self.outcome(scratch.path + "/two")
            #expect(one.dropped == two.dropped, "\(step)")
            #expect(one.kept == two.kept, "\(step)")
            let tasks = try TaskPlanner.plan(try PipelineLoader.parse(pipeline("two", step: step, split: "64KiB"), baseFolder: scratch.path))
            #expect(tasks.count > 3)
            try FileManager.default.removeItem(atPath: scratch.path + "/one")
            try FileManager.default.removeItem(atPath: scratch.path + "/two")
        }
    }

    /// With no step before it, the dedup step saves no copy of the documents: its last pass reads the
    /// input again. The outcome is the same as with a (do-nothing) step before it, which makes a copy.
    @Test func aLeadingDedupStepRereadsTheInputInsteadOfSavingACopy() throws {
        let scratch = Scratch()
        _ = writeInputs(scratch)
        scratch.write("in/a-1.jsonl", (try String(contentsOfFile: scratch.path + "/in/a-1.jsonl", encoding: .utf8)) + "not json\n\n")
        let leading = pipeline("leading", step: "minhash_dedup").replacingOccurrences(of: "  - length: {min_words: 3}\n", with: "")
            + "\non_error: skip\n"
        let copying = pipeline("copying", step: "minhash_dedup").replacingOccurrences(of: "min_words: 3", with: "min_words: 0")
            + "\non_error: skip\n"
        let first = try runPipeline(leading, folder: scratch.path)
        let second = try runPipeline(copying, folder: scratch.path)
        // The first pass of each task records the files it saved: none here, some with the step before.
        let saved = { (run: String, phase: String) -> [String] in
            Glob.expand(scratch.path + "/\(run)/phases/\(phase)/completions/**/*.json").flatMap { path in
                (try? JSONDecoder().decode(TaskResult.self, from: Data(contentsOf: URL(fileURLWithPath: path))))?.outputs ?? ["unreadable"]
            }
        }
        #expect(saved("leading", "00-minhash_dedup").isEmpty)
        #expect(!saved("copying", "01-minhash_dedup").isEmpty)
        #expect(try Self.outcome(scratch.path + "/leading") == Self.outcome(scratch.path + "/copying"))
        #expect(first.total.read == second.total.read)
        #expect(first.total.read.problems["invalid_json"]?.documents == 1)
        #expect(first.total.conservationViolation() == nil)
    }

    @Test func anInterruptedMergeOrDecidePassResumesToTheSameOutput() throws {
        let scratch = Scratch()
        _ = writeInputs(scratch)
        let yaml = pipeline("run", step: "minhash_dedup")
        try runPipeline(yaml, folder: scratch.path)
        let reference = try Self.outcome(scratch.path + "/run")
        let phase = scratch.path + "/run/phases/01-minhash_dedup"

        // Killed after the merge, before the last pass finished: markers of two final tasks gone.
        let tasks = try TaskPlanner.plan(try PipelineLoader.parse(yaml, baseFolder: scratch.path))
        let folder = RunFolder(root: scratch.path + "/run")
        FileSystem.remove(folder.statsPath)
        for task in tasks.prefix(2) { FileSystem.remove(folder.completionPath(task)) }
        // The saved documents are deleted at the end of a run; the last pass needs them again.
        #expect(throws: (any Error).self) { try runPipeline(yaml, folder: scratch.path) }

        // Killed during the merge: no report yet, so the merge runs again from the first pass's files.
        try runPipeline(yaml, folder: scratch.path, restart: true)
        FileSystem.remove(folder.statsPath)
        FileSystem.remove(phase + "/report.json")
        for task in tasks { FileSystem.remove(folder.completionPath(task)) }
        // (documents/ is gone after a finished run; recreate it by re-running the first pass of every task)
        for task in tasks { FileSystem.remove(folder.phaseCompletionPath(task, phaseFolder: phase)) }
        let resumed = try runPipeline(yaml, folder: scratch.path)
        #expect(resumed.tasksRun == tasks.count)
        #expect(try Self.outcome(scratch.path + "/run") == reference)
    }

    /// `when:` limits a dedup step to part of the corpus: copies in the other part stay.
    @Test func whenLimitsDedupToMatchingDocuments() throws {
        let scratch = Scratch()
        let copyOf = writeInputs(scratch)
        let yaml = pipeline("run", step: "exact_dedup: {when: {input: a}}")
        let summary = try runPipeline(yaml, folder: scratch.path)
        let dropped = try Self.outcome(scratch.path + "/run").dropped
        #expect(!dropped.isEmpty)
        #expect(dropped.keys.allSatisfy { $0.hasPrefix("a0-") || $0.hasPrefix("a1-") })
        // The 30 copies in b.jsonl of a-0's documents, and b's own copies, stay.
        #expect(copyOf.keys.filter { $0.hasPrefix("again-") }.allSatisfy { dropped[$0] == nil })
        #expect(summary.corpusWide.first?.step.contains("when input=a") == true)
        #expect(summary.corpusWide.first?.documents ?? 0 < summary.total.steps[1].input.documents)
        #expect(summary.total.conservationViolation() == nil)
    }

    /// Empty, whitespace-only, very short and very long documents go through every dedup step: defined
    /// outcomes, counted, no crash.
    @Test func emptyShortAndHugeDocuments() throws {
        let scratch = Scratch()
        var generator = SeededGenerator(seed: 9)
        let words = (0..<400_000).map { _ in ["alpha", "beta", "gamma", "delta", "épée", "数据", "42"][Int(generator.next() % 7)] }
        let huge = words.joined(separator: " ")  // about 2.3 MB, one line
        func line(_ id: String, _ text: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: ["id": id, "text": text]), as: UTF8.self)
        }
        scratch.write("in/a-0.jsonl", [line("empty", ""), line("blank", "   \n\n  "), line("short", "two words"),
                                       line("huge", huge), line("empty-again", ""), line("huge-again", huge)].joined(separator: "\n") + "\n")
        scratch.write("in/b.jsonl", line("short-again", "two  words") + "\n")
        for step in ["exact_dedup", "minhash_dedup", "paragraph_dedup"] {
            let summary = try runPipeline(pipeline("run-\(step)", step: step).replacingOccurrences(of: "  - length: {min_words: 3}\n", with: ""),
                                          folder: scratch.path)
            let outcome = try Self.outcome(scratch.path + "/run-\(step)")
            #expect(summary.total.conservationViolation() == nil, "\(step)")
            #expect(outcome.kept.count + outcome.dropped.count == 7, "\(step)")
            // The second copy of the huge document is a duplicate for all three (for paragraph_dedup: its one
            // paragraph repeats, so nothing is left of it).
            #expect(outcome.dropped["huge-again"] != nil, "\(step)")
            #expect(outcome.kept["huge"] != nil, "\(step)")
            switch step {
            case "exact_dedup":
                // Whitespace collapsed: the blank document is empty too.
                #expect(Set(outcome.dropped.keys) == ["blank", "empty-again", "huge-again", "short-again"])
            case "minhash_dedup":
                // Fewer than five words: no shingles, never a duplicate.
                #expect(Set(outcome.dropped.keys) == ["huge-again"])
                #expect(summary.corpusWide.first?.counters["documents_without_shingles"] == 5)
            default:
                // Blank documents have no paragraph to remove; "two words" repeats (case and spaces aside).
                #expect(Set(outcome.dropped.keys) == ["huge-again", "short-again"])
            }
        }
    }

    @Test func badOptionsAreRefusedWithTheirKeyPath() {
        func error(_ step: String) -> String {
            do {
                _ = try PipelineLoader.parse("inputs: {a: {paths: [x]}}\nsteps:\n  - \(step)\noutput: o\n", baseFolder: "/")
                return "accepted"
            } catch { return "\(error)" }
        }
        #expect(error("exact_dedup: {normalize: [casefold]}").contains("steps[0].exact_dedup.normalize"))
        #expect(error("exact_dedup: {keep: highest}").contains("keep_by"))
        #expect(error("minhash_dedup: {verify: false, threshold: 0.5}").contains("threshold"))
        #expect(error("minhash_dedup: {hash: sha1}").contains("steps[0].minhash_dedup.hash"))
        #expect(error("minhash_dedup: {bands: 0}").contains("bands"))
        #expect(error("paragraph_dedup: {unit: sentence}").contains("unit"))
        #expect(error("minhash_dedup: {band: 14}").contains("did you mean 'bands'"))
        #expect(error("minhash_dedup: {keep: datatrove, hash: datatrove, verify: false}") == "accepted")
        #expect(error("minhash_dedup: {preset: datatrove, verify: true}") == "accepted")
        #expect(error("minhash_dedup: {preset: dolma}").contains("preset"))
    }

    @Test func aDamagedPhaseFileNamesItAndThePhaseToRedo() throws {
        let scratch = Scratch()
        _ = writeInputs(scratch)
        let yaml = pipeline("run", step: "minhash_dedup")
        try runPipeline(yaml, folder: scratch.path)
        let phase = scratch.path + "/run/phases/01-minhash_dedup"
        let band = phase + "/bands/3/00001.rec"
        var bytes = try FileSystem.readFile(band)
        bytes[40] ^= 0xFF
        try FileSystem.writeAtomically(bytes, to: band)
        let decider = MinHashFactory.make()
        #expect {
            _ = try decider.resolve(taskCount: 3, folder: phase)
        } throws: { error in
            let text = "\(error)"
            return text.contains("00001.rec") && text.contains("checksum") && text.contains("--restart")
        }
        // Truncated: the size no longer fits the count.
        try FileSystem.writeAtomically(Array(bytes.dropLast(20)), to: band)
        #expect { _ = try decider.resolve(taskCount: 3, folder: phase) } throws: { "\($0)".contains("truncated") }
        FileSystem.remove(band)
        #expect { _ = try decider.resolve(taskCount: 3, folder: phase) } throws: { "\($0)".contains("missing") }
    }
}

/// The minhash step with default options, built the way a pipeline builds it.
enum MinHashFactory {
    static func make() -> any CorpusWideStepFactory {
        let config = try! PipelineLoader.parse("inputs: {a: {paths: [x]}}\nsteps: [minhash_dedup]\noutput: o\n", baseFolder: "/")
        return config.steps[0].factory as! any CorpusWideStepFactory
    }
}
