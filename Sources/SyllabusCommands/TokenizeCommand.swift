import ArgumentParser
import Corpus
import Execution
import Foundation
import Tokenization

/// `syllabus tokenize --tokenizer FILE IN… OUT`: token ids of each document, for checking.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Write each document's token ids as JSONL ({\"id\":…,\"ids\":[…]}).",
        discussion: """
            TOKENIZER is a Hugging Face tokenizer.json or a tiktoken rank file (.tiktoken), optionally \
            .zst/.gz-compressed. A rank file named cl100k_base / o200k_base / qwen* gets its split pattern \
            and special tokens from the name; otherwise give --pattern (a preset name or a regex). \
            Special tokens written in the text are plain text unless --allow-special.

            Example:
              syllabus tokenize --tokenizer qwen.tiktoken examples/data/web/c4_en_sample.jsonl ids.jsonl
              syllabus tokenize --tokenizer smollm2.tokenizer.json 'data/*.jsonl.zst' ids.jsonl.zst

            --encode-only measures the encoders alone and writes nothing: the inputs (all of them are \
            inputs then) are read into memory, and each of --passes passes encodes every document on \
            --workers threads, printing MB/s of text and tokens/s. Compare it with another tokenizer's \
            in-process encode loop:
              syllabus tokenize --tokenizer qwen.tiktoken --encode-only --workers 1 --passes 3 corpus.jsonl
            With --worker-counts 1,2 instead of --workers, every pass encodes once per count (the order \
            alternating from pass to pass) and the last line gives each count's speed-up over the first: \
            the median over the passes after the first of the time ratio within a pass. Each pass starts \
            with fresh encoders, as a new run does; --warm keeps them (and the pieces they have cached) \
            from pass to pass, so the passes after the first measure a long job's steady state.
            """)

    @OptionGroup var model: TokenizerOptions

    @Flag(help: "Match special tokens (e.g. <|endoftext|>) written in the text.")
    var allowSpecial = false

    @Option(help: "Worker threads (default: one per core).")
    var workers: Int?

    @Flag(help: "Time the encoders alone on the inputs, read into memory first; write nothing.")
    var encodeOnly = false

    @Option(help: "With --encode-only: how many times to encode the inputs (each pass with fresh encoders, unless --warm).")
    var passes = 1

    @Option(name: .customLong("worker-counts"), parsing: .unconditional,
            help: "With --encode-only: encode with each of these thread counts in every pass (e.g. 1,2) and print the speed-ups.")
    var workerCounts: String?

    @Flag(help: "With --encode-only: keep the encoders, and their piece caches, from pass to pass (pass 1 warms them): the steady state of a long job.")
    var warm = false

    @Option(name: .customLong("max-mb"), help: "With --encode-only: read at most this many MB of text (10^6 bytes; default 512), kept in memory.")
    var maxMB: Int?

    @Option(help: "The field holding the text.")
    var textField = "text"

    @Option(help: "The field holding the id.")
    var idField = "id"

    @Argument(help: "Input JSONL files or globs, then the output file (.jsonl, .jsonl.zst, .jsonl.gz); with --encode-only, inputs only.")
    var paths: [String]

    func validate() throws {
        if encodeOnly {
            guard !paths.isEmpty else { throw ValidationError("give at least one input") }
            guard passes >= 1 else { throw ValidationError("--passes must be at least 1") }
            if let maxMB, maxMB < 1 { throw ValidationError("--max-mb must be at least 1") }
            if workerCounts != nil {
                guard workers == nil else { throw ValidationError("give --workers or --worker-counts, not both") }
                _ = try parsedWorkerCounts()
            }
        } else {
            guard paths.count >= 2 else { throw ValidationError("give at least one input and the output file") }
            guard passes == 1, maxMB == nil, workerCounts == nil, !warm else {
                throw ValidationError("--passes, --max-mb, --worker-counts and --warm go with --encode-only")
            }
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    /// `--worker-counts`: distinct counts of at least 1, comma-separated.
    private func parsedWorkerCounts() throws -> [Int]? {
        guard let workerCounts else { return nil }
        let counts = workerCounts.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard counts.allSatisfy({ ($0 ?? 0) >= 1 }), Set(counts).count == counts.count, !counts.isEmpty else {
            throw ValidationError("--worker-counts takes distinct thread counts of at least 1, comma-separated (e.g. 1,2); got '\(workerCounts)'")
        }
        return counts.map { $0! }
    }

    func run() throws {
        do {
            if encodeOnly { try measureEncoding() } else { try tokenize() }
        } catch let error as TokenizerError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }

    private func tokenize() throws {
        let inputs = try InputFiles.resolve(Array(paths.dropLast()))
        let model = try self.model.load()
        var job = TokenizeJob(tokenizer: model, inputs: inputs, output: paths.last!,
                              workers: workers ?? ProcessInfo.processInfo.activeProcessorCount)
        job.allowSpecial = allowSpecial
        job.format = RecordFormat(textField: textField, idField: idField)
        let started = Date()
        let summary = try job.run()
        let seconds = Date().timeIntervalSince(started)
        FileHandle.standardError.write(Data("tokenize: \(summary.documents) documents, \(summary.tokens) tokens, \(String(format: "%.1f", Double(summary.textBytes) / 1e6 / max(seconds, 1e-9))) MB/s of text\n".utf8))
    }

    /// `--encode-only`: one line per pass on standard error, `encode-only: …`.
    private func measureEncoding() throws {
        let inputs = try InputFiles.resolve(paths)
        let model = try self.model.load()
        let counts = try parsedWorkerCounts() ?? [workers ?? ProcessInfo.processInfo.activeProcessorCount]
        var job = EncodeOnlyJob(tokenizer: model, inputs: inputs, workerCounts: counts)
        job.allowSpecial = allowSpecial
        job.format = RecordFormat(textField: textField, idField: idField)
        job.passes = passes
        job.warm = warm
        let maxMB = self.maxMB ?? 512
        job.maxTextBytes = maxMB * 1_000_000
        let (documents, complete) = try job.loadDocuments()
        if !complete {
            FileHandle.standardError.write(Data("encode-only: read the first \(documents.count) documents (\(maxMB) MB of text, --max-mb); the rest of the inputs is left out\n".utf8))
        }
        let runs = try job.run(documents: documents)
        for pass in runs {
            let line = "encode-only pass \(pass.pass)/\(passes): \(pass.documents) documents, \(pass.tokens) tokens, "
                + "\(String(format: "%.4f", pass.seconds)) s, \(String(format: "%.4f", pass.cpuSeconds)) s of CPU, "
                + "\(String(format: "%.1f", pass.megabytesPerSecond)) MB/s of text, "
                + "\(String(format: "%.2f", pass.tokensPerSecond / 1e6)) M tokens/s, \(pass.piecesMerged) pieces merged, "
                + "\(pass.workers) workers\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        for speedup in job.speedups(runs) {
            let line = "encode-only speed-up of \(speedup.workers) workers over \(speedup.baseWorkers): "
                + "\(String(format: "%.2f", speedup.median))x (median of \(speedup.passes) passes; \(String(format: "%.2f", speedup.lowest))-"
                + "\(String(format: "%.2f", speedup.highest))x\(passes > 1 ? "; pass 1 warms up and is left out" : "")"
                + "\(warm ? "; encoders kept warm from pass to pass" : ""))\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
