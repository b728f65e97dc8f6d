import Corpus

extension BPETokenizer {
    /// Loads a Hugging Face `tokenizer.json` with a byte-level BPE model.
    ///
    /// Supported, as `tokenizers` runs them: model `BPE` (merges as "a b" strings or pairs, `ignore_merges`),
    /// normalizer none or `NFC`, pre-tokenizers `ByteLevel` (`add_prefix_space`, `use_regex`), `Split`
    /// (`Isolated`), `Digits` and `Sequence` of them, and added tokens (matched in text when special tokens
    /// are allowed). Anything else is refused by name rather than tokenized differently.
    /// With a `cache`, the built tokenizer is saved there and mapped back on the next load (`TokenizerCache`).
    public static func huggingFace(path: String, cache: TokenizerCache? = nil) throws(TokenizerError) -> BPETokenizer {
        let contents = try TokenizerFile.Contents(path)
        func build() throws(TokenizerError) -> BPETokenizer {
            let root: JSONValue
            do {
                root = try JSONValue(parsing: contents.array)
            } catch {
                throw TokenizerError(.malformed, path: path, message: "not valid JSON: \(error)")
            }
            do {
                return try HuggingFaceTokenizerReader(root: root, path: path).tokenizer()
            } catch {
                throw error.at(path)
            }
        }
        guard let cache else { return try build() }
        let key = contents.withBytes { TokenizerCache.key(source: $0, described: "tokenizer.json") }
        return try cache.tokenizer(key: key, name: path, build: build)
    }
}

/// Turns a parsed `tokenizer.json` into a `BPETokenizer`; every refusal names the key.
struct HuggingFaceTokenizerReader {
    let root: JSONValue
    let path: String

    func tokenizer() throws(TokenizerError) -> BPETokenizer {
        guard case .object = root else { throw malformed("the file is not a JSON object") }
        guard let model = root["model"], case .object = model else { throw malformed("no 'model' object") }
        let type = model["type"]?.stringValue ?? (model["merges"] != nil ? "BPE" : "?")
        guard type == "BPE" else {
            throw TokenizerError(.unsupported, message: "model.type is '\(type)'; Syllabus reads BPE models only",
                                 hint: "WordPiece, Unigram and WordLevel tokenizers are not byte-level BPE")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix", "dropout"] {
            if let value = model[key], value != .null, value != .string("") {
                throw TokenizerError(.unsupported, message: "model.\(key) = \(value.serialized()) is not supported")
            }
        }
        let ignoreMerges = model["ignore_merges"] == .bool(true)
        guard model["byte_fallback"] != .bool(true) else {
            throw TokenizerError(.unsupported, message: "model.byte_fallback is true: that is a SentencePiece-style BPE, not byte-level")
        }

        guard case let .object(vocabEntries)? = model["vocab"] else { throw malformed("model.vocab is missing or not an object") }
        var vocabulary = TokenBytesTable(capacity: vocabEntries.count)
        var idOfToken: [String: UInt32] = [:]
        idOfToken.reserveCapacity(vocabEntries.count)
        let added = try addedTokens()
        for (token, value) in vocabEntries {
            guard let id = value.intValue, id >= 0, id <= Int(UInt32.max) else {
                throw malformed("model.vocab['\(token)'] is not a token id")
            }
            idOfToken[token] = UInt32(id)
            if let raw = ByteLevelAlphabet.bytes(of: token) {
                vocabulary.insert(raw, value: UInt32(id))
            } else if added[token] == nil {
                throw TokenizerError(.unsupported, message: "model.vocab['\(token)'] has characters outside the byte-level alphabet",
                                     hint: "only byte-level BPE vocabularies (GPT-2 style) are supported")
            }
        }

        guard let mergesValue = model["merges"], case let .array(mergeList) = mergesValue else {
            throw malformed("model.merges is missing: a BPE model needs its merges list")
        }
        var merges = PairMergeTable(capacity: mergeList.count)
        for (rank, entry) in mergeList.enumerated() {
            let pair: (String, String)
            switch entry {
            case let .string(s):
                let parts = s.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw malformed("model.merges[\(rank)] = '\(s)' is not 'LEFT RIGHT'") }
                pair = (String(parts[0]), String(parts[1]))
            case let .array(items) where items.count == 2:
                guard let a = items[0].stringValue, let b = items[1].stringValue else {
                    throw malformed("model.merges[\(rank)] is not a pair of strings")
                }
                pair = (a, b)
            default:
                throw malformed("model.merges[\(rank)] is neither 'LEFT RIGHT' nor [LEFT, RIGHT]")
            }
            guard let left = idOfToken[pair.0], let right = idOfToken[pair.1] else {
                throw malformed("model.merges[\(rank)]: '\(idOfToken[pair.0] == nil ? pair.0 : pair.1)' is not in model.vocab")
            }
            guard let merged = idOfToken[pair.0 + pair.1] else {
                throw malformed("model.merges[\(rank)]: the merged token '\(pair.0 + pair.1)' is not in model.vocab")
            }
            merges.insert(left: left, right: right, merge: .init(rank: UInt32(rank), merged: merged))
        }

        var missingBytes = BPETokenizer.MissingBytes.skip
        if let unk = model["unk_token"]?.stringValue {
            guard let id = idOfToken[unk] else { throw malformed("model.unk_token '\(unk)' is not in model.vocab") }
            guard model["fuse_unk"] != .bool(true) else {
                throw TokenizerError(.unsupported, message: "model.fuse_unk is not supported")
            }
            missingBytes = .unknown(id)
        }
        return try BPETokenizer(
            name: path, vocabulary: vocabulary, rules: .mergeList(merges), wholePieceLookup: ignoreMerges,
            stages: try preTokenizerStages(root["pre_tokenizer"], key: "pre_tokenizer"),
            normalization: try normalization(root["normalizer"], key: "normalizer"),
            specialTokens: added, missingBytes: missingBytes)
    }

    private func malformed(_ message: String) -> TokenizerError {
        TokenizerError(.malformed, message: message)
    }

    private func addedTokens() throws(TokenizerError) -> [String: UInt32] {
        guard let value = root["added_tokens"], value != .null else { return [:] }
        guard case let .array(items) = value else { throw malformed("added_tokens is not a list") }
        var result: [String: UInt32] = [:]
        for (index, item) in items.enumerated() {
            guard let content = item["content"]?.stringValue, let id = item["id"]?.intValue, id >= 0 else {
                throw malformed("added_tokens[\(index)] needs 'id' and 'content'")
            }
            for flag in ["single_word", "lstrip", "rstrip"] where item[flag] == .bool(true) {
                throw TokenizerError(.unsupported, message: "added_tokens[\(index)] ('\(content)') sets \(flag), which is not supported")
            }
            result[content] = UInt32(id)
        }
        return result
    }

    private func normalization(_ value: JSONValue?, key: String) throws(TokenizerError) -> BPETokenizer.Normalization {
        guard let value, value != .null else { return .none }
        switch value["type"]?.stringValue {
        case "NFC": return .nfc
        case "Sequence":
            guard case let .array(items)? = value["normalizers"] else { throw malformed("\(key).normalizers is not a list") }
            var result = BPETokenizer.Normalization.none
            for (i, item) in items.enumerated() {
                if case .nfc = try normalization(item, key: "\(key).normalizers[\(i)]") { result = .nfc }
            }
            return result
        case let other:
            throw TokenizerError(.unsupported, message: "\(key).type '\(other ?? "?")' is not supported (only NFC)")
        }
    }

    private func preTokenizerStages(_ value: JSONValue?, key: String) throws(TokenizerError) -> [PreTokenizerStage] {
        guard let value, value != .null else {
            throw TokenizerError(.unsupported, message: "\(key) is null: a byte-level BPE model needs a ByteLevel pre-tokenizer")
        }
        var stages: [PreTokenizerStage] = []
        var sawByteLevel = false
        try appendStages(value, key: key, into: &stages, sawByteLevel: &sawByteLevel)
        guard sawByteLevel else {
            throw TokenizerError(.unsupported, message: "\(key) has no ByteLevel step: not a byte-level BPE tokenizer")
        }
        return stages
    }

    private func appendStages(_ value: JSONValue, key: String, into stages: inout [PreTokenizerStage], sawByteLevel: inout Bool) throws(TokenizerError) {
        switch value["type"]?.stringValue {
        case "Sequence":
            guard case let .array(items)? = value["pretokenizers"] else { throw malformed("\(key).pretokenizers is not a list") }
            for (i, item) in items.enumerated() {
                try appendStages(item, key: "\(key).pretokenizers[\(i)]", into: &stages, sawByteLevel: &sawByteLevel)
            }
        case "ByteLevel":
            sawByteLevel = true
            if value["add_prefix_space"] == .bool(true) { stages.append(.prefixSpace) }
            if value["use_regex"] != .bool(false) { stages.append(.split(try SplitPattern(TiktokenPreset.gpt2.pattern))) }
        case "Digits":
            stages.append(.digits(individual: value["individual_digits"] == .bool(true)))
        case "Split":
            let behavior = value["behavior"]?.stringValue ?? "Isolated"
            guard behavior == "Isolated", value["invert"] != .bool(true) else {
                throw TokenizerError(.unsupported, message: "\(key): Split with behavior '\(behavior)'\(value["invert"] == .bool(true) ? " and invert" : "") is not supported (only Isolated)")
            }
            if let regex = value["pattern"]?["Regex"]?.stringValue {
                stages.append(.split(try SplitPattern(regex)))
            } else if let literal = value["pattern"]?["String"]?.stringValue {
                stages.append(.split(try SplitPattern(#"\Q"# + literal + #"\E"#)))
            } else {
                throw malformed("\(key).pattern needs 'Regex' or 'String'")
            }
        case let other:
            throw TokenizerError(.unsupported, message: "\(key).type '\(other ?? "?")' is not supported",
                                 hint: "supported pre-tokenizers: ByteLevel, Split (Isolated), Digits, Sequence")
        }
    }
}
