import Corpus
import Foundation

/// `syllabus plan`: read the sources' documents (token counts, perplexities, topics), plan every stage,
/// and — unless only explaining — write one manifest per stage, the ledger and the learning-rate table.
///
/// The output folder gets `stage-NN.manifest.jsonl` (atomic renames), `learning_rate.{csv,json}` when
/// the plan has a `learning_rate:` section, and `ledger.json` last. Planning is deterministic, so a
/// killed run is simply run again.
public struct PlanJob {
    public var plan: CurriculumPlan
    public var workers: Int
    /// Write manifests even when some cells fall short (the ledger records it).
    public var allowShortfall = false

    public init(plan: CurriculumPlan, workers: Int) {
        self.plan = plan
        self.workers = max(1, workers)
    }

    public struct Outcome {
        public var result: PlanResult
        public var catalogs: [SourceCatalog?]
        public var schedule: LearningRateSchedule?
        /// Files written (empty when explaining).
        public var written: [String]
    }

    /// Each source's shard files (empty for a declared-only source); a glob that matches nothing is an error.
    public func sourceFiles() throws -> [[String]] {
        try plan.sources.map { source in
            guard !source.patterns.isEmpty else { return [] }
            do {
                return try InputFiles.resolve(source.patterns)
            } catch {
                throw PlanError("source \(source.name): \(error)", hint: "check sources.\(source.name).paths in \(plan.file)")
            }
        }
    }

    /// Reads the sources. Declared-only sources (no paths) get nil.
    public func scanSources(files sourceFiles: [[String]]? = nil, progress: ProgressCounters? = nil) throws -> [SourceCatalog?] {
        let needs = CurriculumPlanner.scanNeeds(plan)
        let allFiles = try sourceFiles ?? self.sourceFiles()
        var catalogs: [SourceCatalog?] = []
        for (index, source) in plan.sources.enumerated() {
            guard !source.patterns.isEmpty else {
                catalogs.append(nil)
                continue
            }
            let files = allFiles[index]
            let scanner = CatalogScanner(source: source, readsPPL: needs.readsPPL, groupingFields: needs.groupingFields[index],
                                         workers: workers)
            catalogs.append(try scanner.scan(files: files, progress: progress))
        }
        return catalogs
    }

    public func plan(catalogs: [SourceCatalog?]) throws -> Outcome {
        let planner = CurriculumPlanner(plan: plan, catalogs: catalogs).sortedForSelection()
        let result = try planner.run()
        let schedule = plan.learningRate?.schedule(for: plan.stages)
        // The result's document indices refer to the planner's (possibly re-sorted) catalogs.
        return Outcome(result: result, catalogs: planner.catalogs, schedule: schedule, written: [])
    }

    /// Writes the manifests, learning-rate table and ledger into `folder`.
    @discardableResult
    public func write(_ outcome: Outcome, to folder: String) throws -> [String] {
        if !outcome.result.shortfalls.isEmpty && !allowShortfall {
            throw PlanError("the plan cannot be met: \(outcome.result.shortfalls.count) shortfall(s)",
                            hint: "see the shortfalls above; change the plan, or pass --allow-shortfall to write what is available")
        }
        if let declared = plan.sources.first(where: { $0.patterns.isEmpty }) {
            throw PlanError("source \(declared.name) has no files (only available_tokens), so no manifest can list its documents",
                            hint: "give it `paths:`, or use `syllabus plan --explain` for a budget-only plan")
        }
        try FileSystem.createDirectory(folder)
        // Manifests of an earlier plan with more stages would be mistaken for this plan's.
        for name in FileSystem.contents(of: folder) where name.hasPrefix("stage-") && name.hasSuffix(".manifest.jsonl") {
            FileSystem.remove(folder + "/" + name)
        }
        FileSystem.remove(folder + "/ledger.json")
        var written: [String] = []
        for (index, stage) in outcome.result.stages.enumerated() {
            let path = folder + "/" + StageManifest.fileName(stage: index)
            try StageManifest.write(stage, plan: plan, catalogs: outcome.catalogs, to: path)
            written.append(path)
        }
        if let schedule = outcome.schedule {
            let export = LearningRateExport(schedule: schedule, stages: plan.stages)
            try FileSystem.writeAtomically(Array(export.csv().utf8), to: folder + "/learning_rate.csv")
            try FileSystem.writeAtomically(try Self.json(export.summary()), to: folder + "/learning_rate.json")
            written += [folder + "/learning_rate.csv", folder + "/learning_rate.json"]
        }
        let ledger = PlanLedger(plan: plan, result: outcome.result)
        try FileSystem.writeAtomically(try Self.json(ledger), to: folder + "/ledger.json")
        written.append(folder + "/ledger.json")
        return written
    }

    static func json(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [0x0A]
    }
}
