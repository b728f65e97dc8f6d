import Corpus
import Foundation
@testable import Execution

/// A temporary folder for one test, removed when the value is released.
final class Scratch {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-test-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func writeBytes(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: full, contents: Data(bytes)), "cannot write \(full)")
        return full
    }
}

enum Fixtures {
    /// The repository root (two levels above this file's folder).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var examples: String { repository + "/examples/data" }

    /// A pipeline over the bundled example data, with output in `output`.
    static func examplePipeline(output: String, steps: String = defaultSteps, extra: String = "") -> String {
        """
        name: test
        inputs:
          web: {paths: ["\(examples)/web/*.jsonl"]}
          qa: {paths: ["\(examples)/qa/*.jsonl.zst"]}
          zh: {paths: ["\(examples)/zh/*.jsonl.gz"]}
          books: {paths: ["\(examples)/books/*.jsonl.zst"]}
        steps:
        \(steps)
        output:
          path: \(output)
          compression: zstd
          max_documents_per_shard: 100
          keep_dropped: true
        \(extra)
        """
    }

    static let defaultSteps = """
          - length: {min_words: 40, max_characters: 200000}
          - sample: {fraction: 0.8, seed: 3}
        """

    /// Synthetic JSONL: `count` documents with varied lengths and a few extra fields.
    static func syntheticJSONL(count: Int, seed: UInt64 = 1, prefix: String = "doc") -> String {
        var generator = SeededGenerator(seed: seed)
        let words = ["alpha", "beta", "gamma", "delta", "数据", "模型", "épsilon", "zeta\"quoted\"", "tab\there", "line\nbreak"]
        var lines: [String] = []
        for index in 0..<count {
            let length = Int(generator.next() % 120) + 1
            let text = (0..<length).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
            let record: [String: Any] = ["id": "\(prefix)-\(index)", "text": text, "n": index, "tags": ["x", index % 3]]
            let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// SplitMix64: a small deterministic generator for test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs a pipeline given as YAML text (relative paths resolve against `folder`).
@discardableResult
func runPipeline(_ yaml: String, folder: String, workers: Int? = nil, restart: Bool = false) throws -> RunSummary {
    let config = try PipelineLoader.parse(yaml, baseFolder: folder)
    let tasks = try TaskPlanner.plan(config)
    return try LocalExecutor(config: config, tasks: tasks, workers: workers).run(restart: restart)
}

/// Every file under `folder` (recursively) with its bytes, by relative path.
func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = enumerator.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let full = folder + "/" + relative
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = FileManager.default.contents(atPath: full)
        }
    }
    return files
}

/// All records of the JSONL files under `folder`, in file-name order, decompressed.
func records(under folder: String) throws -> [String] {
    var lines: [String] = []
    for file in Glob.expand(folder + "/**/*.jsonl*") where !file.hasSuffix(".tmp") {
        let reader = try JSONLReader(path: file)
        let encoder = DocumentEncoder()
        while let entry = try reader.next() {
            if case let .document(document) = entry {
                var out: [UInt8] = []
                encoder.append(document, to: &out)
                lines.append(String(decoding: out, as: UTF8.self))
            }
        }
    }
    return lines
}
