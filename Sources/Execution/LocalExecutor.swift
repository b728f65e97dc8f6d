import Corpus
import Foundation
import Synchronization

/// Runs a pipeline's tasks on worker threads of this machine, skipping tasks completed earlier.
///
/// Every task's output depends only on its input and the configuration, so the result is byte-identical
/// for any number of workers, and a run killed at any moment finishes correctly when run again.
public final class LocalExecutor: Sendable {
    public let config: PipelineConfig
    public let tasks: [PipelineTask]
    public let workers: Int
    public let folder: RunFolder
    public let progress: ProgressCounters

    public init(config: PipelineConfig, tasks: [PipelineTask], workers: Int? = nil) {
        self.config = config
        self.tasks = tasks
        let cores = ProcessInfo.processInfo.activeProcessorCount
        self.workers = max(1, min(workers ?? config.workers ?? cores, max(tasks.count, 1)))
        self.folder = RunFolder(root: config.output.path)
        self.progress = ProgressCounters(totalTasks: tasks.count, totalFileBytes: tasks.reduce(0) { $0 + $1.inputBytes })
    }

    /// Runs every task not yet completed; writes `stats.json` when all are complete.
    /// - Parameter restart: delete an earlier run's results in the output folder first.
    public func run(restart: Bool = false) throws -> RunSummary {
        try folder.prepare(config: config, tasks: tasks, restart: restart)

        var results = [TaskResult?](repeating: nil, count: tasks.count)
        var pending: [PipelineTask] = []
        for task in tasks {
            if let done = folder.completedResult(task) {
                results[task.index] = done
                progress.tasksSkipped.add(1, ordering: .relaxed)
                progress.fileBytes.add(task.inputBytes, ordering: .relaxed)
            } else {
                pending.append(task)
            }
        }
        // Largest first, so no big task starts last and leaves the other workers idle.
        pending.sort { ($0.inputBytes, -$0.index) > ($1.inputBytes, -$1.index) }

        let state = Mutex(SharedState(queue: pending[...]))
        let runner = TaskRunner(config: config, folder: folder, progress: progress)
        let finished = DispatchSemaphore(value: 0)
        let workerCount = min(workers, max(pending.count, 1))
        for _ in 0..<workerCount {
            let thread = Thread { [progress] in
                while let task = state.withLock({ $0.failed && self.config.onError == .fail ? nil : $0.queue.popFirst() }) {
                    do {
                        let result = try runner.run(task)
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
        let summary = RunSummary(pipeline: config.name, steps: config.steps.map(\.factory.versionedName),
                                 results: results.compactMap { $0 }, tasksRun: pending.count)
        try FileSystem.writeAtomically(Array(try JSONEncoder.syllabus.encode(summary)), to: folder.statsPath)
        return summary
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
