import Corpus
import Foundation

/// Phase 3 of a deduplication step: applies phase 2's decisions to one task's documents, which arrive in
/// the order the collector saw them. Members of a cluster get its id and size in their metadata; the ones
/// not kept are dropped with the step's reason.
final class DuplicateDecider: Step {
    private let decisions: [DuplicateDecision]
    private let reason: DropReason
    private let clusterField: String
    private let folder: DedupFolder
    private var next = 0
    private var ordinal: UInt32 = 0

    init(decisions: [DuplicateDecision], reason: DropReason, clusterField: String, folder: DedupFolder) {
        self.decisions = decisions
        self.reason = reason
        self.clusterField = clusterField
        self.folder = folder
    }

    func process(_ document: inout Document) -> Verdict {
        defer { ordinal += 1 }
        guard next < decisions.count, decisions[next].ordinal == ordinal else { return .keep }
        let decision = decisions[next]
        next += 1
        document.metadata[clusterField] = .int(Int(decision.cluster))
        document.metadata[clusterField + "_size"] = .int(Int(decision.size))
        if decision.isExample {
            ClusterExamples.save(document, decision: decision, in: folder)
        }
        return decision.isRemoved ? .drop(reason) : .keep
    }
}

/// The documents shown as examples in a deduplication report: one file per member, written by the
/// decider that meets it, gathered after the last pass.
enum ClusterExamples {
    static let textLength = 300

    struct Saved: Codable {
        var cluster: Int
        var size: Int
        var removed: Bool
        var similarity: Double?
        var member: CorpusWideReport.Example.Member
    }

    static func save(_ document: Document, decision: DuplicateDecision, in folder: DedupFolder) {
        let text = String(document.text.unicodeScalars.prefix(textLength).map(Character.init))
        let saved = Saved(cluster: Int(decision.cluster), size: Int(decision.size), removed: decision.isRemoved,
                          similarity: decision.similarity >= 0 ? Double(decision.similarity) : nil,
                          member: .init(id: document.id, source: document.source, text: text))
        let name = "\(decision.cluster)-\(decision.isRemoved ? "removed" : "kept").json"
        guard let data = try? JSONEncoder().encode(saved) else { return }
        // Best effort: an example that cannot be written leaves a gap in the report, never a failed run.
        try? FileSystem.createDirectory(folder.examplesFolder)
        try? FileSystem.writeAtomically(Array(data), to: folder.examplesFolder + "/" + name)
    }

    /// The report with its examples filled in from what the deciders saved.
    static func gather(into report: CorpusWideReport, from folder: DedupFolder) -> CorpusWideReport {
        var byCluster: [Int: CorpusWideReport.Example] = [:]
        for name in FileSystem.contents(of: folder.examplesFolder) where name.hasSuffix(".json") {
            guard let data = try? FileSystem.readFile(folder.examplesFolder + "/" + name),
                  let saved = try? JSONDecoder().decode(Saved.self, from: Data(data)) else { continue }
            var example = byCluster[saved.cluster] ?? .init(cluster: saved.cluster, size: saved.size)
            if saved.removed {
                example.removed = saved.member
                example.similarity = saved.similarity
            } else {
                example.kept = saved.member
            }
            byCluster[saved.cluster] = example
        }
        var report = report
        report.examples = byCluster.values.sorted { ($0.size, -$0.cluster) > ($1.size, -$1.cluster) }
        return report
    }
}
