import Corpus
import Execution

/// A run's statistics as terminal tables: per source, per step, and every drop reason.
enum SummaryReport {
    static func render(_ summary: RunSummary, outputFolder: String, workers: Int, seconds: Double) -> String {
        let total = summary.total
        var out: [String] = []
        out.append("pipeline \(summary.pipeline): \(summary.tasks) tasks (\(summary.tasksRun) run now, \(summary.tasks - summary.tasksRun) done before), \(workers) worker(s), \(Format.duration(seconds))")
        out.append("")
        var sourceRows: [[String]] = []
        for name in summary.sources.keys.sorted() {
            let s = summary.sources[name]!
            sourceRows.append(row(name, s))
        }
        sourceRows.append(row("total", total))
        out.append(Format.table(["source", "read", "kept", "kept %", "dropped", "text read", "text kept"], sourceRows))

        if !total.steps.isEmpty || !total.read.problems.isEmpty {
            out.append("")
            var stepRows: [[String]] = []
            for (reason, counts) in total.read.problems.sorted(by: { $0.key < $1.key }) {
                stepRows.append(["read", "", "", reason, Format.count(counts.documents), Format.percent(counts.documents, of: total.read.documents.documents + counts.documents)])
            }
            for step in total.steps {
                stepRows.append([step.name, Format.count(step.input.documents), Format.count(step.kept.documents), "", "", ""])
                for (reason, counts) in step.dropped.sorted(by: { $0.key < $1.key }) {
                    stepRows.append(["", "", "", reason, Format.count(counts.documents), Format.percent(counts.documents, of: step.input.documents)])
                }
            }
            out.append(Format.table(["step", "in", "kept", "dropped because", "documents", "% of in"], stepRows))
        }
        for report in summary.corpusWide {
            out.append("")
            if let benchmarks = report.benchmarks {
                out.append(ContaminationReport.render(report, benchmarks: benchmarks))
            } else {
                out.append(DuplicateReport.render(report))
            }
        }
        if summary.timings.count > 1 {
            out.append("")
            out.append(Format.table(["phase", "time"], summary.timings.map { [$0.phase, String(format: "%.2f s", $0.seconds)] }))
        }
        out.append("")
        out.append("output: \(outputFolder)/output (\(total.files) files); stats: \(outputFolder)/stats.json")
        return out.joined(separator: "\n")
    }

    private static func row(_ name: String, _ s: PipelineStats) -> [String] {
        let read = s.read.documents.documents + s.read.problems.values.reduce(0) { $0 + $1.documents }
        return [name, Format.count(read), Format.count(s.written.documents), Format.percent(s.written.documents, of: read),
                Format.count(read - s.written.documents), Format.bytes(s.read.documents.bytes), Format.bytes(s.written.bytes)]
    }
}
