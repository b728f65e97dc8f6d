import CXXHash
import Corpus

/// Exact deduplication across all inputs: documents whose text (after optional normalization) or whose
/// field (e.g. `url`) is identical form a cluster, and one of them stays (the first in input order by
/// default). Keys are 128-bit XXH3 hashes; phase 1 writes 24 bytes per document, phase 2 merges the
/// tasks' sorted files without loading them.
public struct ExactDedupStep: CorpusWideStepFactory {
    public static let definition = StepDefinition(
        name: "exact_dedup", summary: "remove documents whose (normalized) text or field repeats an earlier one"
    ) { (options) throws(ConfigError) in
        return ExactDedupStep(normalizer: try DedupKeyNormalizer.read(options, default: [.whitespace]), field: try options.string("field"),
                              keep: try KeepPolicy.read(options),
                              clusterField: try options.string("cluster_field", default: "dup_cluster"))
    }

    let normalizer: DedupKeyNormalizer
    /// Deduplicate on this field's value instead of the text.
    let field: String?
    let keep: KeepPolicy
    let clusterField: String

    public var versionedName: String { "exact_dedup-v1" }

    /// One document's key, as phase 1 writes it; files are sorted by (hash, ordinal).
    struct Key: BitwiseCopyable {
        var high: UInt64
        var low: UInt64
        var ordinal: UInt32
        var score: Float32
    }

    func folder(_ root: String) -> DedupFolder { DedupFolder(root: root, stepName: "exact_dedup") }

    public func makeCollector(task: Int, folder root: String) throws -> any DocumentCollector {
        Collector(step: self, task: task, folder: folder(root))
    }

    final class Collector: DocumentCollector {
        let step: ExactDedupStep
        let task: Int
        let folder: DedupFolder
        var keys: [Key] = []
        var ordinal: UInt32 = 0
        var withoutKey: UInt64 = 0

        init(step: ExactDedupStep, task: Int, folder: DedupFolder) {
            self.step = step
            self.task = task
            self.folder = folder
        }

        func collect(_ document: Document) throws {
            defer { ordinal += 1 }
            guard let hash = key(of: document) else {
                withoutKey += 1  // no value to compare: the document stays
                return
            }
            keys.append(Key(high: hash.high64, low: hash.low64, ordinal: ordinal, score: step.keep.score(document)))
        }

        /// The 128-bit hash of the (normalized) text or field; nil when the field is missing.
        private func key(of document: Document) -> XXH128_hash_t? {
            let bytes: [UInt8]
            if let field = step.field {
                switch document.value(at: field) {
                case let .string(text)?: bytes = step.normalizer.normalize(text)
                case let .number(text)?: bytes = Array(text.utf8)
                default: return nil
                }
            } else if step.normalizer.operations.isEmpty {
                // The text's own bytes, without building a string.
                return document.withTextUTF8 { XXH3_128bits($0.baseAddress, $0.count) }
            } else {
                bytes = step.normalizer.normalize(document.text)
            }
            return bytes.withUnsafeBytes { XXH3_128bits($0.baseAddress, $0.count) }
        }

        func finish() throws {
            keys.sort { ($0.high, $0.low, $0.ordinal) < ($1.high, $1.low, $1.ordinal) }
            try folder.createFolders("keys")
            try RecordFile.write(keys, kind: DedupFolder.Kind.exactKeys.rawValue, to: folder.taskFile("keys", task))
            try folder.writeCounts(documents: Int(ordinal), extra: Int(withoutKey), task: task)
        }
    }

    public func resolve(taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        let counts = try folder.readCounts(taskCount: taskCount)
        let offsets = counts.offsets.map(UInt64.init)

        struct Head {
            var key: Key
            var task: Int
        }
        var readers: [RecordFileReader<Key>] = []
        var heap = MergeHeap<Head> { ($0.key.high, $0.key.low, $0.task, $0.key.ordinal) < ($1.key.high, $1.key.low, $1.task, $1.key.ordinal) }
        for task in 0..<taskCount {
            let reader = try RecordFileReader<Key>(path: folder.taskFile("keys", task), kind: DedupFolder.Kind.exactKeys.rawValue,
                                                   rerun: folder.rerunCollect)
            readers.append(reader)
            if let key = try reader.next() { heap.push(Head(key: key, task: task)) }
        }

        var tally = ClusterTally(taskCount: taskCount)
        var run: [Head] = []
        func closeRun() {
            defer { run.removeAll(keepingCapacity: true) }
            guard run.count > 1 else { return }
            // The highest score stays; the run is in input order, so ties go to the first.
            var best = 0
            for index in run.indices.dropFirst() where run[index].key.score > run[best].key.score { best = index }
            let cluster = offsets[run[best].task] + UInt64(run[best].key.ordinal)
            tally.add(cluster: cluster, members: run.indices.map {
                ClusterTally.Member(task: run[$0].task, ordinal: run[$0].key.ordinal, kept: $0 == best)
            })
        }
        while let head = heap.pop() {
            if let first = run.first, (first.key.high, first.key.low) != (head.key.high, head.key.low) { closeRun() }
            run.append(head)
            if let key = try readers[head.task].next() { heap.push(Head(key: key, task: head.task)) }
        }
        closeRun()
        return try tally.write(to: folder, step: versionedName, documents: counts.total, counters: ["documents_without_key": counts.extra])
    }

    public func makeDecider(task: Int, folder root: String) throws -> any Step {
        let folder = folder(root)
        let decisions = try RecordFile.read(DuplicateDecision.self, kind: DedupFolder.Kind.decisions.rawValue,
                                            from: folder.decisionsPath(task), rerun: folder.rerunResolve)
        return DuplicateDecider(decisions: decisions, reason: .exactDuplicate, clusterField: clusterField, folder: folder)
    }

    public func finishReport(_ report: CorpusWideReport, taskCount: Int, folder root: String) throws -> CorpusWideReport {
        ClusterExamples.gather(into: report, from: folder(root))
    }
}

extension DropReason {
    public static let exactDuplicate = DropReason("exact_duplicate")
}
