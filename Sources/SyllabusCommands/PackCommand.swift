import ArgumentParser
import Corpus
import Execution
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

            Example:
              syllabus pack --tokenizer qwen.tiktoken runs/example --output runs/example-packed/web
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

    @Argument(help: "Input JSONL files, globs, or folders.")
    var inputs: [String]

    func run() throws {
        do {
            let model = try self.model.load()
            var job = PackJob(tokenizer: model, inputs: try InputFiles.resolve(inputs), outputPrefix: output,
                              workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
            job.format = RecordFormat(textField: textField)
            job.minTokens = minTokens
            if noEos { job.eos = nil } else if let eos { job.eos = try token(eos, in: model, option: "--eos") }
            guard noEos || job.eos != nil else {
                throw ValidationError("\(self.model.tokenizer) has no <|endoftext|>: name the end-of-document token with --eos, or pass --no-eos")
            }
            if let bos { job.bos = try token(bos, in: model, option: "--bos") }
            switch dtype {
            case "auto": break
            case "uint16": job.dtype = .uint16
            case "int32": job.dtype = .int32
            default: throw ValidationError("--dtype must be auto, uint16 or int32")
            }
            let parent = (output as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                try FileSystem.createDirectory(parent)
            }
            let counters = ProgressCounters(totalTasks: job.inputs.count,
                                            totalFileBytes: job.inputs.reduce(0) { $0 + (FileSystem.fileSize($1) ?? 0) })
            let display = ProgressDisplay(counters: counters, label: "pack")
            display.start()
            let started = Date()
            let summary: PackJob.Summary
            do {
                summary = try job.run(progress: counters)
                display.stop()
            } catch {
                display.stop()
                throw error
            }
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

    private func token(_ text: String, in model: BPETokenizer, option: String) throws -> UInt32 {
        if let id = model.specialTokenID(text) { return id }
        if let id = UInt32(text), Int(id) < model.vocabularySize { return id }
        throw ValidationError("\(option) \(text): not a special token of \(self.model.tokenizer) nor an id below \(model.vocabularySize)")
    }
}
