import ArgumentParser
import Corpus
import Execution
import Curriculum
import Foundation
import Tokenization

/// `syllabus pack`: documents → Megatron-LM `.bin`/`.idx` training files.
struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Tokenize documents into a Megatron-LM indexed dataset (PREFIX.bin + PREFIX.idx).",
        discussion: """
            Each document becomes one sequence: [BOS] tokens EOS. EOS defaults to the tokenizer's \
            <|endoftext|>; the token type is uint16 below 65,500 ids, else int32 (Megatron's choice). \
            INPUT is a JSONL file (.jsonl, .gz, .zst), a glob, or a folder (a curate run folder packs its \
            output/). Writes PREFIX.bin, PREFIX.idx and PREFIX.stats.json; the same files for any --workers. \
            Megatron-LM, NeMo and Megatron-DeepSpeed read them with --data-path PREFIX.

            With --stage N, INPUT is a plan's output folder (or the plan file): the stage's manifest is \
            packed in manifest order (the curriculum's order), each listed record tokenized once, checked \
            against the manifest's id; the Megatron arguments for it are printed.

            Examples:
              syllabus pack --tokenizer qwen.tiktoken runs/example --output runs/example-packed/web
              syllabus pack --tokenizer qwen.tiktoken --stage 1 runs/example-plan --output runs/example-packed/stage-1
            """)

    @OptionGroup var model: TokenizerOptions

    @Option(help: "Output path prefix (PREFIX.bin, PREFIX.idx).")
    var output: String

    @Option(help: "The end-of-document token (text of a special token, or an id).")
    var eos: String?

    @Flag(help: "Do not append an end-of-document token.")
    var noEos = false

    @Option(help: "A beginning-of-document token to prepend (text of a special token, or an id).")
    var bos: String?

    @Option(help: "Token type: auto, uint16, int32.")
    var dtype = "auto"

    @Option(help: "Leave out documents with fewer tokens than this (counted in the stats).")
    var minTokens = 0

    @Option(help: "Worker threads (default: one per core).")
    var workers: Int?

    @Option(help: "The field holding the text.")
    var textField = "text"

    @Option(help: "Pack this stage (1-based) of the plan whose output folder (or plan file) is the input.")
    var stage: Int?

    @Argument(help: "Input JSONL files, globs, or folders; with --stage, the plan's output folder or plan file.")
    var inputs: [String]

    func run() throws {
        if let stage {
            return try runStage(stage)
        }
        do {
            let model = try self.model.load()
            var job = PackJob(tokenizer: model, inputs: try InputFiles.resolve(inputs), outputPrefix: output,
                              workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
            job.format = RecordFormat(textField: textField)
            job.minTokens = minTokens
            try applyTrainingFileOptions(model, eos: &job.eos, bos: &job.bos, dtype: &job.dtype)
            let counters = ProgressCounters(totalTasks: job.inputs.count,
                                            totalFileBytes: job.inputs.reduce(0) { $0 + (FileSystem.fileSize($1) ?? 0) })
            let started = Date()
            let summary = try ProgressDisplay.showing(counters, label: "pack") { try job.run(progress: counters) }
            let seconds = Date().timeIntervalSince(started)
            print("packed \(summary.documentsPacked) of \(summary.documentsIn) documents, \(summary.tokens) tokens (\(summary.dtype)) into \(output).bin/.idx")
            for (reason, count) in summary.dropped.sorted(by: { $0.key < $1.key }) { print("  dropped \(count): \(reason)") }
            print(String(format: "  %.1f MB of text in %.2f s (%.1f MB/s)", Double(summary.textBytes) / 1e6, seconds, Double(summary.textBytes) / 1e6 / max(seconds, 1e-9)))
        } catch let error as TokenizerError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }

    private func runStage(_ stage: Int) throws {
        do {
            guard inputs.count == 1 else { throw ValidationError("--stage takes one input: the plan's output folder or the plan file") }
            var folder = inputs[0]
            if folder.hasSuffix(".yaml") || folder.hasSuffix(".yml") {
                let plan = try CurriculumPlan.load(path: folder)
                folder = plan.outputFolder ?? "runs/\(plan.name)-plan"
            }
            let manifest = folder + "/" + StageManifest.fileName(stage: stage - 1)
            guard FileSystem.exists(manifest) else {
                throw ValidationError("\(manifest) does not exist: run `syllabus plan` first (stages are numbered from 1)")
            }
            let model = try self.model.load()
            var job = StagePackJob(tokenizer: model, manifest: manifest, outputPrefix: output,
                                   workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
            try applyTrainingFileOptions(model, eos: &job.eos, bos: &job.bos, dtype: &job.dtype)
            let counters = ProgressCounters(totalTasks: 0, totalFileBytes: 0)
            let summary = try ProgressDisplay.showing(counters, label: "pack stage \(stage)") { try job.run(progress: counters) }
            print("packed stage \(stage): \(summary.documents) documents (\(summary.distinctDocuments) distinct), \(summary.tokens) tokens (\(summary.dtype)) into \(output).bin/.idx in manifest order")
            if summary.tokenCountMismatches > 0 {
                print("  note: \(summary.tokenCountMismatches) document(s) have a different token count than the manifest's (planned with another tokenizer?)")
            }
            print("  Megatron-LM: \(StagePackJob.megatronArguments(prefix: output))")
            print("  (Megatron's GPTDataset shuffles documents within a dataset; to train in manifest order, disable that shuffle for this stage.)")
        } catch let error as TokenizerError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        } catch let error as PlanError {
            throw CommandFailure.report(error, code: 3)
        } catch let error as ConfigError {
            throw CommandFailure.report(error, code: 2)
        }
    }

    /// --eos / --no-eos / --bos / --dtype onto a job's fields, and the output's folder created.
    private func applyTrainingFileOptions(_ model: BPETokenizer, eos jobEOS: inout UInt32?, bos jobBOS: inout UInt32?,
                                          dtype jobDType: inout MegatronDType) throws {
        if noEos { jobEOS = nil } else if let eos { jobEOS = try token(eos, in: model, option: "--eos") }
        guard noEos || jobEOS != nil else {
            throw ValidationError("\(self.model.tokenizer) has no <|endoftext|>: name the end-of-document token with --eos, or pass --no-eos")
        }
        if let bos { jobBOS = try token(bos, in: model, option: "--bos") }
        switch dtype {
        case "auto": break
        case "uint16": jobDType = .uint16
        case "int32": jobDType = .int32
        default: throw ValidationError("--dtype must be auto, uint16 or int32")
        }
        let parent = (output as NSString).deletingLastPathComponent
        if !parent.isEmpty { try FileSystem.createDirectory(parent) }
    }

    private func token(_ text: String, in model: BPETokenizer, option: String) throws -> UInt32 {
        if let id = model.specialTokenID(text) { return id }
        if let id = UInt32(text), Int(id) < model.vocabularySize { return id }
        throw ValidationError("\(option) \(text): not a special token of \(self.model.tokenizer) nor an id below \(model.vocabularySize)")
    }
}
