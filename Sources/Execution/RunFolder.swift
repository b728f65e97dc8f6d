import Corpus
import Foundation

/// The layout of a run's folder, and the bookkeeping that makes runs resumable.
///
/// ```
/// RUN/run.json                      pipeline digest and task plan (a rerun must match it)
/// RUN/output/SOURCE/STEM-00000.jsonl.zst
/// RUN/dropped/SOURCE/STEM-00000.jsonl.zst   (with `keep_dropped: true`)
/// RUN/completions/SOURCE/STEM.json  a task's stats; written last, so its presence means "done"
/// RUN/stats.json                    totals, written when every task is done
/// RUN/phases/NN-STEP/               a corpus-wide step (NN = its position in `steps`):
///     documents/SOURCE/…            what reached it, for the pass after the merge (deleted at the end)
///     completions/SOURCE/STEM.json  a task's pass up to the step
///     report.json                   the merge's findings; its presence means the merge is done
///     …                             the step's own files (hashes, signatures, decisions)
/// ```
public struct RunFolder: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    public var outputFolder: String { root + "/output" }
    public var droppedFolder: String { root + "/dropped" }
    public var completionsFolder: String { root + "/completions" }
    public var statsPath: String { root + "/stats.json" }
    public var manifestPath: String { root + "/run.json" }
    public var phasesFolder: String { root + "/phases" }

    /// The folder of the corpus-wide step at `stepIndex` (named after it, e.g. `phases/02-exact_dedup`).
    func phaseFolder(stepIndex: Int, name: String) -> String {
        "\(phasesFolder)/\(TaskPlanner.paddedIndex(stepIndex, width: 2))-\(name)"
    }

    /// Where a task's pass ending at a corpus-wide step records that it is done.
    func phaseCompletionPath(_ task: PipelineTask, phaseFolder: String) -> String {
        "\(phaseFolder)/completions/\(task.source)/\(task.stem).json"
    }

    public func completionPath(_ task: PipelineTask) -> String {
        "\(completionsFolder)/\(task.source)/\(task.stem).json"
    }

    struct Manifest: Codable, Equatable {
        struct PlannedTask: Codable, Equatable {
            var id: String
            var path: String
            var range: [Int]?
        }

        var pipeline: String
        var digest: String
        var tasks: [PlannedTask]
    }

    /// Creates the folder, or checks that an existing one belongs to this pipeline and plan.
    /// `restart` deletes an earlier run's results first.
    func prepare(config: PipelineConfig, tasks: [PipelineTask], restart: Bool) throws {
        if restart { try removeResults() }
        try FileSystem.createDirectory(root)
        let manifest = Manifest(
            pipeline: config.name, digest: config.digest,
            tasks: tasks.map { .init(id: $0.id, path: $0.path, range: $0.range.map { [$0.lowerBound, $0.upperBound] }) })
        if FileSystem.exists(manifestPath) {
            let data = try FileSystem.readFile(manifestPath)
            guard let existing = try? JSONDecoder().decode(Manifest.self, from: Data(data)) else {
                throw ExecutionError.runChanged(folder: root, detail: "run.json is unreadable")
            }
            if existing.digest != manifest.digest {
                throw ExecutionError.runChanged(folder: root, detail: "the pipeline's inputs, steps or output options changed")
            }
            if existing.tasks != manifest.tasks {
                throw ExecutionError.runChanged(folder: root, detail: "the input files matched by the globs changed")
            }
            return
        }
        try FileSystem.writeAtomically(Array(try JSONEncoder.syllabus.encode(manifest)), to: manifestPath)
    }

    func removeResults() throws {
        for folder in [outputFolder, droppedFolder, completionsFolder, phasesFolder] where FileSystem.exists(folder) {
            try FileManager.default.removeItem(atPath: folder)
        }
        for file in [statsPath, manifestPath] { FileSystem.remove(file) }
    }

    func completedResult(_ task: PipelineTask) -> TaskResult? {
        completedResult(at: completionPath(task))
    }

    func completedResult(at path: String) -> TaskResult? {
        guard let data = try? FileSystem.readFile(path) else { return nil }
        return try? JSONDecoder().decode(TaskResult.self, from: Data(data))
    }

    /// Deletes whatever an interrupted attempt at `task` left: finished or temporary shards named `stem-NNNNN…`
    /// in `folders` (the output and dropped folders by default).
    func removePartialOutputs(_ task: PipelineTask, stem: String? = nil, folders: [String]? = nil) {
        for folder in folders ?? [outputFolder, droppedFolder] {
            let directory = "\(folder)/\(task.source)"
            let prefix = (stem ?? task.stem) + "-"
            for name in FileSystem.contents(of: directory) where name.hasPrefix(prefix) && Self.isShardSuffix(name.dropFirst(prefix.count)) {
                FileSystem.remove(directory + "/" + name)
            }
        }
    }

    /// `00000.jsonl.zst` or `00000.jsonl.zst.tmp`: five digits, then a JSONL suffix.
    static func isShardSuffix(_ rest: Substring) -> Bool {
        let digits = rest.prefix(5)
        return digits.count == 5 && digits.allSatisfy(\.isNumber) && rest.dropFirst(5).hasPrefix(".jsonl")
    }

    func writeCompletion(_ result: TaskResult, for task: PipelineTask) throws {
        try writeCompletion(result, to: completionPath(task))
    }

    func writeCompletion(_ result: TaskResult, to path: String) throws {
        try FileSystem.createDirectory(String(path[..<path.lastIndex(of: "/")!]))
        try FileSystem.writeAtomically(Array(try JSONEncoder.syllabus.encode(result)), to: path)
    }

    func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}

extension JSONEncoder {
    /// Sorted keys and indentation: the same data always gives the same bytes.
    static var syllabus: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
