import Corpus

/// Turns clusters found in phase 2 into per-task decisions and the report's counts, choosing a few
/// clusters (the largest, then the first) as examples.
struct ClusterTally {
    private(set) var decisions: [[DuplicateDecision]]
    private(set) var clusters = 0
    private(set) var removed = 0
    private(set) var sizes: [String: Int] = [:]
    /// The example clusters chosen so far: (size, cluster id), at most `exampleCount`.
    private var examples: [(size: Int, cluster: UInt64)] = []
    private let exampleCount: Int
    private var pending: [(cluster: UInt64, members: [Member])] = []

    struct Member {
        var task: Int
        var ordinal: UInt32
        var kept: Bool
        var similarity: Float32 = -1
    }

    init(taskCount: Int, exampleCount: Int = 6) {
        decisions = Array(repeating: [], count: taskCount)
        self.exampleCount = exampleCount
    }

    /// Records one cluster of two or more documents; `cluster` is the global number of the kept one.
    mutating func add(cluster: UInt64, members: [Member]) {
        guard members.count > 1 else { return }
        clusters += 1
        sizes[CorpusWideReport.sizeBin(members.count), default: 0] += 1
        for member in members where !member.kept { removed += 1 }
        // Keep the largest clusters as examples (first found wins ties).
        if examples.count < exampleCount || members.count > examples.last!.size {
            examples.append((members.count, cluster))
            examples.sort { ($0.size, -Int64(bitPattern: $0.cluster)) > ($1.size, -Int64(bitPattern: $1.cluster)) }
            if examples.count > exampleCount { examples.removeLast() }
        }
        pending.append((cluster, members))
    }

    /// Writes each task's decisions (sorted by ordinal) and returns the report's counts.
    mutating func write(to folder: DedupFolder, step: String, documents: Int, counters: [String: Int]) throws(CorpusError) -> CorpusWideReport {
        let exampleClusters = Set(examples.map(\.cluster))
        for (cluster, members) in pending {
            let isExample = exampleClusters.contains(cluster)
            var removedExampleChosen = false
            for member in members {
                var flags: UInt32 = member.kept ? 0 : DuplicateDecision.removed
                if isExample && (member.kept || !removedExampleChosen) {
                    flags |= DuplicateDecision.example
                    if !member.kept { removedExampleChosen = true }
                }
                decisions[member.task].append(DuplicateDecision(ordinal: member.ordinal, size: UInt32(members.count), cluster: cluster,
                                                                flags: flags, similarity: member.similarity))
            }
        }
        pending = []
        try folder.createFolders("decisions")
        for task in decisions.indices {
            decisions[task].sort { $0.ordinal < $1.ordinal }
            try RecordFile.write(decisions[task], kind: DedupFolder.Kind.decisions.rawValue, to: folder.decisionsPath(task))
        }
        return CorpusWideReport(step: step, documents: documents, clusters: clusters, removed: removed, clusterSizes: sizes, counters: counters)
    }
}
