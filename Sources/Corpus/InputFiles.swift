
/// Turns command-line inputs into JSONL files: a file as it is, a glob (`*`, `?`, `[..]`, `**`), or a
/// folder — every `.jsonl`, `.jsonl.gz`, `.jsonl.zst` below it, or below its `output/` when it is a
/// run folder. Files come back sorted within each input, inputs in the order given.
public enum InputFiles {
    public static func resolve(_ inputs: [String]) throws(CorpusError) -> [String] {
        var files: [String] = []
        for input in inputs {
            let found: [String]
            if FileSystem.isDirectory(input) {
                let root = FileSystem.isDirectory(input + "/output") && FileSystem.exists(input + "/run.json") ? input + "/output" : input
                found = Glob.expand(root + "/**").filter(isJSONL).sorted()
            } else if input.contains(where: { "*?[".contains($0) }) {
                found = Glob.expand(input).filter { !FileSystem.isDirectory($0) }.sorted()
            } else {
                guard FileSystem.exists(input) else {
                    throw CorpusError(.noInputs, path: input, message: "no such file or folder", hint: "check the path")
                }
                found = [input]
            }
            guard !found.isEmpty else {
                throw CorpusError(.noInputs, path: input, message: "matches no JSONL file", hint: "check the glob or folder")
            }
            files += found
        }
        return files
    }

    static func isJSONL(_ path: String) -> Bool {
        path.hasSuffix(".jsonl") || path.hasSuffix(".jsonl.gz") || path.hasSuffix(".jsonl.zst")
    }
}
