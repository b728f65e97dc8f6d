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
        // `preset: datatrove` turns datatrove's behaviour on in one go: its hash family, word shingles for
        // every script, no verification, and the document its union-find keeps. Options still override.
        let datatrove = try options.choice("preset", as: Preset.self) == .datatrove
        let mode = try options.choice("shingles", as: MinHashShingler.Mode.self) ?? (datatrove ? .words : .auto)
        let step = MinHashDedupStep(
            ngram: try options.int("ngram", range: 1...64) ?? 5,
            characterNgram: try options.int("char_ngram", range: 1...64) ?? 5,
            mode: mode,
            simplify: try options.bool("simplify") ?? true,
            numbers: try options.bool("normalize_numbers") ?? true,
            words: try options.choice("words", as: WordSplit.self) ?? .spacy,
            bands: try options.int("bands", range: 1...256) ?? 14,
            rows: try options.int("rows", range: 1...64) ?? 8,
            seed: UInt32(try options.int("seed", range: 0...Int(UInt32.max)) ?? 1),
            family: try options.choice("hash", as: MinHashSigner.Family.self) ?? (datatrove ? .datatrove : .fast),
            verifyThreshold: try verifyThreshold(options, default: !datatrove),
            keep: try KeepPolicy.read(options, default: datatrove ? "datatrove" : "first"),
            clusterField: try options.string("cluster_field", default: "dup_cluster"))
        return step
    }

    /// `verify: true|false` and `threshold` (Jaccard, 0.8 by default).
    static func verifyThreshold(_ options: ConfigReader, default fallback: Bool) throws(ConfigError) -> Double? {
        let verify = try options.bool("verify") ?? fallback
        let threshold = try options.double("threshold", range: 0...1)
        if !verify, threshold != nil { throw options.error("threshold", "applies only with `verify: true`") }
        return verify ? threshold ?? 0.8 : nil
    }

    let ngram: Int
    let characterNgram: Int
    let mode: MinHashShingler.Mode
    /// datatrove's text simplification before shingling.
    let simplify: Bool
    /// Numbers become `0` when simplifying (datatrove's default).
    let numbers: Bool
    let words: WordSplit
    let bands: Int
    let rows: Int
    let seed: UInt32
    let family: MinHashSigner.Family
    /// Candidate pairs join a cluster only if the Jaccard similarity of their shingle sets reaches this;
    /// nil: every LSH candidate pair joins (datatrove's behaviour).
    let verifyThreshold: Double?
    let keep: KeepPolicy
    let clusterField: String

    public var versionedName: String { "minhash_dedup-v1" }

    enum Preset: String, Sendable, CaseIterable {
        case datatrove
    }

    /// How words are found: spaCy's English rules (datatrove's) or whitespace alone.
    enum WordSplit: String, Sendable, CaseIterable {
        case spacy, whitespace
    }

    /// One document's band, as phase 1 writes it: the band's first value and a hash of all its values.
    /// Files are sorted by (first, hash, ordinal), which puts equal bands next to each other in nearly the
    /// order datatrove sorts its signatures (by all the values), so `keep: datatrove` finds its roots.
    struct BandKey: BitwiseCopyable {
        var first: UInt64
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
        /// With verification: every document's shingles (32-bit, in text order), and where each document's start.
        var shingleSets: [UInt32] = []
        var setOffsets: [UInt64] = [0]
        var keys: [[BandKey]]
        var ordinal: UInt32 = 0
        var withoutShingles: UInt64 = 0

        init(step: MinHashDedupStep, task: Int, folder: DedupFolder) {
            self.step = step
            self.task = task
            self.folder = folder
            shingler = MinHashShingler(wordCount: step.ngram, characterCount: step.characterNgram, mode: step.mode,
                                       simplifies: step.simplify, splitsOnWhitespaceOnly: step.words == .whitespace,
                                       normalizesNumbers: step.numbers)
            signer = MinHashSigner(permutations: step.bands * step.rows, seed: step.seed, family: step.family)
            keys = Array(repeating: [], count: step.bands)
        }

        func collect(_ document: Document) throws {
            defer {
                ordinal += 1
                if step.verifyThreshold != nil { setOffsets.append(UInt64(shingleSets.count)) }
            }
            guard signature(of: document) else {
                withoutShingles += 1  // too short to shingle: never a duplicate, as in datatrove
                return
            }
            let score = step.keep.score(document)
            let bandBytes = step.rows * signer.valueSize
            let rows = step.rows
            signature.withUnsafeBytes { raw in
                for band in 0..<step.bands {
                    let start = raw.baseAddress! + band * bandBytes
                    let hash = XXH3_64bits_withSeed(start, bandBytes, UInt64(band))
                    let first = bandBytes == rows * 8 ? start.loadUnaligned(as: UInt64.self) : UInt64(start.loadUnaligned(as: UInt32.self))
                    keys[band].append(BandKey(first: first, hash: hash, ordinal: ordinal, score: score))
                }
            }
        }

        /// Computes the document's signature into `signature`; false when it has no shingles.
        func signature(of document: Document) -> Bool {
            shingler.shingles(of: document, into: &hashes)
            guard !hashes.isEmpty else { return false }
            hashes.withUnsafeBufferPointer { signer.sign($0, into: &signature) }
            if step.verifyThreshold != nil {
                // Saved as they come; the merge sorts the few it compares.
                for h in hashes { shingleSets.append(MinHashSigner.fold(h)) }
            }
            return true
        }

        func finish() throws {
            for band in 0..<step.bands {
                keys[band].sort { ($0.first, $0.hash, $0.ordinal) < ($1.first, $1.hash, $1.ordinal) }
                try folder.createFolders("bands/\(band)")
                try RecordFile.write(keys[band], kind: DedupFolder.Kind.bandKeys.rawValue, to: step.bandPath(folder, band: band, task: task))
            }
            if step.verifyThreshold != nil {
                try folder.createFolders("shingles", "shingle-offsets")
                try RecordFile.write(shingleSets, kind: DedupFolder.Kind.shingles.rawValue, to: folder.taskFile("shingles", task))
                try RecordFile.write(setOffsets, kind: DedupFolder.Kind.shingleOffsets.rawValue, to: folder.taskFile("shingle-offsets", task))
            }
            try folder.writeCounts(documents: Int(ordinal), extra: Int(withoutShingles), task: task)
        }
    }

    public func resolve(taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        let counts = try folder.readCounts(taskCount: taskCount)
        let offsets = counts.offsets, taskCounts = counts.documents, documents = counts.total, withoutShingles = counts.extra
        guard documents < Int(UInt32.max) else {
            throw CorpusError(.noInputs, path: root, message: "more than 4 billion documents reach minhash_dedup",
                              hint: "split the corpus and deduplicate the parts separately")
        }

        var clusters = UnionFind(count: documents)
        var scores = [Float32](repeating: 0, count: keep == .first ? 0 : documents)
        var candidatePairs = 0
        var rejectedPairs = 0
        var rejected = Set<UInt64>()
        let verifier = try verifyThreshold.map { _ in try ShingleSets(folder: folder, taskCount: taskCount, offsets: offsets, counts: taskCounts) }
        struct Head {
            var key: BandKey
            var task: Int
        }
        for band in 0..<bands {
            var readers: [RecordFileReader<BandKey>] = []
            var heap = MergeHeap<Head> { ($0.key.first, $0.key.hash, $0.task, $0.key.ordinal) < ($1.key.first, $1.key.hash, $1.task, $1.key.ordinal) }
            for task in 0..<taskCount {
                let reader = try RecordFileReader<BandKey>(path: bandPath(folder, band: band, task: task),
                                                           kind: DedupFolder.Kind.bandKeys.rawValue, rerun: folder.rerunCollect)
                readers.append(reader)
                if let key = try reader.next() { heap.push(Head(key: key, task: task)) }
            }
            // Each document is paired with the one before it in the same band (datatrove's pairs).
            var previous: (first: UInt64, hash: UInt64, document: Int)?
            while let head = heap.pop() {
                let global = offsets[head.task] + Int(head.key.ordinal)
                if band == 0, !scores.isEmpty { scores[global] = head.key.score }
                if let previous, previous.first == head.key.first, previous.hash == head.key.hash {
                    candidatePairs += 1
                    if let verifier, let threshold = verifyThreshold, clusters.find(previous.document) != clusters.find(global) {
                        // A pair found dissimilar is not measured again when another band finds it.
                        let pair = UInt64(previous.document) << 32 | UInt64(global)
                        if rejected.contains(pair) || verifier.jaccard(previous.document, global) < threshold {
                            rejected.insert(pair)
                            rejectedPairs += 1
                        } else {
                            clusters.union(previous.document, global)
                        }
                    } else {
                        clusters.union(previous.document, global)
                    }
                }
                previous = (head.key.first, head.key.hash, global)
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
            let kept = keep == .datatrove ? members[start].root : members[best].document
            tally.add(cluster: UInt64(kept), members: members[start..<end].map { member in
                let task = Self.task(of: Int(member.document), offsets: offsets)
                let similarity = member.document == kept ? -1 : verifier.map { Float32($0.jaccard(Int(kept), Int(member.document))) } ?? -1
                return ClusterTally.Member(task: task, ordinal: UInt32(Int(member.document) - offsets[task]),
                                           kept: member.document == kept, similarity: similarity)
            })
            start = end
        }
        return try tally.write(to: folder, step: versionedName, documents: documents,
                               counters: ["documents_without_shingles": withoutShingles, "candidate_pairs": candidatePairs]
                                   .merging(verifier == nil ? [:] : ["pairs_below_threshold": rejectedPairs]) { a, _ in a })
    }

    /// Every document's distinct shingles, mapped from the tasks' files, for verifying candidate pairs.
    final class ShingleSets {
        let files: [MappedRecordFile<UInt32>]
        let starts: [MappedRecordFile<UInt64>]
        let offsets: [Int]

        init(folder: DedupFolder, taskCount: Int, offsets: [Int], counts: [Int]) throws {
            self.offsets = offsets
            var files: [MappedRecordFile<UInt32>] = []
            var starts: [MappedRecordFile<UInt64>] = []
            for task in 0..<taskCount {
                let file = try MappedRecordFile<UInt32>(path: folder.taskFile("shingles", task), kind: DedupFolder.Kind.shingles.rawValue,
                                                        rerun: folder.rerunCollect)
                let start = try MappedRecordFile<UInt64>(path: folder.taskFile("shingle-offsets", task), kind: DedupFolder.Kind.shingleOffsets.rawValue,
                                                         rerun: folder.rerunCollect)
                guard start.records.count == counts[task] + 1, start.records.last.map({ Int($0) }) == file.records.count,
                      zip(start.records, start.records.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                    throw CorpusError(.damagedPhaseFile, path: start.path, message: "offsets do not fit the shingle file", hint: folder.rerunCollect)
                }
                files.append(file)
                starts.append(start)
            }
            self.files = files
            self.starts = starts
        }

        func set(_ document: Int) -> UnsafeBufferPointer<UInt32> {
            let task = MinHashDedupStep.task(of: document, offsets: offsets)
            let ordinal = document - offsets[task]
            let range = Int(starts[task].records[ordinal])..<Int(starts[task].records[ordinal + 1])
            return UnsafeBufferPointer(rebasing: files[task].records[range])
        }

        private var left: [UInt32] = []
        private var right: [UInt32] = []

        /// The distinct shingles of `document`, sorted, into `buffer`.
        private func distinct(_ document: Int, into buffer: inout [UInt32]) {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: set(document))
            buffer.sort()
            var write = 0
            for read in buffer.indices where read == 0 || buffer[read] != buffer[write - 1] {
                buffer[write] = buffer[read]
                write += 1
            }
            buffer.removeSubrange(write...)
        }

        /// |A ∩ B| / |A ∪ B| of two documents' shingle sets.
        func jaccard(_ a: Int, _ b: Int) -> Double {
            distinct(a, into: &left)
            distinct(b, into: &right)
            let x = left, y = right
            guard !x.isEmpty || !y.isEmpty else { return 1 }
            var i = 0, j = 0, common = 0
            while i < x.count && j < y.count {
                if x[i] == y[j] {
                    common += 1
                    i += 1
                    j += 1
                } else if x[i] < y[j] {
                    i += 1
                } else {
                    j += 1
                }
            }
            return Double(common) / Double(x.count + y.count - common)
        }
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
