import Corpus
import Foundation
import Synchronization

/// Reads a source's shards into a `SourceCatalog`, files in parallel, results in file order (so the
/// catalog is the same for any number of workers).
public struct CatalogScanner: Sendable {
    public var source: PlanSource
    /// Read the perplexity field (some stage selects or orders by it).
    public var readsPPL: Bool
    /// Per-document grouping fields the plan divides this source by (`topic`).
    public var groupingFields: [String]
    public var workers: Int

    public init(source: PlanSource, readsPPL: Bool, groupingFields: [String], workers: Int) {
        self.source = source
        self.readsPPL = readsPPL
        self.groupingFields = groupingFields
        self.workers = max(1, workers)
    }

    /// Problems found in a file, reported together after the scan.
    struct FileProblems: Sendable {
        var missing: [String: (count: Int, firstRecord: Int)] = [:]
        var unreadable: (count: Int, firstLine: Int, message: String)?
        var tooManyTokens: (count: Int, firstRecord: Int)?
    }

    public func scan(files: [String], progress: ProgressCounters? = nil) throws -> SourceCatalog {
        var parts = [Result<(SourceCatalog, FileProblems), Error>?](repeating: nil, count: files.count)
        let next = Atomic<Int>(0)
        let lock = Mutex(())
        nonisolated(unsafe) var shared = parts
        let threads = min(workers, files.count)
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while true {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= files.count { break }
                    let result = Result { try scanFile(files[index], progress: progress) }
                    lock.withLock { _ in shared[index] = result }
                    progress?.tasksDone.add(1, ordering: .relaxed)
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        parts = shared

        let catalog = SourceCatalog(source: source.name)
        var problems: [(file: String, FileProblems)] = []
        for (index, part) in parts.enumerated() {
            let (fileCatalog, fileProblems) = try part!.get()
            catalog.append(fileCatalog)
            problems.append((files[index], fileProblems))
        }
        try report(problems)
        return catalog
    }

    private func report(_ problems: [(file: String, FileProblems)]) throws {
        if let bad = problems.first(where: { $0.1.unreadable != nil }), let unreadable = bad.1.unreadable {
            let total = problems.reduce(0) { $0 + ($1.1.unreadable?.count ?? 0) }
            throw PlanError("source \(source.name): \(total) record(s) are not valid documents (first: \(bad.file):\(unreadable.firstLine): \(unreadable.message))",
                            hint: "plan from curated shards (`syllabus curate` output), or fix or remove those lines")
        }
        for field in ["tokens", "ppl"] + groupingFields {
            let affected = problems.filter { $0.1.missing[field] != nil }
            guard let first = affected.first, let entry = first.1.missing[field] else { continue }
            let total = affected.reduce(0) { $0 + $1.1.missing[field]!.count }
            let path = source.fields[field] ?? field
            let hint: String
            switch field {
            case "tokens": hint = "count tokens with the `tokens` step (`- tokens: {tokenizer: FILE}` in the curate pipeline), or point sources.\(source.name).tokens_field at the field that holds them"
            case "ppl": hint = "score them (a `perplexity` step), point sources.\(source.name).ppl_field at the field that holds it, or set the stage's `order: {missing_ppl: last}`"
            default: hint = "label them upstream, point sources.\(source.name).fields.\(field) at the right field, or give a default: `defaults: {\(field): Others}`"
            }
            throw PlanError("source \(source.name): \(total) document(s) have no \(field) (field `\(path)`; first: \(first.file), record \(entry.firstRecord + 1))", hint: hint)
        }
        if let bad = problems.first(where: { $0.1.tooManyTokens != nil }), let entry = bad.1.tooManyTokens {
            throw PlanError("source \(source.name): a token count is not a whole number between 0 and 4294967295 (\(bad.file), record \(entry.firstRecord + 1))",
                            hint: "check the `\(source.fields["tokens"] ?? "tokens")` field")
        }
    }

    /// One file's documents; `ppl` is NaN when absent and allowed (the planner decides).
    func scanFile(_ path: String, progress: ProgressCounters? = nil) throws -> (SourceCatalog, FileProblems) {
        let catalog = SourceCatalog(source: source.name)
        catalog.files = [path]
        var problems = FileProblems()
        var interned: [String: [String: UInt32]] = [:]
        var names: [String: [String]] = [:]
        func split(_ path: String) -> [String] { path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        let tokensPath = split(source.fields["tokens"] ?? "metadata.tokens")
        let pplPath = split(source.fields["ppl"] ?? "metadata.ppl")
        let fieldPaths = groupingFields.map { ($0, split(source.fields[$0] ?? "metadata.\($0)")) }
        let reader = try JSONLReader(path: path, source: source.name)
        var position = 0
        var fieldBuffer: [(String, UInt32)] = []
        func noteMissing(_ field: String) {
            if problems.missing[field] == nil { problems.missing[field] = (0, position) }
            problems.missing[field]!.count += 1
        }
        var reported = 0
        defer { progress?.fileBytes.add(reader.fileBytesConsumed - reported, ordering: .relaxed) }
        while let entry = try reader.next() {
            defer {
                position += 1
                if position & 4095 == 0, let progress {
                    progress.documents.add(4096, ordering: .relaxed)
                    progress.fileBytes.add(reader.fileBytesConsumed - reported, ordering: .relaxed)
                    reported = reader.fileBytesConsumed
                }
            }
            switch entry {
            case let .problem(problem, line, _):
                if problems.unreadable == nil { problems.unreadable = (0, line, "\(problem)") }
                problems.unreadable!.count += 1
            case let .document(document):
                var tokens: UInt32 = 0
                if let value = Self.number(document.value(atPath: tokensPath)) {
                    if value >= 0, value <= Double(UInt32.max), value == value.rounded() {
                        tokens = UInt32(value)
                    } else if problems.tooManyTokens == nil {
                        problems.tooManyTokens = (1, position)
                    }
                } else {
                    noteMissing("tokens")
                }
                var ppl = Float.nan
                if readsPPL, let value = Self.number(document.value(atPath: pplPath)) { ppl = Float(value) }
                fieldBuffer.removeAll(keepingCapacity: true)
                for (field, fieldPath) in fieldPaths {
                    var text: String?
                    switch document.value(atPath: fieldPath) {
                    case let .string(value)?: text = value
                    case let .number(value)?: text = value
                    case let .bool(value)?: text = value ? "true" : "false"
                    default: text = source.fieldDefaults[field]
                    }
                    guard let text else {
                        noteMissing(field)
                        fieldBuffer.append((field, SourceCatalog.missingValue))
                        continue
                    }
                    if let index = interned[field]?[text] {
                        fieldBuffer.append((field, index))
                    } else {
                        let index = UInt32(names[field, default: []].count)
                        names[field, default: []].append(text)
                        interned[field, default: [:]][text] = index
                        fieldBuffer.append((field, index))
                    }
                }
                catalog.append(file: 0, position: UInt32(position), id: document.id, tokens: tokens, ppl: ppl, fields: fieldBuffer)
            }
        }
        for (field, _) in fieldPaths {
            catalog.fieldNames[field] = names[field] ?? []
            if catalog.fieldValues[field] == nil { catalog.fieldValues[field] = [] }
        }
        return (catalog, problems)
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case let .number(text)?: return Double(text)
        case let .string(text)?: return Double(text)
        default: return nil
        }
    }
}
