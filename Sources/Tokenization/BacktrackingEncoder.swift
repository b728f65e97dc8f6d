#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two bits per hash bucket — "some token starts with these bytes" and "these bytes are a token" — side
/// by side in one cache line, and one bit per two-byte token: the backtracking encoder asks these
/// before touching the vocabulary's 4 MiB slot array, and together they stay in L2 (qwen: 256 KiB +
/// 8 KiB). Once a span is no token's prefix, no longer span from the same start is a token.
/// Raw memory, shared read-only by every encoder.
final class FrozenPrefixBits: @unchecked Sendable {
    private let bits: UnsafeMutableBufferPointer<UInt64>
    private let pairs: UnsafeMutableBufferPointer<UInt64>
    private let starts: UnsafeMutableBufferPointer<UInt64>
    private let brokenStarts: UnsafeMutableBufferPointer<UInt64>
    let view: PrefixBitsView
    /// The mapped image the buffers point into (`TokenizerCache`), or nil when they are ours to free.
    private let image: TokenizerImage?

    /// Built from a ranked vocabulary at load (qwen's 150k tokens: 976k prefixes, 333k distinct).
    init(_ table: TokenBytesTable) {
        image = nil
        var total = 0
        table.forEachKey { key, _ in total += key.count }
        var buckets = 1 << 16
        while buckets < total, buckets < 1 << 21 { buckets <<= 1 }
        let bits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: buckets >> 5)
        bits.initialize(repeating: 0)
        let pairs = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << 10)
        pairs.initialize(repeating: 0)
        let starts = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << 10)
        starts.initialize(repeating: 0)
        let brokenStarts = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << 10)
        brokenStarts.initialize(repeating: 0)
        let mask = buckets - 1
        table.forEachKey { key, _ in
            let p = key.baseAddress!
            let n = key.count
            if n >= 2 {
                let i = Int(p.load(as: UInt8.self)) | Int(p.load(fromByteOffset: 1, as: UInt8.self)) << 8
                if n == 2 {
                    pairs[i >> 6] |= 1 << UInt64(i & 63)
                } else {
                    starts[i >> 6] |= 1 << UInt64(i & 63)
                    if !PrefixBitsView.isWhole(p.assumingMemoryBound(to: UInt8.self), n) { brokenStarts[i >> 6] |= 1 << UInt64(i & 63) }
                }
            }
            for length in 1...n {
                let h = TokenBytesTable.hash(prefix: TokenBytesTable.prefix(p, length, available: length), p, length)
                let b = PrefixBitsView.bucket(h, mask)
                bits[b >> 5] |= (length == n ? 3 : 1) << UInt64((b & 31) << 1)
            }
        }
        self.bits = bits
        self.pairs = pairs
        self.starts = starts
        self.brokenStarts = brokenStarts
        view = PrefixBitsView(bits: UnsafePointer(bits.baseAddress!), pairs: UnsafePointer(pairs.baseAddress!),
                              starts: UnsafePointer(starts.baseAddress!), brokenStarts: UnsafePointer(brokenStarts.baseAddress!),
                              mask: mask)
    }

    /// The bits as saved by `write(to:)`.
    init(image: TokenizerImage) throws(TokenizerImage.Invalid) {
        self.image = image
        let mask = try image.mask("prefix bits")
        bits = try image.buffer(UInt64.self, count: (mask + 1) >> 5)
        pairs = try image.buffer(UInt64.self, count: 1 << 10)
        starts = try image.buffer(UInt64.self, count: 1 << 10)
        brokenStarts = try image.buffer(UInt64.self, count: 1 << 10)
        view = PrefixBitsView(bits: UnsafePointer(bits.baseAddress!), pairs: UnsafePointer(pairs.baseAddress!),
                              starts: UnsafePointer(starts.baseAddress!), brokenStarts: UnsafePointer(brokenStarts.baseAddress!),
                              mask: mask)
    }

    func write(to writer: inout TokenizerImageWriter) {
        writer.int(view.mask)
        writer.buffer(bits)
        writer.buffer(pairs)
        writer.buffer(starts)
        writer.buffer(brokenStarts)
    }

    deinit {
        guard image == nil else { return }
        bits.deallocate()
        pairs.deallocate()
        starts.deallocate()
        brokenStarts.deallocate()
    }
}

struct PrefixBitsView: @unchecked Sendable {
    let bits: UnsafePointer<UInt64>
    let pairs: UnsafePointer<UInt64>
    /// One bit per two bytes that some token of three or more bytes starts with: most spans the pair
    /// check asks about start inside a character, and few tokens do.
    let starts: UnsafePointer<UInt64>
    /// The same for tokens that are not whole UTF-8 characters (`isWhole`; qwen: 1.5k of 151k tokens).
    /// The pair check asks mostly about spans that start or end inside a character, which only such
    /// a token can be; the span's first two bytes usually start many whole tokens (a Chinese character),
    /// so `starts` alone let them through to the 256 KiB prefix bits.
    let brokenStarts: UnsafePointer<UInt64>
    let mask: Int

    /// Whether the `n` bytes at `p` are whole UTF-8 characters: no continuation byte first, and the last
    /// sequence complete (judged by its lead byte alone; a span and a token with the same bytes are
    /// judged alike, so a span that is not whole can only be a token that is not whole).
    @inline(__always)
    static func isWhole(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if p[0] & 0xC0 == 0x80 { return false }
        let last = p[n &- 1]
        if last < 0x80 { return true }
        if last >= 0xC0 { return false }
        var i = n &- 2
        var continuations = 1
        while i > 0, p[i] & 0xC0 == 0x80, continuations < 3 {
            i &-= 1
            continuations &+= 1
        }
        let lead = p[i]
        if lead & 0xC0 != 0xC0 { return false }
        let needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1
        return needed == continuations
    }

    /// Whether some token of three or more bytes that is not whole characters starts with the two bytes at `p`.
    @inline(__always)
    func mayStartBrokenToken(_ p: UnsafePointer<UInt8>) -> Bool {
        let i = Int(p[0]) | Int(p[1]) << 8
        return brokenStarts[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Hash bits 18 and up: the vocabulary's slot index uses the low bits.
    @inline(__always)
    static func bucket(_ h: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: h >> 18) & mask }

    /// Bit 0: some token may start with the span whose hash is `h`; bit 1: the span may be a token.
    @inline(__always)
    func flags(_ h: UInt64) -> UInt64 {
        let b = Self.bucket(h, mask)
        return bits[b >> 5] >> UInt64((b & 31) << 1) & 3
    }

    /// Whether some token of three or more bytes starts with the two bytes at `p`.
    @inline(__always)
    func mayStartLongToken(_ p: UnsafePointer<UInt8>) -> Bool {
        let i = Int(p[0]) | Int(p[1]) << 8
        return starts[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Whether the two bytes at `p` are a token.
    @inline(__always)
    func isPairToken(_ p: UnsafePointer<UInt8>) -> Bool {
        let i = Int(p[0]) | Int(p[1]) << 8
        return pairs[i >> 6] & (1 << UInt64(i & 63)) != 0
    }
}

/// tiktoken's byte-pair encoding of one piece without merging: the "backtracking" encoder of GitHub's
/// `bpe` crate (rust-gems), written here from its description and our own proof of exactness.
///
/// Facts it rests on, for tiktoken's rule (merge the adjacent pair whose concatenated bytes have the
/// lowest rank, leftmost on ties):
/// 1. A token t appears in an encoding only if t's own bytes encode to [t] ("self-encoding"): no merge
///    ever crosses the boundaries of an output token, so the merges inside it are those of t alone.
/// 2. Call a, b a *valid pair* if the bytes of a then b encode to [a, b]. A sequence of self-encoding
///    tokens is the encoding of its concatenated bytes iff every adjacent pair is valid: the merges of
///    two neighbouring tokens interleave in the whole text exactly as in the pair alone (each side's
///    next merge is its own cheapest candidate, so which side moves first depends on the two sides
///    only), and a merge across their boundary would be chosen in one iff in the other.
/// 3. So the encoding is the only valid-pair sequence, every prefix of it up to a token boundary is the
///    encoding of that text prefix, and a depth-first search — longest matching token first, shorter
///    ones on failure, popping the previous token when none fits — finds it. A position from which no
///    continuation exists is dead for good (the tokens before it are forced), so a bitfield of dead
///    positions keeps the search from revisiting it.
///
/// Whether a, b is a valid pair is decided without merging, from each token's merge tree (the last
/// merge of its own encoding, recursively; a leaf is a byte). When every node's rank exceeds its
/// children's ("heap-ordered"), a token's merges happen in rank order, and the pair's merges in the
/// order of (rank, side): the symbols facing each other across the boundary walk down a's right spine
/// and b's left spine, undoing the later merge each step. A merge across the boundary happens iff
/// some facing pair's concatenated bytes are a token whose rank comes before the merge that ended that
/// facing pair (strictly before a merge on the left, at or before one on the right; or any rank for
/// the final pair a, b). Each check is one lookup of text bytes, as tiktoken itself looks up.
///
/// The merge trees are computed lazily per token (by merging its bytes with a plain quadratic BPE,
/// which also checks self-encoding and heap order) and kept per encoder. A piece that meets a token
/// which is self-encoding but not heap-ordered (none on the test texts with cl100k, o200k, qwen), or whose search runs
/// over a work budget, is left to `BytePairMerger`: the caller falls back, so ids stay exact.
final class BacktrackingEncoder {
    private let vocabulary: TokenBytesView
    private let prefixes: PrefixBitsView
    /// Longest matches at three-byte characters (Chinese) one character per step; nil in tests that
    /// compare with the byte-wise search.
    private let characters: CharTrieView?
    /// Off: every longest match is byte-wise (tests compare both ways).
    var usesCharTrie = true
    /// Off: the pair check looks up spans that are not whole characters like any other (tests compare).
    var usesBrokenStarts = true
    private let byteIDs: UnsafePointer<UInt32>
    private let idCount: Int
    /// Per id, 0 until computed: length (bits 0–7), kind (8–9), left child id (16–39), right child id
    /// (40–63); children only for multi-byte good tokens.
    private let info: UnsafeMutablePointer<UInt64>
    /// Per id: the longest proper prefix that is a self-encoding token (`unknown` until computed).
    private let shorter: UnsafeMutablePointer<UInt32>
    private var stack: UnsafeMutablePointer<UInt32>
    /// Per stack entry: no span from the token's start this long or longer is a token.
    private var reaches: UnsafeMutablePointer<Int>
    private var dead: UnsafeMutablePointer<UInt64>
    private var capacity = 0

    private static let good: UInt64 = 1
    private static let notSelfEncoding: UInt64 = 2
    private static let unsupported: UInt64 = 3
    private static let unknown = UInt32.max
    private static let none = UInt32.max - 1

    /// Search steps (attempts, pair-check lookups, match probes): tests bound it on pathological input.
    private(set) var work = 0
    /// Pieces handed back to the merger (work budget or an unsupported token).
    private(set) var fallbacks = 0

    /// Whether a vocabulary of `size` ids can use this encoder (ids are packed in 24 bits).
    static func supports(vocabularySize size: Int) -> Bool { size > 0 && size < 1 << 24 }

    init(vocabulary: TokenBytesView, prefixes: PrefixBitsView, characters: CharTrieView? = nil, byteIDs: UnsafePointer<UInt32>, vocabularySize: Int) {
        self.vocabulary = vocabulary
        self.prefixes = prefixes
        self.characters = characters
        self.byteIDs = byteIDs
        idCount = vocabularySize
        info = .allocate(capacity: vocabularySize)
        info.initialize(repeating: 0, count: vocabularySize)
        shorter = .allocate(capacity: vocabularySize)
        shorter.initialize(repeating: Self.unknown, count: vocabularySize)
        pairCache = .allocate(capacity: Self.pairCacheSize)
        pairCache.initialize(repeating: 0, count: Self.pairCacheSize)
        stack = .allocate(capacity: 1)
        reaches = .allocate(capacity: 1)
        dead = .allocate(capacity: 1)
        reserve(1024)
    }

    deinit {
        info.deallocate()
        shorter.deallocate()
        pairCache.deallocate()
        stack.deallocate()
        reaches.deallocate()
        dead.deallocate()
    }

    private func reserve(_ n: Int) {
        guard n > capacity else { return }
        let size = max(n, capacity * 2)
        stack.deallocate()
        reaches.deallocate()
        dead.deallocate()
        stack = .allocate(capacity: size)
        reaches = .allocate(capacity: size)
        dead = .allocate(capacity: size >> 6 + 2)
        capacity = size
    }

    @inline(__always) private static func length(_ v: UInt64) -> Int { Int(truncatingIfNeeded: v & 0xFF) }
    @inline(__always) private static func kind(_ v: UInt64) -> UInt64 { v >> 8 & 3 }
    @inline(__always) private static func left(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v >> 16) & 0xFF_FFFF }
    @inline(__always) private static func right(_ v: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: v >> 40) }

    // MARK: Lazily computed token facts

    /// The facts of token `id`, whose bytes are the `length` bytes at `p`.
    @inline(__always)
    private func facts(_ id: UInt32, _ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        let v = info[Int(id)]
        return v != 0 ? v : computeFacts(id, p, length)
    }

    /// Encodes the token's bytes with the plain rule (lowest-rank adjacent pair, leftmost first) and
    /// records the last merge: the token's split.
    @inline(never)
    private func computeFacts(_ id: UInt32, _ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var v = UInt64(length) | Self.good << 8
        if length > 1 {
            v = withUnsafeTemporaryAllocation(of: (start: Int, id: UInt32).self, capacity: length) { symbols in
                for i in 0..<length { symbols[i] = (i, byteIDs[Int(p[i])]) }
                var count = length
                var last: (left: UInt32, right: UInt32, leftLength: Int) = (0, 0, 0)
                while count > 1 {
                    var best = UInt32.max
                    var at = -1
                    for i in 0..<(count - 1) {
                        let start = symbols[i].start
                        let end = i + 2 < count ? symbols[i + 2].start : length
                        if let r = vocabulary.value(p + start, end - start, available: length - start), r < best {
                            best = r
                            at = i
                        }
                    }
                    if at < 0 { break }
                    last = (symbols[at].id, symbols[at + 1].id, symbols[at + 1].start - symbols[at].start)
                    symbols[at].id = best
                    for i in (at + 1)..<(count - 1) { symbols[i] = symbols[i + 1] }
                    count -= 1
                }
                let base = UInt64(length)
                guard count == 1, symbols[0].id == id else { return base | Self.notSelfEncoding << 8 }
                // The last merge's parts are self-encoding (the merges inside them were their own).
                let l = last.left, r = last.right
                guard l < id, r < id, Int(l) < idCount, Int(r) < idCount,
                      Self.kind(facts(l, p, last.leftLength)) == Self.good,
                      Self.kind(facts(r, p + last.leftLength, length - last.leftLength)) == Self.good
                else { return base | Self.unsupported << 8 }
                return base | Self.good << 8 | UInt64(l) << 16 | UInt64(r) << 40
            }
        }
        info[Int(id)] = v
        return v
    }

    /// The longest proper prefix of token `id` (bytes at `p`) that can appear in an encoding, or `none`.
    @inline(__always)
    private func nextShorter(_ id: UInt32, _ p: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        let s = shorter[Int(id)]
        return s != Self.unknown ? s : computeShorter(id, p, length)
    }

    @inline(never)
    private func computeShorter(_ id: UInt32, _ p: UnsafePointer<UInt8>, _ length: Int) -> UInt32 {
        var result = Self.none
        var l = length - 1
        while l >= 1 {
            if let t = vocabulary.value(p, l, available: length), Int(t) < idCount,
               Self.kind(facts(t, p, l)) != Self.notSelfEncoding {
                result = t
                break
            }
            l -= 1
        }
        shorter[Int(id)] = result
        return result
    }

    // MARK: Search

    /// The token whose bytes are the `n` bytes at `p` (`available` may be read), if any.
    @inline(__always)
    private func token(_ p: UnsafePointer<UInt8>, _ n: Int, available: Int) -> UInt32? {
        if n == 2 {
            return prefixes.isPairToken(p) ? vocabulary.twoByte[Int(p[0]) | Int(p[1]) << 8] : nil
        }
        if n > vocabulary.maxKeyLength || !prefixes.mayStartLongToken(p) { return nil }
        if p[0] >= 0xE0, let characters, usesCharTrie {
            let t = characters.token(p, n)
            if t != -2 { return t < 0 ? nil : UInt32(truncatingIfNeeded: t) }
        }
        if usesBrokenStarts, !PrefixBitsView.isWhole(p, n), !prefixes.mayStartBrokenToken(p) { return nil }
        let prefix = TokenBytesTable.prefix(p, n, available: available)
        let h = TokenBytesTable.hash(prefix: prefix, p, n)
        guard prefixes.flags(h) & 2 != 0 else { return nil }
        return vocabulary.value(p, n, prefix: prefix, hash: h)
    }

    /// The longest token starting at `p` (`available` bytes, at least 1): its id and length, and the
    /// reach: no span from `p` this long or longer is a token.
    @inline(__always)
    private func longestMatch(_ p: UnsafePointer<UInt8>, available: Int) -> (id: UInt32, length: Int, reach: Int) {
        if p[0] >= 0xE0, let characters, usesCharTrie, let match = characters.longestMatch(p, available: available, steps: &work) {
            return match
        }
        var best = (id: byteIDs[Int(p[0])], length: 1)
        let limit = min(available, vocabulary.maxKeyLength)
        let word = TokenBytesTable.prefix(p, min(available, 8), available: available)
        var length = 1
        while length < limit {
            length &+= 1
            work &+= 1
            if length == 3, !prefixes.mayStartLongToken(p) { return (best.id, best.length, 3) }
            let prefix = length >= 8 ? word : word & ((1 &<< UInt64(length &* 8)) &- 1)
            let h = TokenBytesTable.hash(prefix: prefix, p, length)
            let flags = prefixes.flags(h)
            // Once the span is no token's prefix, no longer span is a token.
            if flags == 0 { return (best.id, best.length, length) }
            if flags & 2 != 0 {
                let found = length == 2 ? (prefixes.isPairToken(p) ? vocabulary.twoByte[Int(p[0]) | Int(p[1]) << 8] : nil)
                                        : vocabulary.value(p, length, prefix: prefix, hash: h)
                if let t = found { best = (t, length) }
            }
        }
        return (best.id, best.length, limit &+ 1)
    }

    /// Whether tokens `a` (ending at `boundary`; no span from its start of `aReach` bytes or more is a
    /// token) then `b` encode to themselves side by side.
    @inline(__always)
    private func isValidPair(_ a: UInt32, _ aReach: Int, _ b: UInt32, _ text: UnsafePointer<UInt8>, _ n: Int, _ boundary: Int) -> Bool {
        // The answer depends on a and b only (their bytes are the text's); `aReach` only saves lookups.
        let key = UInt64(a) &<< 24 | UInt64(b)
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h &>> 29
        let slot = Int(truncatingIfNeeded: h) & (Self.pairCacheSize &- 1)
        let entry = pairCache[slot]
        if entry >> 2 == key, entry & 2 != 0 { return entry & 1 != 0 }
        let valid = checkPair(a, aReach, b, text, n, boundary)
        if usesPairCache { pairCache[slot] = key &<< 2 | 2 | (valid ? 1 : 0) }
        return valid
    }

    /// Recent pair checks: (a << 24 | b) << 2, bit 1 set when used, bit 0 the answer (32 KiB).
    private static let pairCacheSize = 1 << 12
    private let pairCache: UnsafeMutablePointer<UInt64>
    /// Off: every pair is checked (tests compare both ways).
    var usesPairCache = true

    @inline(__always)
    private func checkPair(_ a: UInt32, _ aReach: Int, _ b: UInt32, _ text: UnsafePointer<UInt8>, _ n: Int, _ boundary: Int) -> Bool {
        var x = a, y = b
        var xf = info[Int(a)], yf = info[Int(b)]
        var limit = UInt32.max
        var reach = aReach
        while true {
            work &+= 1
            let xl = Self.length(xf), yl = Self.length(yf)
            let start = boundary &- xl
            if xl &+ yl < reach, let r = token(text + start, xl &+ yl, available: n &- start), r < limit { return false }
            if xl == 1 {
                if yl == 1 { return true }
                limit = y &+ 1
                y = Self.left(yf)
                yf = info[Int(y)]
            } else if yl == 1 || x > y {
                reach = Int.max
                limit = x
                x = Self.right(xf)
                xf = info[Int(x)]
            } else {
                limit = y &+ 1
                y = Self.left(yf)
                yf = info[Int(y)]
            }
        }
    }

    @inline(__always) private func isDead(_ i: Int) -> Bool { dead[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    /// Appends the ids of `piece` (at least 2 bytes, not itself a token) to `out` and returns true; or
    /// returns false, appending nothing, when the piece must go to the merger instead.
    func encode(_ piece: UnsafeBufferPointer<UInt8>, into out: inout [UInt32]) -> Bool {
        let text = piece.baseAddress!
        let n = piece.count
        reserve(n &+ 1)
        let stack = self.stack, dead = self.dead
        dead.update(repeating: 0, count: n >> 6 &+ 1)
        let budget = work &+ 96 &* n &+ 4096
        var k = 0
        var pos = 0
        let reaches = self.reaches
        var (t, length, reach) = longestMatch(text, available: n)
        while true {
            work &+= 1
            if work > budget {
                fallbacks &+= 1
                return false
            }
            let f = facts(t, text + pos, length)
            let kind = Self.kind(f)
            if kind == Self.unsupported {
                fallbacks &+= 1
                return false
            }
            let end = pos &+ length
            if kind == Self.good, !isDead(end), k == 0 || isValidPair(stack[k &- 1], reaches[k &- 1], t, text, n, pos) {
                stack[k] = t
                reaches[k] = reach
                k &+= 1
                pos = end
                if pos == n { break }
                (t, length, reach) = longestMatch(text + pos, available: n &- pos)
                continue
            }
            let s = nextShorter(t, text + pos, length)
            if s != Self.none {
                t = s
                length = Self.length(info[Int(s)])
                continue
            }
            // Nothing fits after the tokens so far: `pos` is dead; retry the previous token shorter.
            dead[pos >> 6] |= 1 << UInt64(pos & 63)
            guard k > 0 else {
                fallbacks &+= 1
                return false
            }
            k &-= 1
            t = stack[k]
            reach = reaches[k]
            length = Self.length(info[Int(t)])
            pos &-= length
        }
        out.append(contentsOf: UnsafeBufferPointer(start: stack, count: k))
        return true
    }
}
