import ArgumentParser
import Corpus
import Curriculum
import Execution
import Foundation

/// `syllabus plan PLAN.yaml`: check a curriculum plan against the sources' real token counts and write a
/// manifest per stage.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan stages of training data from curated sources: budgets, mixtures, order, reuse.",
        discussion: """
            Reads every source's documents (their token counts, and perplexity or topic when the plan \
            orders or divides by them), gives each stage's mixture cells their tokens, picks documents \
            (never reusing one across stages unless the source's max_epochs allows it), orders them, and \
            writes OUTPUT/stage-NN.manifest.jsonl (one line per document in training order), \
            OUTPUT/learning_rate.csv/.json (when the plan has learning_rate:) and OUTPUT/ledger.json. \
            Shortfalls are listed with the options that fix them; nothing is written while any remains \
            (unless --allow-shortfall). The same plan and seed give the same manifests.

            --explain prints tokens per source per stage, shares and their changes, and writes nothing; \
            it works on plans whose sources only declare available_tokens (imported recipes).

            Examples:
              syllabus plan examples/plans/llama3-syne-mini.yaml
              syllabus plan examples/plans/yulan-mini.yaml --explain
            """)

    @Argument(help: "The plan file (YAML).")
    var plan: String

    @Option(help: "Output folder (default: the plan's `output:`, else runs/<plan name>-plan).")
    var output: String?

    @Flag(help: "Print tokens per source per stage and their changes; write nothing.")
    var explain = false

    @Option(help: "With --explain: also write the source × stage token matrix as CSV to this file.")
    var explainCsv: String?

    @Flag(help: "Write manifests even when some cells cannot get their tokens (the ledger lists them).")
    var allowShortfall = false

    @Option(help: "Worker threads for reading sources (default: one per core).")
    var workers: Int?

    func run() throws {
        do {
            let plan = try CurriculumPlan.load(path: self.plan)
            var job = PlanJob(plan: plan, workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
            job.allowShortfall = allowShortfall
            let files = try job.sourceFiles()
            let counters = ProgressCounters(totalTasks: files.reduce(0) { $0 + $1.count },
                                            totalFileBytes: files.joined().reduce(0) { $0 + (FileSystem.fileSize($1) ?? 0) })
            let started = Date()
            // The scanned catalogs go straight to the planner, which may keep only a re-sorted copy.
            let catalogs = try ProgressDisplay.showing(counters, label: "plan: reading sources") {
                try job.scanSources(files: files, progress: counters)
            }
            let scanned = Date()
            let outcome = try job.plan(catalogs: catalogs)
            let planned = Date()
            let documents = outcome.catalogs.reduce(0) { $0 + ($1?.count ?? 0) }
            if explain {
                let explanation = PlanExplanation(plan: plan, result: outcome.result)
                print(explanation.text(), terminator: "")
                if let explainCsv {
                    try FileSystem.writeAtomically(Array(explanation.csv().utf8), to: explainCsv)
                    print("\nwrote \(explainCsv)")
                }
                reportShortfalls(outcome.result.shortfalls)
                if !outcome.result.shortfalls.isEmpty { throw ExitCode(3) }
                return
            }
            reportShortfalls(outcome.result.shortfalls)
            let folder = output ?? plan.outputFolder ?? "runs/\(plan.name)-plan"
            let written = try job.write(outcome, to: folder)
            let finished = Date()
            print("planned \(plan.stages.count) stage(s) over \(documents) documents of \(plan.sources.count) source(s) into \(folder)/")
            for (index, stage) in outcome.result.stages.enumerated() {
                print("  \(StageManifest.fileName(stage: index))  \(stage.name) (\(stage.phase.rawValue)): \(TokenCount.format(stage.tokens)) tokens (budget \(TokenCount.format(stage.targetTokens))), \(stage.entries.count) documents")
            }
            for usage in outcome.result.sources {
                print(String(format: "  source %@: took %@ of %@ tokens (%.2f epochs)", usage.name, TokenCount.format(usage.takenTokens),
                             TokenCount.format(usage.availableTokens), usage.epochs))
            }
            if let schedule = outcome.schedule {
                let rates = LearningRateExport(schedule: schedule, stages: plan.stages).stageRates()
                print("  learning rate (\(schedule.decayStyle.rawValue) decay): " + rates.map { String(format: "%@ %.3g→%.3g", $0.name, $0.lrStart, $0.lrEnd) }.joined(separator: ", "))
            }
            print(String(format: "  read sources in %.2f s, planned in %.2f s, wrote %d files in %.2f s", scanned.timeIntervalSince(started),
                         planned.timeIntervalSince(scanned), written.count, finished.timeIntervalSince(planned)))
        } catch let error as ConfigError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as PlanError {
            throw CommandFailure.report(error, code: 3)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }

    private func reportShortfalls(_ shortfalls: [Shortfall]) {
        guard !shortfalls.isEmpty else { return }
        var text = "\(shortfalls.count) shortfall(s):\n"
        for shortfall in shortfalls { text += "  " + shortfall.description + "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
