extension BPETokenizer {
    /// Loads a tokenizer by its file: `*.json` (Hugging Face tokenizer.json), `*.gguf` (a llama.cpp model's
    /// tokenizer metadata), anything else as a tiktoken
    /// rank file (`*.tiktoken`), optionally compressed (`.zst`, `.gz`). `pattern` is a preset name
    /// (cl100k, o200k, qwen, gpt2) or a regex, for rank files whose name does not imply one. Built
    /// tokenizers are kept in `cache` when one is given (`TokenizerCache`).
    public static func load(path: String, pattern: String? = nil, cache: TokenizerCache? = nil) throws(TokenizerError) -> BPETokenizer {
        let name = TokenizerFile.baseName(path)
        if name.hasSuffix(".gguf") {
            if pattern != nil {
                throw TokenizerError(.unsupported, path: path, message: "a GGUF file names its own pre-tokenizer; --pattern applies to rank files only")
            }
            return try gguf(path: path, cache: cache)
        }
        if name.hasSuffix(".json") {
            if pattern != nil {
                throw TokenizerError(.unsupported, path: path, message: "a tokenizer.json carries its own pre-tokenizer; --pattern applies to rank files only")
            }
            return try huggingFace(path: path, cache: cache)
        }
        if let pattern, let preset = TiktokenPreset.named(pattern) {
            return try tiktoken(path: path, preset: preset, cache: cache)
        }
        return try tiktoken(path: path, pattern: pattern, cache: cache)
    }
}
