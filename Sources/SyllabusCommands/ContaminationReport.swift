import Corpus

/// What decontamination found, for the terminal: per benchmark, items indexed and found, documents
/// holding them, and a few of the matches (all are in the step's `matches.jsonl`).
enum ContaminationReport {
    static func render(_ report: CorpusWideReport, benchmarks: [BenchmarkMatches], examples: Int = 2) -> String {
        var out = ["\(report.step): \(Format.count(report.removed)) of \(Format.count(report.documents)) documents hold benchmark items"]
        let rows = benchmarks.map {
            [$0.name, Format.count($0.items), Format.count($0.indexed), Format.count($0.itemsFound), Format.percent($0.itemsFound, of: $0.indexed),
             Format.count($0.documents)]
        }
        out.append(Format.table(["benchmark", "items", "indexed", "found", "% found", "documents"], rows))
        for (name, value) in report.counters.sorted(by: { $0.key < $1.key }) where name != "documents_contaminated" {
            out.append("  \(name.replacingOccurrences(of: "_", with: " ")): \(Format.count(value))")
        }
        for benchmark in benchmarks {
            for match in benchmark.examples.prefix(examples) {
                out.append("  \(benchmark.name) item \(match.item) found in \(match.source)/\(match.document)")
            }
        }
        return out.joined(separator: "\n")
    }
}
