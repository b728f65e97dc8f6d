import Corpus
import Foundation
import Testing
@testable import Execution

@Suite struct ResumeTests {
    @Test func rerunSkipsCompletedTasksAndRedoesUnfinishedOnes() throws {
        let scratch = Scratch()
        let yaml = Fixtures.examplePipeline(output: scratch.path + "/run")
        let first = try runPipeline(yaml, folder: scratch.path)
        let reference = snapshot(scratch.path + "/run")

        // Simulate a crash in two tasks: marker gone, one shard renamed away, a stale .tmp left behind.
        let folder = RunFolder(root: scratch.path + "/run")
        let tasks = try TaskPlanner.plan(try PipelineLoader.parse(yaml, baseFolder: scratch.path))
        let victims = [tasks[0], tasks[3]]
        for task in victims {
            FileSystem.remove(folder.completionPath(task))
            let outputs = FileSystem.contents(of: "\(folder.outputFolder)/\(task.source)").filter { $0.hasPrefix(task.stem + "-") }
            FileSystem.remove("\(folder.outputFolder)/\(task.source)/\(outputs.last!)")
            _ = scratch.writeBytes("run/output/\(task.source)/\(task.stem)-00007.jsonl.zst.tmp", [1, 2, 3])
        }
        FileSystem.remove(folder.statsPath)

        let second = try runPipeline(yaml, folder: scratch.path)
        #expect(second.tasksRun == victims.count)
        #expect(second.total == first.total)
        #expect(snapshot(scratch.path + "/run") == reference)

        let third = try runPipeline(yaml, folder: scratch.path)
        #expect(third.tasksRun == 0)
    }

    @Test func changedPipelineIsRefusedUnlessRestarted() throws {
        let scratch = Scratch()
        try runPipeline(Fixtures.examplePipeline(output: scratch.path + "/run"), folder: scratch.path)
        let changed = Fixtures.examplePipeline(output: scratch.path + "/run", steps: "  - length: {min_words: 5}")
        #expect(throws: ExecutionError.self) { try runPipeline(changed, folder: scratch.path) }
        let restarted = try runPipeline(changed, folder: scratch.path, restart: true)
        #expect(restarted.tasksRun == restarted.tasks)
        #expect(restarted.steps == ["length-v1"])
    }

    /// Kills the real `syllabus` process with SIGKILL at several points, re-runs, and compares with an
    /// uninterrupted run: nothing lost, nothing duplicated, byte for byte.
    @Test func killedRunResumesToTheSameOutput() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("syllabus").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the syllabus product first (swift build)")
        let scratch = Scratch()
        for index in 0..<6 {
            scratch.write("in/part-\(index).jsonl", Fixtures.syntheticJSONL(count: 6000, seed: UInt64(10 + index), prefix: "p\(index)"))
        }
        func yaml(_ output: String) -> String {
            """
            inputs: {src: {paths: ["in/*.jsonl"]}}
            steps:
              - length: {min_words: 20}
              - sample: {fraction: 0.7}
            output: {path: \(output), compression: zstd, max_documents_per_shard: 700, keep_dropped: true}
            split_bytes: 512KiB
            workers: 2
            """
        }
        scratch.write("reference.yaml", yaml("reference"))
        scratch.write("killed.yaml", yaml("killed"))
        #expect(try runCommand(binary, ["curate", scratch.path + "/reference.yaml"]) == 0)
        let reference = snapshot(scratch.path + "/reference/output")
        #expect(!reference.isEmpty)

        var interrupted = 0
        for delay in [0.05, 0.15, 0.3, 0.5] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["curate", scratch.path + "/killed.yaml"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning { interrupted += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(interrupted > 0, "no run was interrupted; the input is too small for this machine")
        #expect(try runCommand(binary, ["curate", scratch.path + "/killed.yaml"]) == 0)
        let resumed = snapshot(scratch.path + "/killed/output")
        #expect(resumed.keys.sorted() == reference.keys.sorted())
        #expect(resumed == reference)
        let stats = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: URL(fileURLWithPath: scratch.path + "/killed/stats.json")))
        #expect(stats.total.read.documents.documents == 36000)
    }
}

func runCommand(_ binary: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
