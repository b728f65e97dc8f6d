import CXXHash
import Corpus
import Foundation

/// Removes paragraphs (or lines) repeated across the corpus, CCNet style: each one is hashed after
/// normalization; a paragraph found more than `max_occurrences` times is removed from every document
/// that has it, except its first occurrence with `keep_first` (the default: plain deduplication). With
/// `keep_first: false` and a higher `max_occurrences` it strips boilerplate (menus, cookie notices)
/// everywhere. A document left with no paragraph is dropped.
public struct ParagraphDedupStep: CorpusWideStepFactory {
    public static let definition = StepDefinition(
        name: "paragraph_dedup", summary: "remove paragraphs (or lines) repeated across the corpus"
    ) { (options) throws(ConfigError) in
        return ParagraphDedupStep(unit: try options.choice("unit", as: ParagraphSplitter.Unit.self) ?? .paragraph,
                                  normalizer: try DedupKeyNormalizer.read(options, default: [.whitespace, .lowercase]),
                                  maxOccurrences: try options.int("max_occurrences", range: 1...Int(UInt32.max)) ?? 1,
                                  keepFirst: try options.bool("keep_first") ?? true,
                                  minCharacters: try options.int("min_characters", range: 0...1_000_000) ?? 0)
    }

    let unit: ParagraphSplitter.Unit
    let normalizer: DedupKeyNormalizer
    let maxOccurrences: Int
    let keepFirst: Bool
    /// Paragraphs shorter than this (in UTF-8 bytes) are never removed.
    let minCharacters: Int

    public var versionedName: String { "paragraph_dedup-v1" }

    /// One paragraph as phase 1 writes it; files are sorted by (hash, ordinal, paragraph).
    struct Key: BitwiseCopyable {
        var hash: UInt64
        var ordinal: UInt32
        var paragraph: UInt32
        var length: UInt32
        var pad: UInt32 = 0
    }

    /// A paragraph phase 3 removes; files are sorted by (ordinal, paragraph).
    struct Removal: BitwiseCopyable {
        var ordinal: UInt32
        var paragraph: UInt32
        /// Set for the few paragraphs shown as examples: how often the paragraph occurs.
        var exampleOccurrences: UInt32
        var pad: UInt32 = 0
    }

    func folder(_ root: String) -> DedupFolder { DedupFolder(root: root, stepName: "paragraph_dedup") }

    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if normalizer.operations.isEmpty { return XXH3_64bits(bytes.baseAddress, bytes.count) }
        let normalized = normalizer.normalize(String(decoding: bytes, as: UTF8.self))
        return normalized.withUnsafeBytes { XXH3_64bits($0.baseAddress, $0.count) }
    }

    public func makeCollector(task: Int, folder root: String) throws -> any DocumentCollector {
        Collector(step: self, task: task, folder: folder(root))
    }

    final class Collector: DocumentCollector {
        let step: ParagraphDedupStep
        let task: Int
        let folder: DedupFolder
        var keys: [Key] = []
        var ordinal: UInt32 = 0

        init(step: ParagraphDedupStep, task: Int, folder: DedupFolder) {
            self.step = step
            self.task = task
            self.folder = folder
        }

        func collect(_ document: Document) throws {
            defer { ordinal += 1 }
            document.withTextUTF8 { text in
                for (index, range) in ParagraphSplitter.split(text, unit: step.unit).enumerated() where range.count >= step.minCharacters {
                    let piece = UnsafeBufferPointer(rebasing: text[range])
                    keys.append(Key(hash: step.hash(piece), ordinal: ordinal, paragraph: UInt32(index), length: UInt32(range.count)))
                }
            }
        }

        func finish() throws {
            keys.sort { ($0.hash, $0.ordinal, $0.paragraph) < ($1.hash, $1.ordinal, $1.paragraph) }
            try folder.createFolders("keys")
            try RecordFile.write(keys, kind: DedupFolder.Kind.paragraphKeys.rawValue, to: folder.taskFile("keys", task))
            try folder.writeCounts(documents: Int(ordinal), extra: keys.count, task: task)
        }
    }

    public func resolve(taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        let counts = try folder.readCounts(taskCount: taskCount)
        let documents = counts.total, paragraphs = counts.extra
        struct Head {
            var key: Key
            var task: Int
        }
        var readers: [RecordFileReader<Key>] = []
        var heap = MergeHeap<Head> { ($0.key.hash, $0.task, $0.key.ordinal, $0.key.paragraph) < ($1.key.hash, $1.task, $1.key.ordinal, $1.key.paragraph) }
        for task in 0..<taskCount {
            let reader = try RecordFileReader<Key>(path: folder.taskFile("keys", task), kind: DedupFolder.Kind.paragraphKeys.rawValue,
                                                   rerun: folder.rerunCollect)
            readers.append(reader)
            if let key = try reader.next() { heap.push(Head(key: key, task: task)) }
        }

        var removals = [[Removal]](repeating: [], count: taskCount)
        var repeated = 0
        var removedCount = 0
        var removedBytes = 0
        var sizes: [String: Int] = [:]
        // The most repeated paragraphs, shown as examples: (occurrences, first task, first removal index).
        var examples: [(count: Int, task: Int, index: Int)] = []
        var run: [Head] = []
        func closeRun() {
            defer { run.removeAll(keepingCapacity: true) }
            guard run.count > maxOccurrences, run.count > 1 || !keepFirst else { return }
            repeated += 1
            sizes[CorpusWideReport.sizeBin(run.count), default: 0] += 1
            var exampleSlot: (Int, Int)?
            for (position, head) in run.enumerated() where !(keepFirst && position == 0) {
                removals[head.task].append(Removal(ordinal: head.key.ordinal, paragraph: head.key.paragraph, exampleOccurrences: 0))
                if exampleSlot == nil { exampleSlot = (head.task, removals[head.task].count - 1) }
                removedCount += 1
                removedBytes += Int(head.key.length)
            }
            if let (task, index) = exampleSlot, examples.count < 6 || run.count > examples.last!.count {
                examples.append((run.count, task, index))
                examples.sort { $0.count > $1.count }
                if examples.count > 6 { examples.removeLast() }
            }
        }
        while let head = heap.pop() {
            if let first = run.first, first.key.hash != head.key.hash { closeRun() }
            run.append(head)
            if let key = try readers[head.task].next() { heap.push(Head(key: key, task: head.task)) }
        }
        closeRun()
        for example in examples { removals[example.task][example.index].exampleOccurrences = UInt32(example.count) }

        try folder.createFolders("decisions")
        for task in 0..<taskCount {
            removals[task].sort { ($0.ordinal, $0.paragraph) < ($1.ordinal, $1.paragraph) }
            try RecordFile.write(removals[task], kind: DedupFolder.Kind.decisions.rawValue, to: folder.decisionsPath(task))
        }
        return CorpusWideReport(step: versionedName, documents: documents, clusters: repeated, removed: removedCount, clusterSizes: sizes,
                                counters: ["paragraphs": paragraphs, "paragraphs_removed": removedCount, "bytes_removed": removedBytes])
    }

    public func makeDecider(task: Int, folder root: String) throws -> any Step {
        let folder = folder(root)
        let removals = try RecordFile.read(Removal.self, kind: DedupFolder.Kind.decisions.rawValue,
                                           from: folder.decisionsPath(task), rerun: folder.rerunResolve)
        return Decider(step: self, removals: removals, folder: folder)
    }

    /// Phase 3: takes the removed paragraphs out of each document's text.
    final class Decider: Step {
        let step: ParagraphDedupStep
        let removals: [Removal]
        let folder: DedupFolder
        var next = 0
        var ordinal: UInt32 = 0

        init(step: ParagraphDedupStep, removals: [Removal], folder: DedupFolder) {
            self.step = step
            self.removals = removals
            self.folder = folder
        }

        func process(_ document: inout Document) -> Verdict {
            defer { ordinal += 1 }
            guard next < removals.count, removals[next].ordinal == ordinal else { return .keep }
            var removed: [Int: UInt32] = [:]  // paragraph index → example occurrences (0: not an example)
            while next < removals.count, removals[next].ordinal == ordinal {
                removed[Int(removals[next].paragraph)] = removals[next].exampleOccurrences
                next += 1
            }
            let separator = step.unit == .paragraph ? "\n\n" : "\n"
            var kept: [String] = []
            var count = 0
            let id = document.id, source = document.source
            document.withTextUTF8 { text in
                for (index, range) in ParagraphSplitter.split(text, unit: step.unit).enumerated() {
                    let piece = String(decoding: UnsafeBufferPointer(rebasing: text[range]), as: UTF8.self)
                    guard let occurrences = removed[index] else {
                        kept.append(piece)
                        continue
                    }
                    count += 1
                    if occurrences > 0 { saveExample(piece, occurrences: Int(occurrences), id: id, source: source) }
                }
            }
            document.metadata["paragraphs_removed"] = .int(count)
            if kept.isEmpty { return .drop(.allParagraphsRepeated) }
            document.text = kept.joined(separator: separator)
            return .keep
        }

        func saveExample(_ text: String, occurrences: Int, id: String, source: String) {
            let example = CorpusWideReport.Example(
                cluster: occurrences, size: occurrences,
                removed: .init(id: id, source: source, text: String(text.unicodeScalars.prefix(ClusterExamples.textLength).map(Character.init))))
            guard let data = try? JSONEncoder().encode(example) else { return }
            try? FileSystem.createDirectory(folder.examplesFolder)
            try? FileSystem.writeAtomically(Array(data), to: folder.examplesFolder + "/\(Digest.hex64(text)).json")
        }
    }

    public func finishReport(_ report: CorpusWideReport, taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        var report = report
        report.examples = FileSystem.contents(of: folder.examplesFolder).compactMap { name in
            guard name.hasSuffix(".json"), let data = try? FileSystem.readFile(folder.examplesFolder + "/" + name) else { return nil }
            return try? JSONDecoder().decode(CorpusWideReport.Example.self, from: Data(data))
        }.sorted { ($0.size, $0.removed?.text ?? "") > ($1.size, $1.removed?.text ?? "") }
        return report
    }
}

extension DropReason {
    public static let allParagraphsRepeated = DropReason("all_paragraphs_repeated")
}
