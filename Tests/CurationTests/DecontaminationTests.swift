import Corpus
import Foundation
import Testing
@testable import Curation

/// The pieces of decontamination on small inputs: tokens, the index (n-grams, whole short items,
/// template n-grams, coverage), the matcher, cutting, and benchmark files with problems.
/// Where the shared test data is (`../shared/data` next to the repository).
enum SharedData {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/shared/data"
}

@Suite struct DecontaminationTests {
    static func tokens(_ text: String) -> [UInt64] {
        var text = text
        var out: [UInt64] = []
        text.withUTF8 { ContaminationTokens.scan($0) { hash, _, _ in out.append(hash) } }
        return out
    }

    static func spans(_ text: String) -> [String] {
        var text = text
        var out: [String] = []
        text.withUTF8 { bytes in
            ContaminationTokens.scan(bytes) { _, start, end in
                out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            }
        }
        return out
    }

    /// A benchmark file in a fresh folder.
    static func benchmarkFile(_ lines: [String], name: String = "bench") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("\(name).jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The first `items` lines of a real benchmark file, indexed with every n-gram and with one in 4.
    static func exhaustiveAndSampled(_ file: String, items: Int, name: String) throws
        -> (lines: [String], full: BenchmarkIndex, sampled: BenchmarkIndex) {
        let lines = try String(contentsOfFile: SharedData.shared + "/benchmarks/" + file, encoding: .utf8)
            .split(separator: "\n").prefix(items).map(String.init)
        let path = try benchmarkFile(lines)
        return (lines, try BenchmarkIndex(sources: [.init(name: name, path: path)], sampling: 1),
                try BenchmarkIndex(sources: [.init(name: name, path: path)], sampling: 4))
    }

    static func item(_ id: String, _ text: String) -> String {
        String(data: try! JSONSerialization.data(withJSONObject: ["id": id, "text": text]), encoding: .utf8)!
    }

    /// Item ids each entry found in `text` names, with the matched text.
    static func matches(_ index: BenchmarkIndex, _ text: String) -> [(items: [String], text: String)] {
        let matcher = ContaminationMatcher(index: index)
        var text = text
        var out: [(items: [String], text: String)] = []
        text.withUTF8 { bytes in
            matcher.scan(bytes) { entry, start, end in
                out.append((index.items(ofEntry: entry).map { index.itemIDs[Int($0)] },
                            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)))
            }
        }
        return out
    }

    @Test func tokensIgnoreCasePunctuationAndLayout() {
        #expect(Self.spans("Janet’s ducks (A) lay 16-eggs!") == ["Janet", "s", "ducks", "A", "lay", "16", "eggs"])
        #expect(Self.tokens("JANET’S Ducks\n(A) lay 16 eggs") == Self.tokens("janet's ducks A. lay 16 eggs"))
        #expect(Self.tokens("Élan ÜBER") == Self.tokens("élan über"))
        #expect(Self.tokens("ＡＢＣ１２") == Self.tokens("abc12"))
        #expect(Self.tokens("ducks") != Self.tokens("duck"))
    }

    @Test func chineseAndJapaneseAreComparedByCharacter() {
        #expect(Self.spans("下列说法，正确的是GPT-4？") == ["下", "列", "说", "法", "正", "确", "的", "是", "GPT", "4"])
        #expect(Self.spans("ひらがなカタカナ") .count == 8)
        #expect(Self.tokens("中文 文本") == Self.tokens("中文文本"))
    }

    @Test func itemsAreFoundByTheirNgramsDespiteReformatting() throws {
        let gsm = "Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four."
        let path = try Self.benchmarkFile([Self.item("gsm-0", gsm), Self.item("gsm-1", "A robe takes 2 bolts of blue fiber and half that much white fiber. How many bolts in total does it take?")])
        let index = try BenchmarkIndex(sources: [.init(name: "gsm", path: path)], n: 13, minN: 8)
        #expect(index.benchmarks[0].indexed == 2)
        let copy = "Question: JANET'S DUCKS lay 16 eggs per day;\nshe eats three for breakfast every morning and bakes muffins for her friends."
        let found = Self.matches(index, copy)
        #expect(!found.isEmpty && found.allSatisfy { $0.items == ["gsm-0"] })
        #expect(found.first?.text.hasPrefix("JANET'S DUCKS") == true)
        // Twelve tokens in a row are not enough; a changed number breaks every n-gram it is in.
        #expect(Self.matches(index, "ducks lay 16 eggs per day. She eats three for breakfast every").isEmpty)
        #expect(Self.matches(index, "Janet’s ducks lay 17 eggs per day. She eats three for breakfast every morning and").count == 0)
    }

    @Test func samplingFindsWhatTheFullIndexFinds() throws {
        // Real GSM8K items, found from their question alone (a partial copy). With one n-gram in 4 indexed,
        // and n-grams added where the sampled ones leave gaps, a copied run of n + maxGap
        // tokens is always found; shorter partial copies may be missed (measured: 1 question of 300).
        let (lines, full, sampled) = try Self.exhaustiveAndSampled("gsm8k_test.jsonl", items: 300, name: "g")
        #expect(sampled.ngramCount < full.ngramCount / 2)
        #expect(sampled.gapTable.count > 0 && sampled.ngramTable.count > 0)
        var missed = 0
        for line in lines {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let id = record["id"] as! String, text = record["question"] as! String
            let inFull = Set(Self.matches(full, text).flatMap(\.items)), inSampled = Set(Self.matches(sampled, text).flatMap(\.items))
            #expect(inFull.contains(id), "\(id)")
            #expect(inSampled.isSubset(of: inFull))
            if !inSampled.contains(id) {
                missed += 1
                #expect(Self.tokens(text).count < sampled.n + BenchmarkIndex.maxGap, "\(id): a long copied run was missed")
            }
        }
        #expect(missed <= 3, "\(missed) of 300 questions missed")
    }

    @Test func shortItemsAreIndexedWholeAndTinyOnesCounted() throws {
        let path = try Self.benchmarkFile([Self.item("short", "A wave transfers amplitude wavelength frequency or energy"),  // 9 tokens
                                           Self.item("tiny", "Compute 2 + 2."),  // 3 tokens
                                           Self.item("empty", "?!")])
        let index = try BenchmarkIndex(sources: [.init(name: "b", path: path)], n: 13, minN: 8)
        #expect(index.benchmarks[0].indexedWhole == 1)
        #expect(index.benchmarks[0].tooShort == 1)
        #expect(index.benchmarks[0].empty == 1)
        let found = Self.matches(index, "Quiz. a WAVE transfers: amplitude, wavelength, frequency, or energy? Think.")
        #expect(found.map(\.items) == [["short"]])
        #expect(found.first?.text == "WAVE transfers: amplitude, wavelength, frequency, or energy" || found.first?.text == "a WAVE transfers: amplitude, wavelength, frequency, or energy")
        #expect(Self.matches(index, "A wave transfers amplitude wavelength frequency energy").isEmpty)
    }

    @Test func templateNgramsSharedByManyItemsAreLeftOut() throws {
        let template = "Does the main character who uses I me my do something clearly morally wrong according to ordinary moral standards"
        let lines = (0..<4).map { Self.item("moral-\($0)", template + " scenario number \($0) happened today at the office near the river") }
        let path = try Self.benchmarkFile(lines)
        let strict = try BenchmarkIndex(sources: [.init(name: "m", path: path)], n: 13, minN: 8, maxItemsPerNgram: 3)
        #expect(strict.templateNgrams > 0)
        #expect(Self.matches(strict, template).isEmpty)
        let loose = try BenchmarkIndex(sources: [.init(name: "m", path: path)], n: 13, minN: 8, maxItemsPerNgram: 10)
        #expect(loose.templateNgrams == 0)
        #expect(Self.matches(loose, template).first?.items.count == 4)
        // Each item still has n-grams of its own.
        #expect(Self.matches(strict, lines[2]).contains { $0.items == ["moral-2"] })
    }

    /// The items `index` finds held in `text` (the rule of the merge and of phase 3).
    static func held(_ index: BenchmarkIndex, _ matcher: ContaminationMatcher, _ text: String, minCoverage: Double = 0.1) -> [UInt32] {
        var text = text
        var entries: [UInt32] = []
        text.withUTF8 { matcher.scan($0) { entry, _, _ in entries.append(entry) } }
        return matcher.heldItems(sortedEntries: entries.sorted(), minNgrams: 1, minCoverage: minCoverage)
    }

    @Test func coverageSeparatesAQuotationFromACopy() throws {
        let poem = "床前明月光疑是地上霜举头望明月低头思故乡"
        let question = "阅读下面这首诗，回答问题。" + poem + "这首诗表达了诗人怎样的思想感情？请结合诗句具体分析诗人的写作手法和情感变化。"
        let path = try Self.benchmarkFile([Self.item("q", question)])
        for sampling in [1, 4] {
            let index = try BenchmarkIndex(sources: [.init(name: "c", path: path)], n: 13, minN: 8, sampling: sampling)
            let matcher = ContaminationMatcher(index: index)
            #expect(Self.held(index, matcher, poem, minCoverage: 0.5).isEmpty, "sampling \(sampling)")
            #expect(Self.held(index, matcher, question, minCoverage: 0.5).count == 1, "sampling \(sampling)")
        }
    }

    @Test func sampledVerdictsAreTheExhaustiveOnes() throws {
        // Real CMMLU items; documents quote a short run of an item (a famous line: found, but too little of
        // the item), copy a third of it, or copy it whole. With sampling, an item found by one of its
        // indexed n-grams is judged on all its n-grams, so the verdict is the exhaustive index's whenever the
        // sampled one finds the item at all, and never holds more.
        let (lines, full, sampled) = try Self.exhaustiveAndSampled("cmmlu_test.jsonl", items: 1500, name: "cmmlu")
        let fullMatcher = ContaminationMatcher(index: full), sampledMatcher = ContaminationMatcher(index: sampled)
        var documents: [(text: String, item: String, copied: Int)] = []
        for line in lines.prefix(400) {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let text = Array(record["text"] as! String)
            guard text.count > 60 else { continue }
            let filler = "今天天气很好，我们一起去公园散步，看到了很多花。"
            for copy in [String(text[10..<30]), String(text[0..<(text.count / 3)]), String(text)] {
                documents.append((filler + copy + filler, record["id"] as! String, Self.tokens(copy).count))
            }
        }
        var missed = 0, heldFull = 0
        for (document, item, copied) in documents {
            let expected = Self.held(full, fullMatcher, document), got = Self.held(sampled, sampledMatcher, document)
            heldFull += expected.count
            #expect(Set(got).isSubset(of: Set(expected)), "\(document)")
            guard got != expected else { continue }
            missed += 1
            // Only a copied run too short to be sure to hold an indexed n-gram may be missed (here or in
            // another item sharing part of it).
            let ids = Set(got.map { sampled.itemIDs[Int($0)] })
            #expect(copied < sampled.n + BenchmarkIndex.maxGap || ids.contains(item), "\(item): \(copied) tokens copied")
        }
        #expect(heldFull > documents.count / 2)
        #expect(missed < documents.count / 10, "\(missed) of \(documents.count) documents missed")
    }

    @Test func cutWidensMergesAndDropsShortPieces() {
        var text = String(repeating: "a", count: 50) + "BENCH" + String(repeating: "b", count: 10) + "MARK" + String(repeating: "c", count: 60)
        text.withUTF8 { bytes in
            let first = 50..<55, second = 65..<69
            let cut = ContaminationCut(text: bytes, spans: [second, first], margin: 5, minPiece: 20)
            #expect(cut.cuts == 1)  // the widened spans touch: one cut
            #expect(cut.pieces == [String(repeating: "a", count: 45), String(repeating: "c", count: 55)])
            let none = ContaminationCut(text: bytes, spans: [first], margin: 0, minPiece: 80)
            #expect(none.cuts == 1 && none.pieces.isEmpty)
            #expect(none.charactersRemoved == bytes.count)
        }
        var chinese = "一二三四五六七八九十"
        chinese.withUTF8 { bytes in
            let cut = ContaminationCut(text: bytes, spans: [12..<15], margin: 1, minPiece: 1)  // 五, widened to 四五六
            #expect(cut.pieces == ["一二三", "七八九十"])
        }
    }

    @Test func benchmarkFilesWithProblemsNameFileLineAndField() throws {
        let good = try Self.benchmarkFile([#"{"id": "1", "question": "q", "choices": ["a", "b"]}"#])
        #expect(throws: BenchmarkIndexError.self) {
            try BenchmarkIndex(sources: [.init(name: "x", path: good, fields: ["questoin"])])
        }
        do {
            _ = try BenchmarkIndex(sources: [.init(name: "x", path: good, fields: ["questoin"])])
        } catch {
            #expect(error.description.contains("questoin") && error.description.contains("did you mean 'question'"))
        }
        let broken = try Self.benchmarkFile([#"{"id": "1", "text": "fine"}"#, #"{"id": "2", "text": "#])
        do {
            _ = try BenchmarkIndex(sources: [.init(name: "x", path: broken)])
            Issue.record("a broken line was accepted")
        } catch {
            #expect(error.line == 2 && error.path == broken)
        }
        do {
            _ = try BenchmarkIndex(sources: [.init(name: "x", path: "/no/such/bench.jsonl")])
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.description.contains("/no/such/bench.jsonl"))
        }
        // Lists are joined: question and choices make one item.
        var joined: [String] = []
        try BenchmarkReader.read(.init(name: "x", path: good, fields: ["question", "choices"])) { _, text in joined.append(text) }
        #expect(joined == ["q\na\nb"])
    }
}
