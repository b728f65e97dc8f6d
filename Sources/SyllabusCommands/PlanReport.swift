import Corpus
import Execution

/// The task plan as text, for `curate --dry-run`.
enum PlanReport {
    static func render(config: PipelineConfig, tasks: [PipelineTask]) -> String {
        var lines = ["pipeline \(config.name): \(tasks.count) tasks, \(Format.bytes(tasks.reduce(0) { $0 + $1.inputBytes })) of input"]
        lines.append("steps: " + (config.steps.isEmpty ? "(none: passthrough)" : config.steps.map(\.factory.versionedName).joined(separator: " → ")))
        let passes = config.passes
        if passes.count > 1 {
            lines.append("runs as \(passes.count / 2 + 1) passes over all tasks with a merge between (corpus-wide steps): " + passes.joined(separator: "; "))
        }
        lines.append("output: \(config.output.path) (\(config.output.compression.rawValue)\(config.output.keepDropped ? ", dropped kept" : ""))")
        lines.append("")
        let rows = tasks.map { task in
            [String(task.index), task.id, task.path,
             task.range.map { "\($0.lowerBound)..<\($0.upperBound)" } ?? "whole file", Format.bytes(task.inputBytes)]
        }
        lines.append(Format.table(["#", "task", "file", "range", "size"], rows))
        return lines.joined(separator: "\n")
    }
}
