import CXXHash
import Corpus

/// Near-duplicate removal with MinHash and locality-sensitive hashing, datatrove's method and defaults:
/// word 5-gram shingles (character 5-grams for CJK text), 14 bands × 8 rows of 64-bit minimums, and two
/// documents are candidates when all rows of any band agree. Candidates are joined into clusters
/// (union-find) and one document per cluster stays.
///
/// Phase 1 writes, per task and band, the band hashes sorted (16 bytes per document and band); phase 2
/// merges each band's files as sorted streams, so its memory is a few arrays with one entry per document,
/// whatever the number of pairs.
public struct MinHashDedupStep: CorpusWideStepFactory {
    public static let definition = StepDefinition(
        name: "minhash_dedup", summary: "remove near-duplicates (MinHash LSH over word or character n-grams)"
    ) { (options) throws(ConfigError) in
        let mode = try options.choice("shingles", as: MinHashShingler.Mode.self) ?? .auto
        let step = MinHashDedupStep(
            ngram: try options.int("ngram", range: 1...64) ?? 5,
            characterNgram: try options.int("char_ngram", range: 1...64) ?? 5,
            mode: mode,
            simplify: try options.bool("simplify") ?? true,
            words: try options.choice("words", as: WordSplit.self) ?? .spacy,
            bands: try options.int("bands", range: 1...256) ?? 14,
            rows: try options.int("rows", range: 1...64) ?? 8,
            seed: UInt32(try options.int("seed", range: 0...Int(UInt32.max)) ?? 1),
            family: try options.choice("hash", as: MinHashSigner.Family.self) ?? .fast,
            keep: try KeepPolicy.read(options),
            clusterField: try options.string("cluster_field", default: "dup_cluster"))
        return step
    }

    let ngram: Int
    let characterNgram: Int
    let mode: MinHashShingler.Mode
    /// datatrove's text simplification before shingling.
    let simplify: Bool
    let words: WordSplit
    let bands: Int
    let rows: Int
    let seed: UInt32
    let family: MinHashSigner.Family
    let keep: KeepPolicy
    let clusterField: String

    public var versionedName: String { "minhash_dedup-v1" }

    /// How words are found: spaCy's English rules (datatrove's) or whitespace alone.
    enum WordSplit: String, Sendable, CaseIterable {
        case spacy, whitespace
    }

    /// One document's hash of one band, as phase 1 writes it; files are sorted by (hash, ordinal).
    struct BandKey: BitwiseCopyable {
        var hash: UInt64
        var ordinal: UInt32
        var score: Float32
    }

    func folder(_ root: String) -> DedupFolder { DedupFolder(root: root, stepName: "minhash_dedup") }

    func bandPath(_ folder: DedupFolder, band: Int, task: Int) -> String {
        folder.taskFile("bands/\(band)", task)
    }

    public func makeCollector(task: Int, folder root: String) throws -> any DocumentCollector {
        Collector(step: self, task: task, folder: folder(root))
    }

    final class Collector: DocumentCollector {
        let step: MinHashDedupStep
        let task: Int
        let folder: DedupFolder
        let shingler: MinHashShingler
        let signer: MinHashSigner
        var signature: [UInt8] = []
        var hashes: [UInt64] = []
        var keys: [[BandKey]]
        var ordinal: UInt32 = 0
        var withoutShingles: UInt64 = 0

        init(step: MinHashDedupStep, task: Int, folder: DedupFolder) {
            self.step = step
            self.task = task
            self.folder = folder
            shingler = MinHashShingler(wordCount: step.ngram, characterCount: step.characterNgram, mode: step.mode,
                                       simplifies: step.simplify, splitsOnWhitespaceOnly: step.words == .whitespace)
            signer = MinHashSigner(permutations: step.bands * step.rows, seed: step.seed, family: step.family)
            keys = Array(repeating: [], count: step.bands)
        }

        func collect(_ document: Document) throws {
            defer { ordinal += 1 }
            guard signature(of: document) else {
                withoutShingles += 1  // too short to shingle: never a duplicate, as in datatrove
                return
            }
            let score = step.keep.score(document)
            let bandBytes = step.rows * signer.valueSize
            signature.withUnsafeBytes { raw in
                for band in 0..<step.bands {
                    let hash = XXH3_64bits_withSeed(raw.baseAddress! + band * bandBytes, bandBytes, UInt64(band))
                    keys[band].append(BandKey(hash: hash, ordinal: ordinal, score: score))
                }
            }
        }

        /// Computes the document's signature into `signature`; false when it has no shingles.
        func signature(of document: Document) -> Bool {
            shingler.shingles(of: document, into: &hashes)
            guard !hashes.isEmpty else { return false }
            hashes.withUnsafeBufferPointer { signer.sign($0, into: &signature) }
            return true
        }

        func finish() throws {
            for band in 0..<step.bands {
                keys[band].sort { ($0.hash, $0.ordinal) < ($1.hash, $1.ordinal) }
                try folder.createFolders("bands/\(band)")
                try RecordFile.write(keys[band], kind: DedupFolder.Kind.bandKeys.rawValue, to: step.bandPath(folder, band: band, task: task))
            }
            try folder.createFolders("counts")
            try RecordFile.write([UInt64(ordinal), withoutShingles], kind: DedupFolder.Kind.documentCount.rawValue,
                                 to: folder.documentCountPath(task))
        }
    }

    public func resolve(taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        var offsets: [Int] = []
        var documents = 0
        var withoutShingles = 0
        for task in 0..<taskCount {
            let counts = try RecordFile.read(UInt64.self, kind: DedupFolder.Kind.documentCount.rawValue,
                                             from: folder.documentCountPath(task), rerun: folder.rerunCollect)
            guard counts.count == 2 else {
                throw CorpusError(.damagedPhaseFile, path: folder.documentCountPath(task), message: "expected two counts", hint: folder.rerunCollect)
            }
            offsets.append(documents)
            documents += Int(counts[0])
            withoutShingles += Int(counts[1])
        }
        guard documents < Int(UInt32.max) else {
            throw CorpusError(.noInputs, path: root, message: "more than 4 billion documents reach minhash_dedup",
                              hint: "split the corpus and deduplicate the parts separately")
        }

        var clusters = UnionFind(count: documents)
        var scores = [Float32](repeating: 0, count: keep == .first ? 0 : documents)
        var candidatePairs = 0
        struct Head {
            var key: BandKey
            var task: Int
        }
        for band in 0..<bands {
            var readers: [RecordFileReader<BandKey>] = []
            var heap = MergeHeap<Head> { ($0.key.hash, $0.task, $0.key.ordinal) < ($1.key.hash, $1.task, $1.key.ordinal) }
            for task in 0..<taskCount {
                let reader = try RecordFileReader<BandKey>(path: bandPath(folder, band: band, task: task),
                                                           kind: DedupFolder.Kind.bandKeys.rawValue, rerun: folder.rerunCollect)
                readers.append(reader)
                if let key = try reader.next() { heap.push(Head(key: key, task: task)) }
            }
            var runHash: UInt64 = 0
            var runFirst = -1
            while let head = heap.pop() {
                let global = offsets[head.task] + Int(head.key.ordinal)
                if band == 0, !scores.isEmpty { scores[global] = head.key.score }
                if runFirst >= 0, head.key.hash == runHash {
                    candidatePairs += 1
                    clusters.union(runFirst, global)
                } else {
                    runHash = head.key.hash
                    runFirst = global
                }
                if let key = try readers[head.task].next() { heap.push(Head(key: key, task: head.task)) }
            }
        }

        // Members grouped by cluster, in global order; the best-scoring member (first on ties) stays.
        var members: [(root: UInt32, document: UInt32)] = []
        for document in 0..<documents where clusters.size(of: document) > 1 {
            members.append((UInt32(clusters.find(document)), UInt32(document)))
        }
        members.sort { ($0.root, $0.document) < ($1.root, $1.document) }
        var tally = ClusterTally(taskCount: taskCount)
        var start = 0
        while start < members.count {
            var end = start + 1
            while end < members.count && members[end].root == members[start].root { end += 1 }
            var best = start
            if !scores.isEmpty {
                for index in start..<end where scores[Int(members[index].document)] > scores[Int(members[best].document)] { best = index }
            }
            let kept = members[best].document
            tally.add(cluster: UInt64(kept), members: members[start..<end].map { member in
                let task = Self.task(of: Int(member.document), offsets: offsets)
                return ClusterTally.Member(task: task, ordinal: UInt32(Int(member.document) - offsets[task]), kept: member.document == kept)
            })
            start = end
        }
        return try tally.write(to: folder, step: versionedName, documents: documents,
                               counters: ["documents_without_shingles": withoutShingles, "candidate_pairs": candidatePairs])
    }

    /// The task holding global document `document` (offsets ascending).
    static func task(of document: Int, offsets: [Int]) -> Int {
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= document { low = middle } else { high = middle - 1 }
        }
        // Empty tasks share an offset with the next; the last task with that offset holds the document.
        return low
    }

    public func makeDecider(task: Int, folder root: String) throws -> any Step {
        let folder = folder(root)
        let decisions = try RecordFile.read(DuplicateDecision.self, kind: DedupFolder.Kind.decisions.rawValue,
                                            from: folder.decisionsPath(task), rerun: folder.rerunResolve)
        return DuplicateDecider(decisions: decisions, reason: .nearDuplicate, clusterField: clusterField, folder: folder)
    }

    public func finishReport(_ report: CorpusWideReport, taskCount: Int, folder root: String) throws -> CorpusWideReport {
        ClusterExamples.gather(into: report, from: folder(root))
    }
}

extension DropReason {
    public static let nearDuplicate = DropReason("near_duplicate")
}
