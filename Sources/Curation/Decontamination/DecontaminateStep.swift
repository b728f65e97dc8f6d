import Corpus
import Foundation

/// Benchmark decontamination, the GPT-3 / NeMo Curator recipe: benchmark items are indexed as n-grams of
/// `ContaminationTokens` (13 by default; Chinese and Japanese by characters), and each document holding
/// one is flagged, dropped, or has the matched spans cut out.
///
/// By default one n-gram in 4 is indexed and looked up (`sampling: 4`, chosen by hash, the same on both
/// sides), which makes the index a few times smaller and the scan faster; a few more fill the gaps, so any
/// copied run of 13 + 24 tokens is found. An item found that way is judged on all its n-grams (their
/// fingerprints), so the verdict is the exhaustive one. `sampling: 1` indexes every n-gram (GPT-3's rule).
///
/// It runs as a corpus-wide step, because an n-gram found in more than `max_matches` documents of the
/// corpus is common text (a quotation, a licence line), not a leaked item, and is ignored:
/// 1. each task records which index entries its documents hold;
/// 2. the merge counts documents per entry, sets the common ones aside, and writes the report
///    (per benchmark: items found, documents, and every match in `matches.jsonl`);
/// 3. each task flags, drops or cuts its contaminated documents.
public struct DecontaminateStep: CorpusWideStepFactory {
    public enum Mode: String, CaseIterable, Sendable {
        /// Keep the document; write what was found under `field`.
        case flag
        /// Drop it (`benchmark_contamination`).
        case drop
        /// Remove each matched span and `margin` characters around it; drop the document if it is cut more
        /// than `max_cuts` times, or if no piece of at least `min_piece` characters is left.
        case cut
    }

    public static let definition = StepDefinition(
        name: "decontaminate", summary: "find benchmark items (n-grams of words; CJK by characters) in documents: flag, drop or cut them"
    ) { (options) throws(ConfigError) in
        let n = try options.int("ngram", range: 1...64) ?? 13
        let minN = try options.int("min_ngram", range: 1...64) ?? min(8, n)
        guard minN <= n else { throw options.error("min_ngram", "must be at most ngram (\(n))") }
        let maxItems = try options.int("max_items_per_ngram", range: 1...Int(Int32.max)) ?? 10
        let sampling = try options.int("sampling", range: 1...64) ?? 4
        guard sampling & (sampling - 1) == 0 else { throw options.error("sampling", "must be a power of two (1, 2, 4, 8, …)") }
        let sources = try readSources(options)
        let index: BenchmarkIndex
        do throws(BenchmarkIndexError) {
            index = try BenchmarkIndex(sources: sources, n: n, minN: minN, maxItemsPerNgram: maxItems, sampling: sampling)
        } catch {
            throw options.error("benchmarks", error.description)
        }
        return DecontaminateStep(
            index: index,
            mode: try options.choice("mode", as: Mode.self) ?? .drop,
            field: try options.string("field", default: "contamination"),
            maxMatches: try options.int("max_matches", range: 0...Int(Int32.max)) ?? 10,
            minNgrams: try options.int("min_ngrams", range: 1...Int(Int32.max)) ?? 1,
            minCoverage: try options.double("min_coverage", range: 0...1) ?? 0.1,
            margin: try options.int("margin", range: 0...1_000_000) ?? 200,
            maxCuts: try options.int("max_cuts", range: 1...1_000_000) ?? 10,
            minPiece: try options.int("min_piece", range: 0...1_000_000) ?? 200)
    }

    /// `benchmarks:` is a list of paths, globs or folders (their `.jsonl[.gz|.zst]` files; the name is the
    /// file's), or of mappings `{path, name, fields, id_field}`; `fields` and `id_field` at the step's
    /// level are the defaults.
    static func readSources(_ options: ConfigReader) throws(ConfigError) -> [BenchmarkIndex.Source] {
        let fields = try options.strings("fields") ?? ["text"]
        let idField = try options.string("id_field", default: "id")
        guard let list = options.value("benchmarks") else {
            throw options.error("benchmarks", "is required: benchmark JSONL files, e.g. [../shared/data/benchmarks/*.jsonl]")
        }
        let items: [ConfigValue]
        if case let .sequence(values, _) = list { items = values } else { items = [list] }
        var sources: [BenchmarkIndex.Source] = []
        for (position, item) in items.enumerated() {
            let keyPath = options.path("benchmarks") + "[\(position)]"
            switch item {
            case let .scalar(text, location):
                let files: [String]
                do {
                    files = try InputFiles.resolve([ConfigReader.resolvePath(text, from: location)])
                } catch {
                    throw ConfigError(keyPath: keyPath, location: location, message: "\(error)")
                }
                for file in files { sources.append(.init(name: benchmarkName(file), path: file, fields: fields, idField: idField)) }
            case .mapping:
                let entry = try ConfigReader(item, keyPath: keyPath)
                guard let path = try entry.filePath("path") else { throw entry.error("path", "is required: the benchmark's JSONL file") }
                sources.append(.init(name: try entry.string("name") ?? benchmarkName(path), path: path,
                                     fields: try entry.strings("fields") ?? fields, idField: try entry.string("id_field") ?? idField))
                try entry.finish()
            default:
                throw ConfigError(keyPath: keyPath, location: item.location, message: "expected a path or a mapping {path, name, fields, id_field}")
            }
        }
        var names = Set<String>()
        for source in sources where !names.insert(source.name).inserted {
            throw options.error("benchmarks", "two benchmarks are named '\(source.name)'; give one a `name:`")
        }
        return sources
    }

    /// `…/gsm8k_test.jsonl.zst` → `gsm8k_test`.
    static func benchmarkName(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".gz", ".zst", ".jsonl", ".json"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name
    }

    public let index: BenchmarkIndex
    public let mode: Mode
    public let field: String
    /// An entry found in more documents than this is common text and ignored (0: no limit).
    public let maxMatches: Int
    /// A document holds an item when it has at least `minNgrams` of the item's n-grams and at least
    /// `minCoverage` of them all: a Tang poem quoted in one CMMLU question is not that question.
    public let minNgrams: Int
    public let minCoverage: Double
    public let margin: Int
    public let maxCuts: Int
    public let minPiece: Int

    public init(index: BenchmarkIndex, mode: Mode = .drop, field: String = "contamination", maxMatches: Int = 10, minNgrams: Int = 1,
                minCoverage: Double = 0.1, margin: Int = 200, maxCuts: Int = 10, minPiece: Int = 200) {
        self.index = index
        self.mode = mode
        self.field = field
        self.maxMatches = maxMatches
        self.minNgrams = minNgrams
        self.minCoverage = minCoverage
        self.margin = margin
        self.maxCuts = maxCuts
        self.minPiece = minPiece
    }

    public var versionedName: String { "decontaminate-v2" }  // v2: held items judged on all their n-grams; phase 1 writes held/

    /// An index entry found in a document (phase 1); files are sorted by (entry, ordinal).
    struct Match: BitwiseCopyable {
        var entry: UInt32
        var ordinal: UInt32
    }


    func folder(_ root: String) -> DedupFolder { DedupFolder(root: root, stepName: "decontaminate") }

    public func makeCollector(task: Int, folder root: String) throws -> any DocumentCollector {
        Collector(step: self, task: task, folder: folder(root))
    }

    /// Phase 1: which entries each document holds, and the id and source of those that hold any; with
    /// sampling, also which of the items checked on all their n-grams each document holds.
    final class Collector: DocumentCollector {
        let step: DecontaminateStep
        let matcher: ContaminationMatcher
        let task: Int
        let folder: DedupFolder
        var matches: [Match] = []
        /// (item, ordinal) of the items held by exact check (`Match.entry` is the item).
        var heldExactly: [Match] = []
        var documents = DocumentNames()
        var ordinal: UInt32 = 0
        private var found: [UInt32] = []

        init(step: DecontaminateStep, task: Int, folder: DedupFolder) {
            self.step = step
            matcher = ContaminationMatcher(index: step.index)
            self.task = task
            self.folder = folder
        }

        func collect(_ document: Document) throws {
            defer { ordinal += 1 }
            found.removeAll(keepingCapacity: true)
            document.withTextUTF8 { text in matcher.scan(text) { entry, _, _ in found.append(entry) } }
            guard !found.isEmpty else { return }
            found.sort()
            var previous = UInt32.max
            for entry in found where entry != previous {
                matches.append(Match(entry: entry, ordinal: ordinal))
                previous = entry
            }
            for item in matcher.heldItems(sortedEntries: found, minNgrams: step.minNgrams, minCoverage: step.minCoverage)
            where step.index.checksExactly(item: item) {
                heldExactly.append(Match(entry: item, ordinal: ordinal))
            }
            documents.add(ordinal: ordinal, id: document.id, source: document.source)
        }

        func finish() throws {
            // By (entry, ordinal): as one 64-bit number each.
            var packed = matches.map { UInt64($0.entry) << 32 | UInt64($0.ordinal) }
            packed.sort()
            matches = packed.map { Match(entry: UInt32(truncatingIfNeeded: $0 >> 32), ordinal: UInt32(truncatingIfNeeded: $0)) }
            try folder.createFolders("matches", "held", "documents")
            try RecordFile.write(matches, kind: DedupFolder.Kind.contaminationMatches.rawValue, to: folder.taskFile("matches", task))
            try RecordFile.write(heldExactly, kind: DedupFolder.Kind.contaminationHeld.rawValue, to: folder.taskFile("held", task))
            try documents.write(to: DocumentNames.path(folder, task))
            try folder.writeCounts(documents: Int(ordinal), extra: matches.count, task: task)
        }
    }

    public func resolve(taskCount: Int, folder root: String) throws -> CorpusWideReport {
        let folder = folder(root)
        let counts = try folder.readCounts(taskCount: taskCount)
        struct Head {
            var match: Match
            var task: Int
        }
        var readers: [RecordFileReader<Match>] = []
        var heap = MergeHeap<Head> { ($0.match.entry, $0.task, $0.match.ordinal) < ($1.match.entry, $1.task, $1.match.ordinal) }
        for task in 0..<taskCount {
            let reader = try RecordFileReader<Match>(path: folder.taskFile("matches", task), kind: DedupFolder.Kind.contaminationMatches.rawValue,
                                                     rerun: folder.rerunCollect)
            readers.append(reader)
            if let match = try reader.next() { heap.push(Head(match: match, task: task)) }
        }

        // Entries by how many documents hold them; the common ones are set aside. Each remaining entry
        // adds one (item, document) pair per item it names: a pair repeats once per entry.
        var common: [UInt32] = []
        var pairs: [(item: UInt32, task: Int, ordinal: UInt32)] = []
        var run: [Head] = []
        func closeRun() {
            defer { run.removeAll(keepingCapacity: true) }
            guard let entry = run.first?.match.entry else { return }
            if maxMatches > 0, run.count > maxMatches {
                common.append(entry)
                return
            }
            let items = index.items(ofEntry: entry)
            for head in run {
                for item in items { pairs.append((item, head.task, head.match.ordinal)) }
            }
        }
        while let head = heap.pop() {
            if let first = run.first, first.match.entry != head.match.entry { closeRun() }
            run.append(head)
            if let match = try readers[head.task].next() { heap.push(Head(match: match, task: head.task)) }
        }
        closeRun()

        // The pairs where the document holds enough of the item; their documents are contaminated. Items
        // checked exactly (with sampling) were judged in phase 1, on all their n-grams.
        var heldExactly: [Set<UInt64>] = []
        for task in 0..<taskCount {
            let held = try RecordFile.read(Match.self, kind: DedupFolder.Kind.contaminationHeld.rawValue, from: folder.taskFile("held", task),
                                           rerun: folder.rerunCollect)
            heldExactly.append(Set(held.map { UInt64($0.entry) << 32 | UInt64($0.ordinal) }))
        }
        pairs.sort { ($0.item, $0.task, $0.ordinal) < ($1.item, $1.task, $1.ordinal) }
        var held: [(item: UInt32, task: Int, ordinal: UInt32)] = []
        var contaminatedOrdinals = [Set<UInt32>](repeating: [], count: taskCount)
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count, pairs[end] == pairs[start] { end += 1 }
            let pair = pairs[start]
            let holds = index.checksExactly(item: pair.item)
                ? heldExactly[pair.task].contains(UInt64(pair.item) << 32 | UInt64(pair.ordinal))
                : index.holds(item: pair.item, count: end - start, minNgrams: minNgrams, minCoverage: minCoverage)
            if holds {
                held.append(pair)
                contaminatedOrdinals[pair.task].insert(pair.ordinal)
            }
            start = end
        }
        // Each task's contaminated documents (phase 2 → 3), by ordinal.
        let decisions = contaminatedOrdinals.map { $0.sorted() }

        try folder.createFolders("decisions")
        for task in 0..<taskCount {
            try RecordFile.write(decisions[task], kind: DedupFolder.Kind.decisions.rawValue, to: folder.decisionsPath(task))
        }
        common.sort()
        try RecordFile.write(common, kind: DedupFolder.Kind.commonEntries.rawValue, to: folder.root + "/common.rec")

        let benchmarks = try report(pairs: held, taskCount: taskCount, folder: folder)
        let contaminated = decisions.reduce(0) { $0 + $1.count }
        return CorpusWideReport(
            step: versionedName, documents: counts.total, removed: contaminated,
            counters: ["items_indexed": index.itemIDs.count, "ngrams_indexed": index.ngramCount,
                       "template_ngrams_ignored": index.templateNgrams, "common_ngrams_ignored": common.count,
                       "documents_contaminated": contaminated, "matches": held.count],
            benchmarks: benchmarks)
    }

    /// Per benchmark: items found, documents, a few examples; every (item, document) in `matches.jsonl`.
    private func report(pairs: [(item: UInt32, task: Int, ordinal: UInt32)], taskCount: Int, folder: DedupFolder) throws -> [BenchmarkMatches] {
        var names: [Int: [UInt32: (id: String, source: String)]] = [:]
        for task in Set(pairs.map(\.task)) { names[task] = try DocumentNames.read(DocumentNames.path(folder, task), rerun: folder.rerunCollect) }
        var result = index.benchmarks.map {
            BenchmarkMatches(name: $0.name, path: $0.path, items: $0.items, indexed: $0.indexed + $0.indexedWhole)
        }
        var documents = [Set<UInt64>](repeating: [], count: result.count)
        var lines: [UInt8] = []
        var previousItem = UInt32.max
        for pair in pairs {
            let benchmark = index.benchmark(ofItem: pair.item)
            let name = names[pair.task]?[pair.ordinal] ?? (id: "task \(pair.task) #\(pair.ordinal)", source: "")
            let itemID = index.itemIDs[Int(pair.item)]
            if pair.item != previousItem { result[benchmark].itemsFound += 1 }
            previousItem = pair.item
            documents[benchmark].insert(UInt64(pair.task) << 32 | UInt64(pair.ordinal))
            if result[benchmark].examples.count < 3 {
                result[benchmark].examples.append(.init(item: itemID, document: name.id, source: name.source))
            }
            let line: JSONValue = .object([("benchmark", .string(result[benchmark].name)), ("item", .string(itemID)),
                                           ("document", .string(name.id)), ("source", .string(name.source))])
            line.write(to: &lines)
            lines.append(0x0A)
        }
        for index in result.indices { result[index].documents = documents[index].count }
        try FileSystem.writeAtomically(lines, to: folder.root + "/matches.jsonl")
        return result
    }

    public func makeDecider(task: Int, folder root: String) throws -> any Step {
        let folder = folder(root)
        let decisions = try RecordFile.read(UInt32.self, kind: DedupFolder.Kind.decisions.rawValue, from: folder.decisionsPath(task),
                                            rerun: folder.rerunResolve)
        let common = try RecordFile.read(UInt32.self, kind: DedupFolder.Kind.commonEntries.rawValue, from: folder.root + "/common.rec",
                                         rerun: folder.rerunResolve)
        return Decider(step: self, decisions: decisions, common: Set(common))
    }

    /// Phase 3: flags, drops or cuts the contaminated documents.
    final class Decider: Step {
        let step: DecontaminateStep
        let matcher: ContaminationMatcher
        /// The ordinals of the task's contaminated documents, ascending.
        let decisions: [UInt32]
        let common: Set<UInt32>
        var next = 0
        var ordinal: UInt32 = 0

        init(step: DecontaminateStep, decisions: [UInt32], common: Set<UInt32>) {
            self.step = step
            self.matcher = ContaminationMatcher(index: step.index)
            self.decisions = decisions
            self.common = common
        }

        func process(_ document: inout Document) -> Verdict {
            defer { ordinal += 1 }
            guard next < decisions.count, decisions[next] == ordinal else { return .keep }
            next += 1
            var found = ContaminationFound()
            let index = step.index
            document.withTextUTF8 { text in
                matcher.scan(text) { entry, start, end in
                    if !common.contains(entry) { found.add(entry: entry, span: start..<end) }
                }
            }
            found.keep(heldItems: matcher.heldItems(sortedEntries: found.found.map(\.entry).sorted(), minNgrams: step.minNgrams, minCoverage: step.minCoverage),
                       index: index)
            var metadata = found.metadata(index: index)
            defer { document.metadata[step.field] = .object(metadata) }
            switch step.mode {
            case .flag: return .keep
            case .drop: return .drop(.benchmarkContamination)
            case .cut:
                let cut = document.withTextUTF8 { text in
                    ContaminationCut(text: text, spans: found.spans, margin: step.margin, minPiece: step.minPiece)
                }
                metadata.append(("cuts", .int(cut.cuts)))
                metadata.append(("characters_removed", .int(cut.charactersRemoved)))
                if cut.cuts > step.maxCuts { return .drop(.contaminationTooManyCuts) }
                guard !cut.pieces.isEmpty else { return .drop(.contaminationAllCut) }
                document.text = cut.pieces.joined(separator: "\n\n")
                return .keep
            }
        }
    }
}

/// What one document holds: the entries found with their byte spans (in scan order), then the items it
/// holds and the spans of their entries.
struct ContaminationFound {
    var found: [(entry: UInt32, span: Range<Int>)] = []
    var items: [UInt32] = []
    var spans: [Range<Int>] = []

    mutating func add(entry: UInt32, span: Range<Int>) { found.append((entry, span)) }

    /// Keeps the items the document holds (`ContaminationMatcher.heldItems`, the merge's rule) and the
    /// spans of their entries.
    mutating func keep(heldItems: [UInt32], index: BenchmarkIndex) {
        let held = Set(heldItems)
        items = heldItems
        spans = found.filter { index.items(ofEntry: $0.entry).contains(where: held.contains) }.map(\.span)
    }

    /// The metadata object: benchmarks and items (sorted; at most 20 item ids), counts.
    func metadata(index: BenchmarkIndex) -> [(String, JSONValue)] {
        let benchmarks = Set(items.map { index.benchmark(ofItem: $0) }).sorted().map { JSONValue.string(index.benchmarks[$0].name) }
        return [("benchmarks", .array(benchmarks)),
                ("items", .array(items.prefix(20).map { .string(index.itemIDs[Int($0)]) })),
                ("item_count", .int(items.count)),
                ("ngrams", .int(spans.count))]
    }
}

/// Cutting matched spans out of a text: each span widened by `margin` characters on both sides, spans
/// merged where they touch, and the pieces between them kept if they have at least `minPiece` characters
/// (after trimming whitespace).
struct ContaminationCut {
    var pieces: [String] = []
    var cuts = 0
    var charactersRemoved = 0

    init(text: UnsafeBufferPointer<UInt8>, spans: [Range<Int>], margin: Int, minPiece: Int) {
        let sorted = spans.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for span in sorted {
            let widened = Self.back(text, span.lowerBound, margin)..<Self.forward(text, span.upperBound, margin)
            if let last = merged.last, widened.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, widened.upperBound)
            } else {
                merged.append(widened)
            }
        }
        cuts = merged.count
        var position = 0
        for range in merged + [text.count..<text.count] {
            if range.lowerBound > position { keep(text, position..<range.lowerBound, minPiece) }
            charactersRemoved += Self.characters(text, range)
            position = range.upperBound
        }
    }

    private mutating func keep(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ minPiece: Int) {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isSpace(text[lower]) { lower += 1 }
        while upper > lower, Self.isSpace(text[upper - 1]) { upper -= 1 }
        let piece = lower..<upper
        if !piece.isEmpty, Self.characters(text, piece) >= minPiece {
            pieces.append(String(decoding: UnsafeBufferPointer(rebasing: text[piece]), as: UTF8.self))
        } else {
            charactersRemoved += Self.characters(text, range)
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    static func characters(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        for i in range where text[i] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The byte offset `count` characters before `offset` (or 0).
    static func back(_ text: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int {
        var i = offset, left = count
        while i > 0, left > 0 {
            i -= 1
            while i > 0, text[i] & 0xC0 == 0x80 { i -= 1 }
            left -= 1
        }
        return i
    }

    /// The byte offset `count` characters after `offset` (or the end).
    static func forward(_ text: UnsafeBufferPointer<UInt8>, _ offset: Int, _ count: Int) -> Int {
        var i = offset, left = count
        while i < text.count, left > 0 {
            i += 1
            while i < text.count, text[i] & 0xC0 == 0x80 { i += 1 }
            left -= 1
        }
        return i
    }
}

/// The id and source of the documents of one task that matched something (phase 1 → report).
struct DocumentNames {
    private var lines: [UInt8] = []

    static func path(_ folder: DedupFolder, _ task: Int) -> String { folder.root + "/documents/\(DedupFolder.padded(task)).jsonl" }

    mutating func add(ordinal: UInt32, id: String, source: String) {
        JSONValue.array([.int(Int(ordinal)), .string(id), .string(source)]).write(to: &lines)
        lines.append(0x0A)
    }

    func write(to path: String) throws { try FileSystem.writeAtomically(lines, to: path) }

    static func read(_ path: String, rerun: String) throws -> [UInt32: (id: String, source: String)] {
        let bytes = try FileSystem.readFile(path)
        var names: [UInt32: (id: String, source: String)] = [:]
        for line in bytes.split(separator: 0x0A) {
            guard case let .array(parts) = try JSONValue(parsing: line), parts.count == 3, let ordinal = parts[0].intValue,
                  let id = parts[1].stringValue, let source = parts[2].stringValue else {
                throw CorpusError(.damagedPhaseFile, path: path, message: "a line is not [ordinal, id, source]", hint: rerun)
            }
            names[UInt32(ordinal)] = (id, source)
        }
        return names
    }
}

extension DropReason {
    public static let benchmarkContamination = DropReason("benchmark_contamination")
    public static let contaminationTooManyCuts = DropReason("contamination_too_many_cuts")
    public static let contaminationAllCut = DropReason("contamination_all_cut")
}
