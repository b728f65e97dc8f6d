import Corpus
import Foundation

/// What a deduplication step found, for the terminal: clusters by size, its counters, and examples of
/// removed documents next to the document they duplicate.
enum DuplicateReport {
    static func render(_ report: CorpusWideReport, examples: Int = 3, width: Int = 100) -> String {
        var out: [String] = []
        if let paragraphs = report.counters["paragraphs"] {
            out.append("\(report.step): \(Format.count(report.clusters)) repeated paragraphs among \(Format.count(paragraphs)) in \(Format.count(report.documents)) documents; \(Format.count(report.removed)) occurrences removed")
        } else {
            out.append("\(report.step): \(Format.count(report.clusters)) clusters among \(Format.count(report.documents)) documents, \(Format.count(report.removed)) removed")
        }
        let bins = report.clusterSizes.keys.sorted { Int($0.split(separator: "-")[0])! < Int($1.split(separator: "-")[0])! }
        if !bins.isEmpty {
            out.append(Format.table(["cluster size", "clusters"], bins.map { [$0, Format.count(report.clusterSizes[$0]!)] }))
        }
        for (name, value) in report.counters.sorted(by: { $0.key < $1.key }) {
            out.append("  \(name.replacingOccurrences(of: "_", with: " ")): \(Format.count(value))")
        }
        for example in report.examples.prefix(examples) {
            if example.kept == nil, let removed = example.removed {
                out.append("  found \(example.size) times, e.g. in \(removed.source)/\(removed.id): \(snippet(removed.text, width))")
                continue
            }
            out.append("  cluster \(example.cluster) (\(example.size) documents)")
            if let kept = example.kept { out.append("    kept    \(kept.source)/\(kept.id): \(snippet(kept.text, width))") }
            if let removed = example.removed {
                let similarity = example.similarity.map { String(format: " (Jaccard %.2f)", $0) } ?? ""
                out.append("    removed \(removed.source)/\(removed.id)\(similarity): \(snippet(removed.text, width))")
            }
        }
        return out.joined(separator: "\n")
    }

    /// One line: whitespace runs shown as one space, cut at `width` characters.
    static func snippet(_ text: String, _ width: Int) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return flat.count > width ? String(flat.prefix(width)) + "…" : flat
    }
}
