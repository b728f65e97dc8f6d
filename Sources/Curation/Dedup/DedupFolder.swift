import Corpus
import Foundation

/// Where a corpus-wide step (deduplication, decontamination) keeps its files between phases, inside its
/// phase folder.
struct DedupFolder {
    let root: String
    let stepName: String

    /// Record-file kinds, so that a file of one kind is never read as another.
    enum Kind: UInt32 {
        case documentCount = 1
        case exactKeys = 2
        case decisions = 3
        case bandKeys = 4
        case shingleOffsets = 5
        case shingles = 6
        case paragraphKeys = 7
        case contaminationMatches = 8
        case commonEntries = 9
        case contaminationHeld = 10
    }

    func taskFile(_ folder: String, _ task: Int) -> String {
        "\(root)/\(folder)/\(Self.padded(task)).rec"
    }

    func documentCountPath(_ task: Int) -> String { taskFile("counts", task) }
    func decisionsPath(_ task: Int) -> String { taskFile("decisions", task) }
    var examplesFolder: String { root + "/examples" }

    /// The hint of every error about a missing or damaged file of phase 1 (collect).
    var rerunCollect: String {
        "\(stepName)'s first pass left this file missing or damaged; run the same command with --restart to redo the run"
    }

    /// The hint of every error about a missing or damaged file of phase 2 (merge).
    var rerunResolve: String {
        "\(stepName)'s merge left this file missing or damaged; delete \(root)/report.json and run the same command again to redo the merge"
    }

    func createFolders(_ names: String...) throws(CorpusError) {
        for name in names { try FileSystem.createDirectory(root + "/" + name) }
    }

    /// Each task's counts as phase 1 wrote them: documents seen, then one step-specific count.
    struct TaskCounts {
        /// The global number of each task's first document (tasks in plan order).
        var offsets: [Int] = []
        var documents: [Int] = []
        /// The sum of the step-specific counts.
        var extra = 0
        var total: Int { documents.reduce(0, +) }
    }

    func writeCounts(documents: Int, extra: Int, task: Int) throws(CorpusError) {
        try createFolders("counts")
        try RecordFile.write([UInt64(documents), UInt64(extra)], kind: Kind.documentCount.rawValue, to: documentCountPath(task))
    }

    func readCounts(taskCount: Int) throws(CorpusError) -> TaskCounts {
        var counts = TaskCounts()
        var total = 0
        for task in 0..<taskCount {
            let records = try RecordFile.read(UInt64.self, kind: Kind.documentCount.rawValue, from: documentCountPath(task), rerun: rerunCollect)
            guard records.count == 2 else {
                throw CorpusError(.damagedPhaseFile, path: documentCountPath(task), message: "expected two counts", hint: rerunCollect)
            }
            counts.offsets.append(total)
            counts.documents.append(Int(records[0]))
            counts.extra += Int(records[1])
            total += Int(records[0])
        }
        return counts
    }

    static func padded(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 5 - text.count)) + text
    }
}
