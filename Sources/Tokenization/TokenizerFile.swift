import Corpus

/// Reads a whole tokenizer file, decompressing `.gz`/`.zst` as its name says.
enum TokenizerFile {
    static func read(_ path: String) throws(TokenizerError) -> [UInt8] {
        do throws(CorpusError) {
            // The file's size: the whole of a plain file, a start for a compressed one.
            return try FileSystem.readAll(Compression.openForReading(path), expectedSize: FileSystem.fileSize(path) ?? 0)
        } catch {
            throw TokenizerError(.cannotRead, path: path, message: error.message, hint: error.hint)
        }
    }

    /// The name without compression suffixes: `qwen.tiktoken.zst` → `qwen.tiktoken`.
    static func baseName(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".zst", ".zstd", ".gz"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return name
    }
}
