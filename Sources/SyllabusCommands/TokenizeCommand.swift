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
            """)

    @OptionGroup var model: TokenizerOptions

    @Flag(help: "Match special tokens (e.g. <|endoftext|>) written in the text.")
    var allowSpecial = false

    @Option(help: "Worker threads (default: one per core).")
    var workers: Int?

    @Option(help: "The field holding the text.")
    var textField = "text"

    @Option(help: "The field holding the id.")
    var idField = "id"

    @Argument(help: "Input JSONL files or globs, then the output file (.jsonl, .jsonl.zst, .jsonl.gz).")
    var paths: [String]

    func run() throws {
        guard paths.count >= 2 else { throw ValidationError("give at least one input and the output file") }
        do {
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
        } catch let error as TokenizerError {
            throw CommandFailure.report(error, code: 2)
        } catch let error as CorpusError {
            throw CommandFailure.report(error, code: 1)
        }
    }
}
