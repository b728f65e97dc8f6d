import Corpus
import Foundation
import Testing
import Tokenization
@testable import Curriculum

@Suite struct StagePackTests {
    /// Real text (the bundled example's Chinese and web records) with token counts from the real tokenizer.
    static func curatedSources(in scratch: Scratch, tokenizer: BPETokenizer) throws {
        let encoder = tokenizer.makeEncoder()
        for (name, file) in [("web", "web/dolma_cc_en_head.jsonl"), ("zh", "zh/cmrc2018_zhwiki_paragraphs.jsonl.gz")] {
            let reader = try JSONLReader(path: Fixtures.repository + "/examples/data/" + file)
            var text = ""
            var count = 0
            while count < 120, case let .document(document)? = try reader.next() {
                let ids = try encoder.encode(document.text)
                var record: [UInt8] = []
                JSONEscaping.appendQuoted(document.text, to: &record)
                let ppl = count % 7 == 0 ? "" : ",\"ppl\":\(Double((count * 37) % 101) + 0.5)"
                text += "{\"id\":\"\(name)-\(count)\",\"text\":\(String(decoding: record, as: UTF8.self)),\"metadata\":{\"tokens\":\(ids.count)\(ppl)}}\n"
                if count % 40 == 0 { text += "\n" }   // blank lines are not records
                count += 1
            }
            scratch.write("\(name)/shard.jsonl", text)
        }
    }

    @Test func packsAStageInManifestOrderWithEachDocumentsExactIds() throws {
        let scratch = Scratch()
        let tokenizer = try BPETokenizer.load(path: Fixtures.qwen)
        try Self.curatedSources(in: scratch, tokenizer: tokenizer)
        let (plan, outcome) = try runPlan("""
            sources:
              web: {paths: ["web/*.jsonl"], labels: {language: en}, max_epochs: 2}
              zh: {paths: ["zh/*.jsonl"], labels: {language: zh}}
            stages:
              - {name: one, tokens: 20K, order: {by: ppl_ascending, missing_ppl: last}, mixture: {by: language, ratios: {zh: 1, en: 3}}}
              - {name: two, tokens: 60K, mixture: {by: language, ratios: {zh: 1, en: 3}}}
            """, in: scratch)
        try PlanJob(plan: plan, workers: 1).write(outcome, to: scratch.path + "/plan")
        let encoder = tokenizer.makeEncoder()
        let eos = try #require(tokenizer.specialTokenID("<|endoftext|>"))
        for stage in 1...2 {
            let manifest = scratch.path + "/plan/" + StageManifest.fileName(stage: stage - 1)
            var job = StagePackJob(tokenizer: tokenizer, manifest: manifest, outputPrefix: scratch.path + "/stage\(stage)", workers: 2)
            job.batchSize = 7
            let summary = try job.run()
            #expect(summary.tokenCountMismatches == 0)
            let lines = try StageManifest.read(manifest)
            let dataset = try MegatronDataset(prefix: scratch.path + "/stage\(stage)")
            #expect(dataset.documentCount == lines.count)
            // Document k is the manifest's k-th record, re-read here by position.
            var texts: [String: [String]] = [:]
            for (index, line) in lines.enumerated() {
                if texts[line.file] == nil {
                    let reader = try JSONLReader(path: line.file)
                    var all: [String] = []
                    while case let .document(document)? = try reader.next() { all.append(document.text) }
                    texts[line.file] = all
                }
                let ids = try encoder.encode(texts[line.file]![line.position]).map(Int64.init)
                #expect(try dataset.document(index) == ids + [Int64(eos)], "stage \(stage) document \(index)")
            }
            if stage == 2 { #expect(summary.distinctDocuments < summary.documents) }   // web is upsampled
        }
    }

    @Test func aShardThatChangedSincePlanningIsCaught() throws {
        let scratch = Scratch()
        let tokenizer = try BPETokenizer.load(path: Fixtures.qwen)
        try Self.curatedSources(in: scratch, tokenizer: tokenizer)
        let (plan, outcome) = try runPlan("""
            sources:
              web: {paths: ["web/*.jsonl"]}
            stages:
              - {name: one, tokens: 5K, mixture: {web: 1}}
            """, in: scratch)
        try PlanJob(plan: plan, workers: 1).write(outcome, to: scratch.path + "/plan")
        let shard = scratch.read("web/shard.jsonl")
        scratch.write("web/shard.jsonl", shard.replacingOccurrences(of: "\"id\":\"web-", with: "\"id\":\"moved-"))
        let job = StagePackJob(tokenizer: tokenizer, manifest: scratch.path + "/plan/" + StageManifest.fileName(stage: 0),
                               outputPrefix: scratch.path + "/stage", workers: 1)
        #expect { try job.run() } throws: { error in
            "\(error)".contains("the manifest says 'web-") && "\(error)".contains("run `syllabus plan` again")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/stage.idx"))
    }
}
