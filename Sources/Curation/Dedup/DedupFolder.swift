import Corpus
import Foundation

/// Where a deduplication step keeps its files between phases, inside its phase folder.
struct DedupFolder {
    let root: String
    let stepName: String

    /// Record-file kinds, so that a file of one kind is never read as another.
    enum Kind: UInt32 {
        case documentCount = 1
        case exactKeys = 2
        case decisions = 3
        case bandKeys = 4
        case documentFacts = 5
        case shingles = 6
        case paragraphKeys = 7
        case frequentParagraphs = 8
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

    func writeDocumentCount(_ count: Int, task: Int) throws(CorpusError) {
        try FileSystem.createDirectory(root + "/counts")
        try RecordFile.write([UInt64(count)], kind: Kind.documentCount.rawValue, to: documentCountPath(task))
    }

    /// Each task's number of documents and the global number of its first one (tasks in plan order).
    func documentOffsets(taskCount: Int) throws(CorpusError) -> (counts: [Int], offsets: [Int]) {
        var counts: [Int] = []
        var offsets: [Int] = []
        var total = 0
        for task in 0..<taskCount {
            let records = try RecordFile.read(UInt64.self, kind: Kind.documentCount.rawValue, from: documentCountPath(task), rerun: rerunCollect)
            guard records.count == 1 else {
                throw CorpusError(.damagedPhaseFile, path: documentCountPath(task), message: "expected one count", hint: rerunCollect)
            }
            offsets.append(total)
            counts.append(Int(records[0]))
            total += Int(records[0])
        }
        return (counts, offsets)
    }

    static func padded(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 5 - text.count)) + text
    }
}
