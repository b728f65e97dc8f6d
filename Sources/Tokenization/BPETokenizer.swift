import Foundation

/// A byte-level BPE tokenizer: tiktoken rank files and `tokenizer.json` BPE models (GPT-2, Llama 3,
/// Qwen2, SmolLM2 families), with exactly their reference libraries' ids.
///
/// The tokenizer is immutable and shared between threads; each thread encodes with its own
/// `TokenEncoder` (`makeEncoder()`), which holds the regex match state, merge scratch and a piece cache.
public final class BPETokenizer: Sendable {
    enum MergeRules: Sendable {
        /// tiktoken: merge two symbols when their bytes are a token; the lower rank first.
        case rankedBytes
        /// `tokenizer.json`: merge pairs listed in `merges`, in list order.
        case mergeList(PairMergeTable)
    }

    /// The vocabulary and merge list in memory of their own, for lock-free reads from every encoder.
    let frozenVocabulary: FrozenTokenBytesTable
    /// The merge list (`MergeRules.mergeList`); nil for ranked bytes (tiktoken's rule).
    let frozenMerges: FrozenPairMergeTable?
    /// For ranked vocabularies (tiktoken): every token prefix's hash, for `BacktrackingEncoder`.
    let frozenPrefixes: FrozenPrefixBits?
    /// For ranked vocabularies: tokens starting with a three-byte character, by character, for `BacktrackingEncoder`.
    let frozenCharTrie: FrozenCharTrie?

    enum Normalization: Sendable {
        case none
        case nfc
    }

    /// One bit per byte pair (x, y): some token's bytes hold x then y (8 KiB). Where a piece's two
    /// neighbouring bytes are no such pair, no merge ever joins symbols across them, so both sides merge
    /// exactly as they would alone (see `TokenEncoder.encodePiece`). Nil when a missing byte stands for
    /// the unknown token (its symbol's bytes are not the text's).
    let innerPairs: FrozenBits?

    /// Where the tokenizer came from (a file path or a preset name), for messages.
    public let name: String
    /// Regular tokens: bytes → id, as loaded (nil when the tables were mapped from `TokenizerCache`).
    let vocabulary: TokenBytesTable?
    /// Each single byte's id (`unknownByte` for a byte the vocabulary lacks).
    let byteIDs: [UInt32]
    /// Bytes the vocabulary has no token for and no unknown token to stand in: `tokenizers` leaves them
    /// out of the piece (they are control characters in real vocabularies, e.g. SmolLM2 lacks 0x04).
    let skippedBytes: [Bool]
    let skipsBytes: Bool
    static let unknownByte = UInt32.max
    /// Emit a piece that is itself a token without merging (tiktoken always; `ignore_merges` in tokenizer.json).
    let wholePieceLookup: Bool
    let stages: [PreTokenizerStage]
    let normalization: Normalization
    /// Special (added) tokens: text → id. Matched in text only when the caller allows it.
    public let specialTokens: [String: UInt32]
    /// Id → bytes, for decoding (regular and special tokens): id i's bytes are
    /// `tokenArena[tokenOffsets[i]..<tokenOffsets[i + 1]]`, empty for an id without a token. One arena,
    /// not an array per token: allocating and freeing 150k arrays was a fifth of `tokenize`'s start-up.
    let tokenArena: [UInt8]
    let tokenOffsets: [UInt32]
    /// One past the largest id.
    public let vocabularySize: Int

    /// How bytes without a token of their own are handled.
    enum MissingBytes: Sendable {
        /// Refuse the vocabulary (tiktoken rank files always have all 256).
        case refuse
        /// Use the unknown token's id.
        case unknown(UInt32)
        /// Leave them out, as `tokenizers` does when the model has no `unk_token`.
        case skip
    }

    init(name: String, vocabulary: TokenBytesTable, rules: MergeRules, wholePieceLookup: Bool,
         stages: [PreTokenizerStage], normalization: Normalization, specialTokens: [String: UInt32],
         missingBytes: MissingBytes = .refuse) throws(TokenizerError) {
        guard !vocabulary.hasOversized else {
            throw TokenizerError(.unsupported, message: "the vocabulary has tokens longer than 255 bytes, which Syllabus does not support")
        }
        self.name = name
        self.vocabulary = vocabulary
        // The backtracking encoder's two tables only read the vocabulary: they are built on a second
        // thread while this one builds the rest (a sixth of `tokenize`'s start-up, which every run waits for).
        let backtrackingTables: BackgroundWork<(FrozenPrefixBits, FrozenCharTrie)>?
        if case .rankedBytes = rules, vocabulary.count > 0 {
            backtrackingTables = BackgroundWork { (FrozenPrefixBits(vocabulary), FrozenCharTrie(vocabulary)) }
        } else {
            backtrackingTables = nil
        }
        frozenVocabulary = FrozenTokenBytesTable(vocabulary)
        if case let .mergeList(table) = rules { frozenMerges = FrozenPairMergeTable(table) } else { frozenMerges = nil }
        self.wholePieceLookup = wholePieceLookup
        self.stages = stages
        self.normalization = normalization
        self.specialTokens = specialTokens
        var byteIDs = [UInt32](repeating: 0, count: 256)
        var missing: [Int] = []
        for b in 0..<256 {
            if let id = vocabulary.value(CollectionOfOne(UInt8(b))) { byteIDs[b] = id } else { missing.append(b) }
        }
        var skipped = [Bool](repeating: false, count: 256)
        if !missing.isEmpty {
            switch missingBytes {
            case .refuse:
                throw TokenizerError(.unsupported, message: "not a byte-level BPE vocabulary: \(missing.count) single bytes have no token (first: 0x\(String(missing[0], radix: 16)))",
                                     hint: "Syllabus reads byte-level BPE models (GPT-2, Llama 3, Qwen, SmolLM2, tiktoken)")
            case let .unknown(id):
                for b in missing { byteIDs[b] = id }
            case .skip:
                for b in missing {
                    byteIDs[b] = Self.unknownByte
                    skipped[b] = true
                }
            }
        }
        self.byteIDs = byteIDs
        var pairs: FrozenBits? = FrozenBits(count: 1 << 16)
        if case .unknown = missingBytes, !missing.isEmpty { pairs = nil }
        // One pass over the vocabulary for the inner pairs, the largest id and each id's length (it was
        // three: each walks the 4 MiB slot array of a 150k vocabulary).
        var lengths: [Int] = []
        lengths.reserveCapacity(vocabulary.count + specialTokens.count)
        func setLength(_ id: Int, _ length: Int) {
            if id >= lengths.count { lengths.append(contentsOf: repeatElement(0, count: id + 1 - lengths.count)) }
            lengths[id] = length
        }
        vocabulary.forEachKey { key, id in
            if let pairs {
                for i in key.indices.dropFirst() { pairs.insert(Int(key[i - 1]) << 8 | Int(key[i])) }
            }
            setLength(Int(id), key.count)
        }
        innerPairs = pairs
        skippedBytes = skipped
        skipsBytes = skipped.contains(true)
        // A special token's text replaces a regular token's bytes under the same id.
        for (text, id) in specialTokens { setLength(Int(id), text.utf8.count) }
        let largest = lengths.count - 1
        vocabularySize = largest + 1
        var offsets = [UInt32](repeating: 0, count: largest + 2)
        for id in 0..<(largest + 1) { offsets[id + 1] = offsets[id] + UInt32(lengths[id]) }
        var arena = [UInt8](repeating: 0, count: Int(offsets[largest + 1]))
        arena.withUnsafeMutableBytes { arena in
            vocabulary.forEachKey { key, id in
                if specialTokens.isEmpty || lengths[Int(id)] == key.count {
                    (arena.baseAddress! + Int(offsets[Int(id)])).copyMemory(from: key.baseAddress!, byteCount: key.count)
                }
            }
        }
        for (text, id) in specialTokens { arena.replaceSubrange(Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1]), with: text.utf8) }
        tokenArena = arena
        tokenOffsets = offsets
        if let backtrackingTables = backtrackingTables?.result(), BacktrackingEncoder.supports(vocabularySize: vocabularySize) {
            (frozenPrefixes, frozenCharTrie) = backtrackingTables
        } else {
            frozenPrefixes = nil
            frozenCharTrie = nil
        }
    }

    /// A tokenizer from its image (`TokenizerCache`): the tables point into the mapped file.
    init(name: String, image: TokenizerImage) throws(TokenizerImage.Invalid) {
        self.name = name
        vocabulary = nil
        vocabularySize = try image.int()
        let mergeList = try image.flag()
        wholePieceLookup = try image.flag()
        normalization = try image.flag() ? .nfc : .none
        stages = try Self.stages(from: image)
        var specials: [String: UInt32] = [:]
        for _ in 0..<(try image.int()) {
            let id = try image.int()
            guard (0..<vocabularySize).contains(id) else { throw TokenizerImage.Invalid(reason: "special token id") }
            specials[try image.string()] = UInt32(id)
        }
        specialTokens = specials
        frozenVocabulary = try FrozenTokenBytesTable(image: image)
        frozenMerges = mergeList ? try FrozenPairMergeTable(image: image) : nil
        if try image.flag() {
            frozenPrefixes = try FrozenPrefixBits(image: image)
            frozenCharTrie = try FrozenCharTrie(image: image)
        } else {
            frozenPrefixes = nil
            frozenCharTrie = nil
        }
        byteIDs = try image.array(UInt32.self)
        skippedBytes = try image.array(Bool.self)
        guard byteIDs.count == 256, skippedBytes.count == 256 else { throw TokenizerImage.Invalid(reason: "byte ids") }
        skipsBytes = skippedBytes.contains(true)
        if try image.flag() {
            let pairs = FrozenBits(count: 1 << 16)
            let saved = try image.buffer(UInt64.self, count: 1 << 10)
            pairs.words.update(from: saved.baseAddress!, count: saved.count)
            innerPairs = pairs
        } else {
            innerPairs = nil
        }
        tokenArena = try image.array(UInt8.self)
        tokenOffsets = try image.array(UInt32.self)
        guard tokenOffsets.count == vocabularySize + 1, Int(tokenOffsets.last!) == tokenArena.count, image.atEnd else {
            throw TokenizerImage.Invalid(reason: "decode table")
        }
        try spotCheck()
    }

    /// A check that lookups find what the decode table says, and that sampled merges join their two
    /// tokens' bytes (the key covers the layout; this catches an image that is consistent but not this
    /// tokenizer's).
    private func spotCheck() throws(TokenizerImage.Invalid) {
        let view = frozenVocabulary.view
        let special = Set(specialTokens.values)
        func bytes(_ id: UInt32) -> ArraySlice<UInt8>? {
            guard Int(id) < vocabularySize else { return nil }
            return tokenArena[Int(tokenOffsets[Int(id)])..<Int(tokenOffsets[Int(id) + 1])]
        }
        for id in stride(from: 0, to: vocabularySize, by: max(1, vocabularySize / 97)) where !special.contains(UInt32(id)) {
            guard let token = bytes(UInt32(id)), !token.isEmpty else { continue }
            let found = token.withUnsafeBytes { view.value($0.baseAddress!, $0.count) }
            guard found == UInt32(id) else { throw TokenizerImage.Invalid(reason: "lookup of token \(id) fails") }
        }
        guard let merges = frozenMerges?.view else { return }
        for slot in stride(from: 0, through: merges.mask, by: max(1, (merges.mask + 1) / 97)) {
            let key = merges.keys[slot]
            guard key != UInt64.max else { continue }
            let left = UInt32(truncatingIfNeeded: key >> 32), right = UInt32(truncatingIfNeeded: key)
            guard let merge = merges.merge(left, right), let l = bytes(left), let r = bytes(right), let m = bytes(merge.merged),
                  Array(l) + Array(r) == Array(m) else {
                throw TokenizerImage.Invalid(reason: "merge of tokens \(left) and \(right) does not hold")
            }
        }
    }

    /// The image `init(name:image:)` reads.
    func image(key: UInt64) -> [UInt8] {
        var writer = TokenizerImageWriter()
        writer.int(vocabularySize)
        writer.flag(frozenMerges != nil)
        writer.flag(wholePieceLookup)
        writer.flag(normalization == .nfc)
        Self.write(stages, to: &writer)
        writer.int(specialTokens.count)
        for (text, id) in specialTokens.sorted(by: { $0.value < $1.value }) {
            writer.int(Int(id))
            writer.string(text)
        }
        frozenVocabulary.write(to: &writer)
        frozenMerges?.write(to: &writer)
        writer.flag(frozenPrefixes != nil && frozenCharTrie != nil)
        if let frozenPrefixes, let frozenCharTrie {
            frozenPrefixes.write(to: &writer)
            frozenCharTrie.write(to: &writer)
        }
        writer.array(byteIDs)
        writer.array(skippedBytes)
        writer.flag(innerPairs != nil)
        if let innerPairs { writer.buffer(UnsafeBufferPointer(start: innerPairs.words, count: 1 << 10)) }
        writer.array(tokenArena)
        writer.array(tokenOffsets)
        return writer.finish(key: key)
    }

    private static func write(_ stages: [PreTokenizerStage], to writer: inout TokenizerImageWriter) {
        writer.int(stages.count)
        for stage in stages {
            switch stage {
            case let .split(pattern):
                writer.int(0)
                writer.string(pattern.source)
            case let .digits(individual):
                writer.int(1)
                writer.flag(individual)
            case .prefixSpace:
                writer.int(2)
            }
        }
    }

    private static func stages(from image: TokenizerImage) throws(TokenizerImage.Invalid) -> [PreTokenizerStage] {
        var stages: [PreTokenizerStage] = []
        for _ in 0..<(try image.int()) {
            switch try image.int() {
            case 0:
                let source = try image.string()
                do {
                    stages.append(.split(try SplitPattern(source)))
                } catch {
                    throw TokenizerImage.Invalid(reason: "split pattern: \(error.message)")
                }
            case 1: stages.append(.digits(individual: try image.flag()))
            case 2: stages.append(.prefixSpace)
            default: throw TokenizerImage.Invalid(reason: "pre-tokenizer step")
            }
        }
        return stages
    }

    /// The id of a special token, e.g. `<|endoftext|>`.
    public func specialTokenID(_ text: String) -> UInt32? { specialTokens[text] }

    /// A per-thread encoder.
    public func makeEncoder() -> TokenEncoder { TokenEncoder(self) }

    /// Encodes with a fresh encoder (convenient; for many documents keep one encoder per thread).
    public func encode(_ text: String, allowSpecial: Bool = false) throws(TokenizerError) -> [UInt32] {
        try makeEncoder().encode(text, allowSpecial: allowSpecial)
    }

    /// The bytes of a sequence of ids (a special token gives its text). Unknown ids are an error.
    public func decodeBytes(_ ids: some Sequence<UInt32>) throws(TokenizerError) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids {
            let i = Int(id)
            guard i < vocabularySize, tokenOffsets[i] < tokenOffsets[i + 1] else {
                throw TokenizerError(.invalidText, path: name, message: "token id \(id) is not in the vocabulary")
            }
            out += tokenArena[Int(tokenOffsets[i])..<Int(tokenOffsets[i + 1])]
        }
        return out
    }

    /// The text of a sequence of ids; byte sequences that are not valid UTF-8 become U+FFFD.
    public func decode(_ ids: some Sequence<UInt32>) throws(TokenizerError) -> String {
        String(decoding: try decodeBytes(ids), as: UTF8.self)
    }
}

/// A value computed on a thread of its own; `result()` waits for it.
final class BackgroundWork<T>: @unchecked Sendable {
    private var value: T?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> T) {
        let thread = Thread { [self] in
            value = work()
            done.signal()
        }
        thread.start()
    }

    func result() -> T {
        done.wait()
        return value!
    }
}

/// A fixed set of small integers as bits in raw memory, read from any thread (see `FrozenTokenBytesTable`).
final class FrozenBits: @unchecked Sendable {
    let words: UnsafeMutablePointer<UInt64>
    let count: Int

    init(count: Int) {
        self.count = count
        words = .allocate(capacity: (count + 63) >> 6)
        words.initialize(repeating: 0, count: (count + 63) >> 6)
    }

    deinit { words.deallocate() }

    /// Only while building, before the tokenizer is shared.
    func insert(_ i: Int) { words[i >> 6] |= 1 &<< UInt64(i & 63) }

    func contains(_ i: Int) -> Bool { words[i >> 6] & (1 &<< UInt64(i & 63)) != 0 }
}
