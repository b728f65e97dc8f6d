import Corpus

/// Splits a pipeline's inputs into tasks: one per file, and byte ranges for large uncompressed files.
public enum TaskPlanner {
    public static func plan(_ config: PipelineConfig) throws(ConfigError) -> [PipelineTask] {
        var tasks: [PipelineTask] = []
        var claimed: [String: String] = [:]
        for input in config.inputs {
            var files: [String] = []
            for (index, pattern) in input.patterns.enumerated() {
                let matches = Glob.expand(pattern)
                guard !matches.isEmpty else {
                    throw ConfigError(keyPath: "\(input.keyPath).paths[\(index)]", location: nil,
                                      message: "'\(pattern)' matches no file; check the path (relative paths start at the pipeline file's folder)")
                }
                files += matches
            }
            files = Array(Set(files)).sorted()
            for (fileIndex, path) in files.enumerated() {
                if let other = claimed[path] {
                    throw ConfigError(keyPath: input.keyPath, location: nil,
                                      message: "'\(path)' is matched by both '\(other)' and '\(input.name)'; a file may belong to one source only")
                }
                claimed[path] = input.name
                let size = FileSystem.fileSize(path) ?? 0
                let stem = paddedIndex(fileIndex, width: 5) + "-" + fileStem(path)
                if Compression(inferredFrom: path) == .none, size > config.splitBytes {
                    let pieces = (size + config.splitBytes - 1) / config.splitBytes
                    let pieceSize = (size + pieces - 1) / pieces
                    for piece in 0..<pieces {
                        let lower = piece * pieceSize
                        let upper = min(size, lower + pieceSize)
                        tasks.append(PipelineTask(index: tasks.count, source: input.name, path: path, range: lower..<upper,
                                                  inputBytes: upper - lower, stem: stem + "-r" + paddedIndex(piece, width: 4)))
                    }
                } else {
                    tasks.append(PipelineTask(index: tasks.count, source: input.name, path: path, range: nil,
                                              inputBytes: size, stem: stem))
                }
            }
        }
        return tasks
    }

    /// The file name without folders and without `.jsonl`/`.json`/`.gz`/`.zst` extensions, made safe for file names.
    static func fileStem(_ path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        for suffix in [".gz", ".zst", ".zstd", ".jsonl", ".json", ".ndjson"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        let safe = name.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "." || c == "-") ? c : "_"
        }
        return String(safe.prefix(80))
    }

    static func paddedIndex(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
