import ArgumentParser
import Corpus
import Execution
import Foundation

/// `syllabus curate PIPELINE.yaml`: run a curation pipeline.
struct CurateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curate",
        abstract: "Run a curation pipeline: read inputs, apply steps, write kept documents.",
        discussion: """
            Re-running the same command skips completed tasks, so an interrupted run resumes where it stopped.

            Example:
              syllabus curate examples/pipeline.yaml --workers 2
              syllabus curate examples/pipeline.yaml --dry-run
            """)

    @Argument(help: "The pipeline YAML file.")
    var pipeline: String

    @Option(help: "Worker threads (default: the pipeline's `workers`, else one per core).")
    var workers: Int?

    @Flag(help: "Print the task plan and exit without running.")
    var dryRun = false

    @Flag(help: "Delete an earlier run's results in the output folder and start over.")
    var restart = false

    @Flag(help: "Print the run's statistics as JSON instead of tables.")
    var json = false

    func run() throws {
        do {
            let config = try PipelineLoader.load(path: pipeline)
            let tasks = try TaskPlanner.plan(config)
            if dryRun {
                print(PlanReport.render(config: config, tasks: tasks))
                return
            }
            if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
            let executor = LocalExecutor(config: config, tasks: tasks, workers: workers)
            let started = Date()
            let summary = try ProgressDisplay.showing(executor.progress, label: "curate") { try executor.run(restart: restart) }
            if json {
                print(String(decoding: try JSONEncoder.pretty.encode(summary), as: UTF8.self))
            } else {
                print(SummaryReport.render(summary, outputFolder: config.output.path, workers: executor.workers,
                                           seconds: Date().timeIntervalSince(started)))
            }
        } catch let error as ConfigError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as ExecutionError {
            throw CommandFailure.report(error, code: 1)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}

/// Exit codes: 0 ok, 1 the run failed (bad input, I/O), 2 the configuration or command line is wrong.
enum CommandFailure {
    /// Prints `error: …` on stderr and returns the exit code to throw.
    static func report(_ error: any Error, code: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return ExitCode(code)
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
