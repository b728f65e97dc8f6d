import Corpus

/// Reads a whole tokenizer file, decompressing `.gz`/`.zst` as its name says.
enum TokenizerFile {
    /// A tokenizer file's bytes: an uncompressed regular file mapped, anything else read (decompressed).
    /// Every run hashes the file for its `TokenizerCache` key; reading Qwen's 2.5 MB into fresh memory
    /// for that was a page fault per 4 KiB and a copy, on the one thread every run waits for.
    struct Contents {
        private let mapped: MappedFile?
        private let read: [UInt8]

        init(_ path: String) throws(TokenizerError) {
            if Compression(inferredFrom: path) == .none {
                do throws(CorpusError) {
                    if let file = try MappedFile(path: path) {
                        mapped = file
                        read = []
                        return
                    }
                } catch {
                    throw TokenizerError(.cannotRead, path: path, message: error.message, hint: error.hint)
                }
            }
            mapped = nil
            read = try TokenizerFile.read(path)
        }

        func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
            if let mapped { return try body(mapped.bytes.bindMemory(to: UInt8.self)) }
            return try read.withUnsafeBufferPointer { (buffer) throws(E) in try body(buffer) }
        }

        /// The bytes as an array (a copy of a mapped file).
        var array: [UInt8] { mapped.map { Array($0.bytes) } ?? read }
    }

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
