extension BPETokenizer {
    /// Loads the tokenizer stored in a GGUF model's metadata (`tokenizer.ggml.*`, FORMATS.md §6.2).
    ///
    /// Byte-level BPE (`tokenizer.ggml.model = gpt2`) with the pre-tokenizers Syllabus knows by name:
    /// `smollm` (single digits, then GPT-2's split), `gpt-2`/`gpt2`. The result equals the
    /// `tokenizer.json` that `tools/reference/build_smollm2_tokenizer.py` makes from the same file:
    /// merges in order, control tokens (type 3) as special tokens, bytes without a token left out.
    /// A file carrying a whole `tokenizer.huggingface.json` is read from that.
    /// With a `cache`, the built tokenizer is saved there and mapped back on the next load
    /// (`TokenizerCache`), keyed by the file's metadata (`GGUFMetadata.hash`).
    public static func gguf(path: String, cache: TokenizerCache? = nil) throws(TokenizerError) -> BPETokenizer {
        guard let cache else { return try gguf(metadata: GGUFMetadata(path: path), path: path) }
        let key = TokenizerCache.key(sourceHash: try GGUFMetadata.hash(path: path), described: "gguf metadata")
        return try cache.tokenizer(key: key, name: path) { () throws(TokenizerError) in try gguf(metadata: GGUFMetadata(path: path), path: path) }
    }

    private static func gguf(metadata: GGUFMetadata, path: String) throws(TokenizerError) -> BPETokenizer {
        if let json = metadata.string("tokenizer.huggingface.json") {
            do {
                return try HuggingFaceTokenizerReader(root: try JSONValue(parsing: Array(json.utf8)), path: path).tokenizer()
            } catch let error as TokenizerError {
                throw error.at(path)
            } catch {
                throw TokenizerError(.malformed, path: path, message: "tokenizer.huggingface.json is not valid JSON: \(error)")
            }
        }
        guard let model = metadata.string("tokenizer.ggml.model") else {
            throw TokenizerError(.unsupported, path: path, message: "the GGUF file has no tokenizer metadata (no tokenizer.ggml.model)",
                                 hint: "use the model's tokenizer.json instead")
        }
        guard model == "gpt2" else {
            throw TokenizerError(.unsupported, path: path, message: "tokenizer.ggml.model is '\(model)'; only byte-level BPE ('gpt2') is read")
        }
        guard let tokens = metadata.strings("tokenizer.ggml.tokens") else {
            throw TokenizerError(.malformed, path: path, message: "tokenizer.ggml.tokens is missing")
        }
        guard let merges = metadata.strings("tokenizer.ggml.merges") else {
            throw TokenizerError(.malformed, path: path, message: "tokenizer.ggml.merges is missing: a BPE model needs its merges")
        }
        let types = metadata.integers("tokenizer.ggml.token_type") ?? []
        let pre = metadata.string("tokenizer.ggml.pre") ?? "default"
        let stages: [PreTokenizerStage]
        switch pre {
        case "smollm": stages = [.digits(individual: true), .split(try SplitPattern(TiktokenPreset.gpt2.pattern))]
        case "gpt-2", "gpt2", "default": stages = [.split(try SplitPattern(TiktokenPreset.gpt2.pattern))]
        default:
            throw TokenizerError(.unsupported, path: path, message: "tokenizer.ggml.pre is '\(pre)', a pre-tokenizer Syllabus does not know by name",
                                 hint: "use the model's tokenizer.json, which spells its pre-tokenizer out")
        }
        var vocabulary = TokenBytesTable(capacity: tokens.count)
        var idOfToken: [String: UInt32] = [:]
        idOfToken.reserveCapacity(tokens.count)
        var specials: [String: UInt32] = [:]
        for (id, token) in tokens.enumerated() {
            idOfToken[token] = UInt32(id)
            if id < types.count, types[id] == 3 { specials[token] = UInt32(id) }
            if let raw = ByteLevelAlphabet.bytes(of: token), !raw.isEmpty { vocabulary.insert(raw, value: UInt32(id)) }
        }
        var table = PairMergeTable(capacity: merges.count)
        for (rank, merge) in merges.enumerated() {
            // llama.cpp splits at the first space after the first character.
            let scalars = Array(merge.unicodeScalars)
            guard let space = scalars.dropFirst().firstIndex(of: " ") else {
                throw TokenizerError(.malformed, path: path, message: "tokenizer.ggml.merges[\(rank)] = '\(merge)' is not 'LEFT RIGHT'")
            }
            let left = String(String.UnicodeScalarView(scalars[..<space]))
            let right = String(String.UnicodeScalarView(scalars[(space + 1)...]))
            guard let l = idOfToken[left], let r = idOfToken[right], let m = idOfToken[left + right] else {
                throw TokenizerError(.malformed, path: path, message: "tokenizer.ggml.merges[\(rank)] ('\(merge)') names a token that is not in tokenizer.ggml.tokens")
            }
            table.insert(left: l, right: r, merge: .init(rank: UInt32(rank), merged: m))
        }
        return try BPETokenizer(name: path, vocabulary: vocabulary, rules: .mergeList(table), wholePieceLookup: false,
                                stages: stages, normalization: .none, specialTokens: specials, missingBytes: .skip)
    }
}

import Corpus
