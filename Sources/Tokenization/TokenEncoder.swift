import Foundation

/// Encodes text with one tokenizer on one thread; reuse it for many documents.
public final class TokenEncoder {
    public let tokenizer: BPETokenizer
    private let merger = BytePairMerger()
    /// tiktoken rank files: pieces longer than `backtrackingMinimum` bytes, or starting with a non-ASCII
    /// byte, go here first (the merger takes the pieces it hands back, and short ASCII pieces — English
    /// words, code — where its scan is as fast).
    private let backtracker: BacktrackingEncoder?
    var backtrackingMinimum = 24
    /// Also send pieces ending with a non-ASCII byte to the backtracking encoder ("(中国", "“中国").
    var routesNonASCIIEnds = true
    /// Off: every piece merges (tests compare both ways).
    var usesBacktracking = true
    /// Pieces up to `PieceCache.maxPieceLength` bytes go through the piece cache, except pieces over
    /// `cacheMaximumNonASCII` bytes that start with a non-ASCII byte: long Chinese pieces rarely repeat,
    /// and caching them cost more than encoding them (Qwen, zh 1.15× faster without; SmolLM2, zh ~5%:
    /// they filled the cache with one-off entries, and each miss looks in both generations), while English
    /// words and code identifiers repeat (code 1.2× slower without).
    var cacheMaximumNonASCII = 8
    private var cache = PieceCache()
    /// Pieces this encoder has merged (not in its piece cache, or too long to be cached): a fresh
    /// encoder merges every common piece once; one that has seen the text merges only the rare ones.
    public private(set) var piecesMerged = 0
    private let rankedRule: RankedBytesRule
    private let listRule: MergeListRule?
    /// The ids of the text being encoded.
    var ids: [UInt32] = []
    // Per-encoder copies of what the hot path reads, so threads share no reference counts.
    private let vocabulary: TokenBytesView
    /// `BPETokenizer.frozenCharTrie` (rank files).
    private let characters: CharTrieView?
    private let byteIDs: UnsafeMutablePointer<UInt32>
    /// `BPETokenizer.innerPairs`, copied: pieces are cut between bytes no token holds side by side.
    private let innerPairs: UnsafeMutablePointer<UInt64>?
    /// Whether pieces are cut at `innerPairs` (merge lists; tests compare both ways).
    var cutsPieces: Bool
    private let skipped: [Bool]
    private let skipsBytes: Bool
    private let wholePieceLookup: Bool
    let steps: [Step]

    enum Step {
        case split(SplitPattern.Matcher)
        case digits(individual: Bool)
        case prefixSpace
    }
    /// First bytes of special tokens, longest tokens first, for matching them in text when allowed.
    private let specialsByFirstByte: [[(bytes: [UInt8], id: UInt32)]]

    init(_ tokenizer: BPETokenizer) {
        self.tokenizer = tokenizer
        steps = tokenizer.stages.map { stage in
            switch stage {
            case let .split(pattern): return .split(SplitPattern.Matcher(pattern))
            case let .digits(individual): return .digits(individual: individual)
            case .prefixSpace: return .prefixSpace
            }
        }
        vocabulary = tokenizer.frozenVocabulary.view
        characters = tokenizer.frozenCharTrie?.view
        rankedRule = RankedBytesRule(ranks: vocabulary)
        listRule = tokenizer.frozenMerges.map { MergeListRule(merges: $0.view) }
        let byteIDs = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        byteIDs.initialize(from: tokenizer.byteIDs, count: 256)
        self.byteIDs = byteIDs
        if let pairs = tokenizer.innerPairs {
            let copy = UnsafeMutablePointer<UInt64>.allocate(capacity: 1 << 10)
            copy.initialize(from: pairs.words, count: 1 << 10)
            innerPairs = copy
        } else {
            innerPairs = nil
        }
        if let prefixes = tokenizer.frozenPrefixes {
            backtracker = BacktrackingEncoder(vocabulary: tokenizer.frozenVocabulary.view, prefixes: prefixes.view,
                                              characters: tokenizer.frozenCharTrie?.view, byteIDs: byteIDs, vocabularySize: tokenizer.vocabularySize)
        } else {
            backtracker = nil
        }
        // The backtracking encoder is linear in the piece: cutting its pieces first cost more than it
        // saved (qwen, Chinese: ~10% slower; 3% of the character boundaries are cut points there).
        cutsPieces = backtracker == nil
        skipped = tokenizer.skippedBytes.map { $0 }
        skipsBytes = tokenizer.skipsBytes
        wholePieceLookup = tokenizer.wholePieceLookup
        var byFirst = [[(bytes: [UInt8], id: UInt32)]](repeating: [], count: 256)
        for (text, id) in tokenizer.specialTokens where !text.isEmpty {
            let bytes = Array(text.utf8)
            byFirst[Int(bytes[0])].append((bytes, id))
        }
        for i in byFirst.indices { byFirst[i].sort { $0.bytes.count > $1.bytes.count } }
        specialsByFirstByte = byFirst
    }

    deinit {
        byteIDs.deallocate()
        innerPairs?.deallocate()
        cache.deallocate()
    }

    /// Bytes left out because the vocabulary has no token for them (see `BPETokenizer.skippedBytes`).
    public private(set) var skippedByteCount = 0

    /// Merge steps done so far (tests bound the work on pathological input with it).
    public var mergeSteps: Int { merger.mergeSteps }
    /// Inner-loop work of merging (pairs scanned, heap operations, backtracking search steps).
    public var mergeWork: Int { merger.work + (backtracker?.work ?? 0) }
    /// Pieces the backtracking encoder handed back to the merger.
    var backtrackingFallbacks: Int { backtracker?.fallbacks ?? 0 }

    /// Whether the backtracking encoder walks `FrozenCharTrie` at three-byte characters (tests compare both ways).
    var backtrackingUsesCharTrie: Bool {
        get { backtracker?.usesCharTrie ?? false }
        set { backtracker?.usesCharTrie = newValue }
    }
    /// Whether its pair check sends spans that are not whole characters to `brokenStarts` (tests compare both ways).
    var backtrackingUsesBrokenStarts: Bool {
        get { backtracker?.usesBrokenStarts ?? false }
        set { backtracker?.usesBrokenStarts = newValue }
    }

    /// Pieces longer than this many bytes merge with a heap (tests compare both ways).
    func setHeapThreshold(_ bytes: Int) { merger.heapThreshold = bytes }

    /// The ids of `text`. Special tokens written in the text are ordinary text unless `allowSpecial`.
    public func encode(_ text: String, allowSpecial: Bool = false) throws(TokenizerError) -> [UInt32] {
        var text = text
        var result: [UInt32] = []
        let outcome: Result<Void, TokenizerError> = text.withUTF8 { utf8 in
            do throws(TokenizerError) {
                try encode(utf8: utf8, allowSpecial: allowSpecial, into: &result)
                return .success(())
            } catch { return .failure(error) }
        }
        try outcome.get()
        return result
    }

    /// Appends the ids of valid UTF-8 `text` to `out`.
    public func encode(utf8 text: UnsafeBufferPointer<UInt8>, allowSpecial: Bool = false, into out: inout [UInt32]) throws(TokenizerError) {
        ids.removeAll(keepingCapacity: true)
        if allowSpecial, !tokenizer.specialTokens.isEmpty {
            try encodeWithSpecials(text)
        } else {
            try encodeSegment(text)
        }
        out.append(contentsOf: ids)
    }

    /// The number of tokens of valid UTF-8 `text` (special tokens as plain text).
    public func count(utf8 text: UnsafeBufferPointer<UInt8>) throws(TokenizerError) -> Int {
        ids.removeAll(keepingCapacity: true)
        try encodeSegment(text)
        return ids.count
    }

    private func encodeWithSpecials(_ text: UnsafeBufferPointer<UInt8>) throws(TokenizerError) {
        var segmentStart = 0
        var i = 0
        let n = text.count
        while i < n {
            let candidates = specialsByFirstByte[Int(text[i])]
            var matched: (length: Int, id: UInt32)?
            for candidate in candidates where candidate.bytes.count <= n - i {
                if candidate.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, text.baseAddress! + i, $0.count) == 0 }) {
                    matched = (candidate.bytes.count, candidate.id)
                    break
                }
            }
            if let matched {
                if i > segmentStart { try encodeSegment(UnsafeBufferPointer(rebasing: text[segmentStart..<i])) }
                ids.append(matched.id)
                i += matched.length
                segmentStart = i
            } else {
                i += 1
            }
        }
        if n > segmentStart { try encodeSegment(UnsafeBufferPointer(rebasing: text[segmentStart..<n])) }
    }

    private func encodeSegment(_ text: UnsafeBufferPointer<UInt8>) throws(TokenizerError) {
        if case .nfc = tokenizer.normalization, text.contains(where: { $0 >= 0x80 }) {
            let normalized = String(decoding: text, as: UTF8.self).precomposedStringWithCanonicalMapping
            var bytes = Array(normalized.utf8)
            try bytes.withUnsafeMutableBufferPointer { (b) throws(TokenizerError) in
                try runStage(0, UnsafeBufferPointer(b))
            }
            return
        }
        try runStage(0, text)
    }

    func runStage(_ index: Int, _ piece: UnsafeBufferPointer<UInt8>) throws(TokenizerError) {
        guard piece.count > 0 else { return }
        guard index < steps.count else {
            encodePiece(piece)
            return
        }
        switch steps[index] {
        case let .split(matcher):
            try matcher.split(piece) { (range) throws(TokenizerError) in
                try runStage(index + 1, UnsafeBufferPointer(rebasing: piece[range]))
            }
        case let .digits(individual):
            try PreTokenizerStage.splitDigits(piece, individual: individual) { (range) throws(TokenizerError) in
                try runStage(index + 1, UnsafeBufferPointer(rebasing: piece[range]))
            }
        case .prefixSpace:
            if piece[0] == 0x20 {
                try runStage(index + 1, piece)
            } else {
                var spaced: [UInt8] = [0x20]
                spaced.append(contentsOf: piece)
                try spaced.withUnsafeBufferPointer { (b) throws(TokenizerError) in try runStage(index + 1, b) }
            }
        }
    }

    @inline(__always)
    private func encodePiece(_ piece: UnsafeBufferPointer<UInt8>) {
        let p = piece.baseAddress!
        let n = piece.count
        if wholePieceLookup {
            // A piece of three-byte characters (Chinese) is looked up in the character trie: it says
            // "no" within a step or two, where the vocabulary's hash table is two cache misses.
            var known = -2
            if let characters, backtrackingUsesCharTrie, p[0] >= 0xE0 { known = characters.token(p, n) }
            if known >= 0 {
                ids.append(UInt32(truncatingIfNeeded: known))
                return
            }
            if n == 1, !skipsBytes {
                ids.append(byteIDs[Int(p[0])])
                return
            }
            if known == -2, let id = vocabulary.value(p, n) {
                ids.append(id)
                return
            }
        }
        if skipsBytes, piece.contains(where: { skipped[Int($0)] }) {
            let kept = piece.filter { !skipped[Int($0)] }
            skippedByteCount += n - kept.count
            kept.withUnsafeBufferPointer { if $0.count > 0 { encodePiece($0) } }
            return
        }
        cached(p, n) {
            if let pairs = innerPairs, cutsPieces {
                // Cut where no token holds the two neighbouring bytes: no symbol ever spans such a point (it
                // would be a token holding them), so no merge crosses it and each side merges as if alone —
                // under both tiktoken's rule and a merges list (a merge's token is its parts' bytes). SmolLM2
                // has no token across 98% of the character boundaries of Chinese text: its long Han pieces
                // become single characters, which the cache knows.
                var cut = 1
                while cut < n, Self.holds(pairs, p[cut &- 1], p[cut]) { cut &+= 1 }
                if cut < n {
                    var start = 0
                    while true {
                        encodeUncut(p + start, cut &- start)
                        start = cut
                        cut &+= 1
                        while cut < n, Self.holds(pairs, p[cut &- 1], p[cut]) { cut &+= 1 }
                        if cut >= n { break }
                    }
                    encodeUncut(p + start, n &- start)
                    return
                }
            }
            mergePiece(piece)
        }
    }

    /// Appends the ids of the `n` bytes at `p` from the cache, or those `encode` appends (then cached);
    /// a single byte is its byte token.
    @inline(__always)
    private func cached(_ p: UnsafePointer<UInt8>, _ n: Int, _ encode: () -> Void) {
        if n == 1 {
            ids.append(byteIDs[Int(p[0])])
            return
        }
        let cacheable = n <= PieceCache.maxPieceLength && (n <= cacheMaximumNonASCII || p[0] < 0x80)
        var hash: UInt64 = 0, word: UInt64 = 0
        if cacheable {
            word = TokenBytesTable.prefix(p, n, available: n)
            hash = TokenBytesTable.hash(prefix: word, p, n)
            if cache.lookup(p, n, word: word, hash: hash, into: &ids) { return }
        }
        let before = ids.count
        encode()
        piecesMerged &+= 1
        if cacheable { cache.insert(p, n, word: word, hash: hash, ids: ids[before...]) }
    }

    @inline(__always)
    private static func holds(_ pairs: UnsafeMutablePointer<UInt64>, _ x: UInt8, _ y: UInt8) -> Bool {
        let i = Int(x) &<< 8 | Int(y)
        return pairs[i &>> 6] & (1 &<< UInt64(i & 63)) != 0
    }

    /// One part of a cut piece: merged (never looked up whole: it is not a pre-tokenizer piece), through
    /// the cache.
    @inline(__always)
    private func encodeUncut(_ p: UnsafePointer<UInt8>, _ n: Int) {
        cached(p, n) { mergePiece(UnsafeBufferPointer(start: p, count: n)) }
    }

    /// The ids of `piece` (2 bytes or more) by merging, whether or not it is itself a token.
    @inline(__always)
    private func mergePiece(_ piece: UnsafeBufferPointer<UInt8>) {
        let p = piece.baseAddress!
        let n = piece.count
        if let listRule {
            merger.merge(piece, rule: listRule, byteIDs: byteIDs, into: &ids)
        } else if let backtracker, usesBacktracking, n > backtrackingMinimum || p[0] >= 0x80 || (routesNonASCIIEnds && p[n &- 1] >= 0x80),
                  backtracker.encode(piece, into: &ids) {
            // done
        } else {
            merger.merge(piece, rule: rankedRule, byteIDs: byteIDs, into: &ids)
        }
    }
}
