import Corpus
import Foundation
import Synchronization

/// Runs a pipeline's tasks on worker threads of this machine, skipping tasks completed earlier.
///
/// Every task's output depends only on its input and the configuration, so the result is byte-identical
/// for any number of workers, and a run killed at any moment finishes correctly when run again.
/// A pipeline with corpus-wide steps (deduplication) runs in segments: all tasks run up to the first such
/// step, its merge runs, all tasks go on from there, and so on (see `PipelineSegment`).
public final class LocalExecutor: Sendable {
    public let config: PipelineConfig
    public let tasks: [PipelineTask]
    public let workers: Int
    public let folder: RunFolder
    public let progress: ProgressCounters
    let segments: [PipelineSegment]
    let phaseFolders: [Int: String]

    public init(config: PipelineConfig, tasks: [PipelineTask], workers: Int? = nil) {
        self.config = config
        self.tasks = tasks
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.workers = max(1, min(workers ?? config.workers ?? cores, max(tasks.count, 1)))
        let folder = RunFolder(root: config.output.path)
        self.folder = folder
        segments = PipelineSegment.plan(config)
        var phaseFolders: [Int: String] = [:]
        for (index, step) in config.steps.enumerated() where step.factory is any CorpusWideStepFactory {
            phaseFolders[index] = folder.phaseFolder(stepIndex: index, name: step.name)
        }
        self.phaseFolders = phaseFolders
        self.progress = ProgressCounters(totalTasks: tasks.count * segments.count,
                                         totalFileBytes: tasks.reduce(0) { $0 + $1.inputBytes },
                                         phases: segments.count)
    }

    /// Runs every task not yet completed; writes `stats.json` when all are complete.
    /// - Parameter restart: delete an earlier run's results in the output folder first.
    public func run(restart: Bool = false) throws -> RunSummary {
        try folder.prepare(config: config, tasks: tasks, restart: restart)

        var previous: [TaskResult?] = Array(repeating: nil, count: tasks.count)
        var tasksRun = 0
        var reports: [Int: CorpusWideReport] = [:]
        var timings: [(String, Double)] = []
        for segment in segments {
            let started = ContinuousClock.now
            progress.phase.store(segment.number + 1, ordering: .relaxed)
            let before = segment.number > 0 ? segments[segment.number - 1] : nil
            let runner = TaskRunner(config: config, folder: folder, progress: progress, segment: segment, phaseFolders: phaseFolders,
                                    readsInput: segment.readsInput(after: before))
            let (results, ran) = try runSegment(runner, previous: previous)
            tasksRun = ran  // the last pass's count: a task "ran now" when its output was written now
            previous = results
            if ran > 0 { timings.append((segment.name(in: config), Self.seconds(since: started))) }
            if let collects = segment.collects {
                let merging = ContinuousClock.now
                let (report, merged) = try resolve(stepIndex: collects)
                reports[collects] = report
                if merged { timings.append(("merge for \(config.steps[collects].name)", Self.seconds(since: merging))) }
            }
        }

        var finalReports: [CorpusWideReport] = []
        for index in reports.keys.sorted() {
            let factory = config.steps[index].factory as! any CorpusWideStepFactory
            finalReports.append(try factory.finishReport(reports[index]!, taskCount: tasks.count, folder: phaseFolders[index]!))
        }
        var summary = RunSummary(pipeline: config.name, steps: config.steps.map(\.factory.versionedName),
                                 results: previous.compactMap { $0 }, tasksRun: tasksRun, corpusWide: finalReports)
        summary.timings = timings
        try FileSystem.writeAtomically(Array(try JSONEncoder.syllabus.encode(summary)), to: folder.statsPath)
        // The documents saved between passes are no longer needed.
        for phaseFolder in phaseFolders.values where FileSystem.exists(phaseFolder + "/documents") {
            try? FileManager.default.removeItem(atPath: phaseFolder + "/documents")
        }
        return summary
    }

    /// Phase 2 of the corpus-wide step at `stepIndex`, unless an earlier run finished it (then `merged` is false).
    private func resolve(stepIndex: Int) throws -> (report: CorpusWideReport, merged: Bool) {
        let phaseFolder = phaseFolders[stepIndex]!
        let reportPath = phaseFolder + "/report.json"
        if let data = try? FileSystem.readFile(reportPath),
           let report = try? JSONDecoder().decode(CorpusWideReport.self, from: Data(data)) {
            return (report, false)
        }
        let factory = config.steps[stepIndex].factory as! any CorpusWideStepFactory
        let report = try factory.resolve(taskCount: tasks.count, folder: phaseFolder)
        try FileSystem.writeAtomically(Array(try JSONEncoder.syllabus.encode(report)), to: reportPath)
        return (report, true)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Runs one segment's pass of every task not completed earlier, on the worker threads.
    private func runSegment(_ runner: TaskRunner, previous: [TaskResult?]) throws -> ([TaskResult?], Int) {
        var results = [TaskResult?](repeating: nil, count: tasks.count)
        var pending: [PipelineTask] = []
        for task in tasks {
            if let done = folder.completedResult(at: runner.completionPath(task)) {
                results[task.index] = done
                progress.tasksSkipped.add(1, ordering: .relaxed)
                if runner.segment.number == 0 { progress.fileBytes.add(task.inputBytes, ordering: .relaxed) }
            } else {
                pending.append(task)
            }
        }
        // Largest first, so no big task starts last and leaves the other workers idle.
        pending.sort { ($0.inputBytes, -$0.index) > ($1.inputBytes, -$1.index) }

        let state = Mutex(SharedState(queue: pending[...]))
        let finished = DispatchSemaphore(value: 0)
        let workerCount = min(workers, max(pending.count, 1))
        for _ in 0..<workerCount {
            let thread = Thread { [progress, config] in
                while let task = state.withLock({ $0.failed && config.onError == .fail ? nil : $0.queue.popFirst() }) {
                    do {
                        let result = try runner.run(task, previous: previous[task.index])
                        state.withLock { $0.results[task.index] = result }
                        progress.tasksDone.add(1, ordering: .relaxed)
                    } catch {
                        state.withLock {
                            $0.failures.append((task.index, task.id, "\(error)"))
                            $0.failed = true
                        }
                        progress.tasksFailed.add(1, ordering: .relaxed)
                    }
                }
                finished.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        for _ in 0..<workerCount { finished.wait() }

        let (newResults, failures) = state.withLock { ($0.results, $0.failures) }
        for (index, result) in newResults { results[index] = result }
        if !failures.isEmpty {
            throw ExecutionError.tasksFailed(failures.sorted { $0.0 < $1.0 }.map { ($0.1, TaskFailure(message: $0.2)) })
        }
        return (results, pending.count)
    }

    private struct SharedState: Sendable {
        var queue: ArraySlice<PipelineTask>
        var results: [Int: TaskResult] = [:]
        var failures: [(Int, String, String)] = []
        var failed = false
    }
}

/// A task's error, carried across threads as its message.
public struct TaskFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
