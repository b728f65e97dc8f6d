import ArgumentParser
import Tokenization

/// `--tokenizer FILE [--pattern P]`, shared by the commands that encode text.
struct TokenizerOptions: ParsableArguments {
    @Option(help: """
        tokenizer.json, .tiktoken rank file (.zst/.gz allowed) or .gguf model. Built tokenizers are cached in \
        $SYLLABUS_CACHE_DIR, $XDG_CACHE_HOME/syllabus or ~/.cache/syllabus (SYLLABUS_CACHE_DIR=off: no cache).
        """)
    var tokenizer: String

    @Option(help: "Split pattern for a rank file: cl100k, o200k, qwen, gpt2, or a regex.")
    var pattern: String?

    func load() throws(TokenizerError) -> BPETokenizer {
        try BPETokenizer.load(path: tokenizer, pattern: pattern, cache: TokenizerCache.fromEnvironment())
    }
}
