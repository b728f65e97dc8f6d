/// The pre-tokenizer patterns of GPT-2 and of the cl100k family (cl100k, Qwen, Llama 3), matched by hand
/// where the match depends only on ASCII bytes; `SplitPattern.Matcher` asks PCRE2 for every other match.
///
/// PCRE2's JIT costs a call per piece and runs the pattern's alternatives one by one: `perf` showed it
/// (with its call overhead) taking 17% of `tokenize` on English text. Here one table lookup names the
/// first byte's class and a loop runs the piece. The scanner knows each alternative's outcome exactly as
/// long as every byte it must classify is ASCII; the moment a decision needs a byte ≥ 0x80 (is `é` a
/// letter? is U+00A0 white space? does `ſ` fold to `s`?), it gives up on this match (`nil`) and the
/// caller matches it with PCRE2 from the same offset. Pieces are therefore PCRE2's, byte for byte, which
/// `ASCIISplitScannerTests` checks on real text and random strings built to hit every such boundary.
///
/// The patterns are recognised by their exact source text (`init?` returns nil for any other pattern).
/// What each alternative does, at offset `i` (first byte `c`), with ordered alternation:
/// - cl100k family: `'s|'t|'re|'ve|'m|'ll|'d` any case; `[^\r\n\p{L}\p{N}]?\p{L}+` (an optional byte that is
///   no letter, digit, CR or LF, then letters); 1 digit (Qwen) or up to 3 (cl100k, Llama 3);
///   ` ?[^\s\p{L}\p{N}]+[\r\n]*`; then white space: its maximal run `[i, j)` is cut after its last CR/LF
///   (`\s*[\r\n]+`), else is taken whole at the end of the text, else all but its last character
///   (`\s+(?!\S)`), else its one character (`\s+`). cl100k's `\s++$` takes a run that reaches the end of
///   the text whole even when it holds a line break.
/// - GPT-2: `'s|'t|'re|'ve|'m|'ll|'d` as written; ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`; white space
///   as above without the line-break rule.
struct ASCIISplitScanner {
    enum Shape: Equatable {
        /// `maxDigits` digits per piece; `wholeTrailingSpace`: cl100k's `\s++$`.
        case cl100k(maxDigits: Int, wholeTrailingSpace: Bool)
        case gpt2
    }

    let shape: Shape

    init?(pattern: String) {
        switch pattern {
        case TiktokenPreset.cl100k.pattern: shape = .cl100k(maxDigits: 3, wholeTrailingSpace: true)
        case TiktokenPreset.qwen.pattern: shape = .cl100k(maxDigits: 1, wholeTrailingSpace: false)
        case Self.llama3Pattern: shape = .cl100k(maxDigits: 3, wholeTrailingSpace: false)
        case TiktokenPreset.gpt2.pattern: shape = .gpt2
        default: return nil
        }
    }

    /// Llama 3's `tokenizer.json` Split regex: Qwen's with up to three digits.
    static let llama3Pattern = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    // Byte classes. Bytes ≥ 0x80 are `nonASCII`; an ASCII byte that is none of letter, digit, white space is
    // `other`: `[^\s\p{L}\p{N}]`, control characters included (U+001C–U+001F are not White_Space).
    static let other: UInt8 = 0, letter: UInt8 = 1, digit: UInt8 = 2, space: UInt8 = 4, lineBreak: UInt8 = 8, nonASCII: UInt8 = 16

    private static let classes: [UInt8] = (0..<256).map { b -> UInt8 in
        switch b {
        case 0x41...0x5A, 0x61...0x7A: return letter
        case 0x30...0x39: return digit
        case 0x0A, 0x0D: return space | lineBreak
        case 0x09...0x0D, 0x20: return space
        case 0x80...: return nonASCII
        default: return other
        }
    }

    /// The end of the piece that starts at `i` (< `count`), or nil when only PCRE2 can say.
    @inline(__always)
    func matchEnd(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int) -> Int? {
        Self.classes.withUnsafeBufferPointer { table in
            switch shape {
            case let .cl100k(maxDigits, wholeTrailingSpace):
                return Self.cl100kEnd(text, count, i, table.baseAddress!, maxDigits: maxDigits, wholeTrailingSpace: wholeTrailingSpace)
            case .gpt2:
                return Self.gpt2End(text, count, i, table.baseAddress!)
            }
        }
    }

    /// The first position in `from..<to` (`from` ≥ 1) right after a line feed and before a letter — an ASCII
    /// letter or a CJK ideograph U+4E00–U+9FA5 (letters in every Unicode version) — or nil.
    ///
    /// Every pattern this scanner knows starts a piece there, whatever text came before: no alternative
    /// matches across a line feed into a letter (the contractions and letter runs hold no line feed, the
    /// optional byte before letters is no CR/LF, the other alternatives stop at letters), so the piece
    /// holding the line feed ends at the letter; and no alternative looks behind, so matching from there
    /// depends only on the text after it. Long documents are cut at such points (`resumePoints`) without
    /// splitting all the text before them, which one thread would do while the others wait.
    static func forcedResumePoint(_ text: UnsafePointer<UInt8>, _ count: Int, from: Int, to: Int) -> Int? {
        var searchFrom = max(from, 1) - 1
        let end = min(to, count)
        while searchFrom < end - 1, let hit = memchr(text + searchFrom, 0x0A, end - 1 - searchFrom) {
            let q = text.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            let lead = text[q]
            if classes[Int(lead)] == letter { return q }
            if lead >= 0xE4, lead <= 0xE9, q + 2 < count {
                let scalar = Int(lead & 0x0F) << 12 | Int(text[q + 1] & 0x3F) << 6 | Int(text[q + 2] & 0x3F)
                if scalar >= 0x4E00, scalar <= 0x9FA5 { return q }
            }
            searchFrom = q
        }
        return nil
    }

    /// Cuts of `text` at least `every` bytes apart (the first `every` bytes in) and before its end, given to
    /// `found` as they are met: past each target (`every` bytes after the last cut) the first forced resume
    /// point within `every` bytes when `forced`, else `fallback(last cut, target)`; the walk ends where
    /// there is none. Shared by a split that comes first and one behind `Digits`.
    static func forEachCut(
        _ text: UnsafeBufferPointer<UInt8>, every: Int, forced: Bool, _ found: (Int) -> Void,
        fallback: (_ last: Int, _ target: Int) throws(TokenizerError) -> Int?
    ) throws(TokenizerError) {
        guard let base = text.baseAddress, every > 0 else { return }
        let count = text.count
        var last = 0
        while count - last > every {
            let target = last + every
            var cut = forced ? forcedResumePoint(base, count, from: target, to: min(count, target + every)) : nil
            if cut == nil { cut = try fallback(last, target) }
            guard let cut else { return }
            found(cut)
            last = cut
        }
    }

    /// The end of the run of bytes of class `kind` (`letter`, `digit` or `other`) from `i`, or nil if it stops
    /// at a non-ASCII byte.
    @inline(__always)
    private static func runEnd(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, _ table: UnsafePointer<UInt8>, _ kind: UInt8) -> Int? {
        var j = i
        while j < count {
            let c = table[Int(text[j])]
            if c != kind { return c == nonASCII ? nil : j }
            j &+= 1
        }
        return j
    }

    /// The class of the byte at `i`, or nil past the end.
    @inline(__always)
    private static func classAt(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, _ table: UnsafePointer<UInt8>) -> UInt8? {
        i < count ? table[Int(text[i])] : nil
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at `i` (which holds an apostrophe): the match's end, 0 for no match, nil to ask PCRE2.
    @inline(__always)
    private static func contractionEnd(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, ignoringCase: Bool) -> Int? {
        guard i &+ 1 < count else { return 0 }
        var a = text[i &+ 1]
        if a >= 0x80 { return ignoringCase ? nil : 0 }
        if ignoringCase { a |= 0x20 }
        switch a {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"): return i &+ 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"), UInt8(ascii: "l"):
            guard i &+ 2 < count else { return 0 }
            var b = text[i &+ 2]
            if b >= 0x80 { return ignoringCase ? nil : 0 }
            if ignoringCase { b |= 0x20 }
            let wanted = a == UInt8(ascii: "l") ? UInt8(ascii: "l") : UInt8(ascii: "e")
            return b == wanted ? i &+ 3 : 0
        default: return 0
        }
    }

    /// White space from `i`: its maximal run, cut after the last CR/LF (when `lineBreaks`), else whole at the
    /// text's end, else all but its last character, else its one character.
    @inline(__always)
    private static func spaceEnd(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, _ table: UnsafePointer<UInt8>,
                                 lineBreaks: Bool, wholeTrailingSpace: Bool) -> Int? {
        var j = i
        var lastBreak = -1
        while j < count {
            let c = table[Int(text[j])]
            if c & space == 0 {
                if c == nonASCII { return nil }
                break
            }
            if c & lineBreak != 0 { lastBreak = j }
            j &+= 1
        }
        if j == count, wholeTrailingSpace { return j }
        if lineBreaks, lastBreak >= 0 { return lastBreak &+ 1 }
        if j == count { return j }
        return j &- i >= 2 ? j &- 1 : i &+ 1
    }

    @inline(__always)
    private static func cl100kEnd(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, _ table: UnsafePointer<UInt8>,
                                  maxDigits: Int, wholeTrailingSpace: Bool) -> Int? {
        let first = text[i]
        let c = table[Int(first)]
        if c == letter { return runEnd(text, count, i &+ 1, table, letter) }
        if c == nonASCII { return nil }
        if first == UInt8(ascii: "'") {
            guard let end = contractionEnd(text, count, i, ignoringCase: true) else { return nil }
            if end > 0 { return end }
        }
        if c == digit {
            var j = i &+ 1
            while j &- i < maxDigits, j < count {
                let d = table[Int(text[j])]
                if d != digit {
                    if d == nonASCII { return nil }
                    break
                }
                j &+= 1
            }
            return j
        }
        // `[^\r\n\p{L}\p{N}]?\p{L}+`: white space other than CR/LF, or an "other" byte, before letters.
        if c & lineBreak == 0, let next = classAt(text, count, i &+ 1, table) {
            if next == letter { return runEnd(text, count, i &+ 2, table, letter) }
            if next == nonASCII { return nil }
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var start = -1
        if c == other {
            start = i
        } else if first == 0x20, let next = classAt(text, count, i &+ 1, table), next == other {
            start = i &+ 1
        }
        if start >= 0 {
            guard var j = runEnd(text, count, start &+ 1, table, other) else { return nil }
            while j < count, text[j] == 0x0A || text[j] == 0x0D { j &+= 1 }
            return j
        }
        return spaceEnd(text, count, i, table, lineBreaks: true, wholeTrailingSpace: wholeTrailingSpace)
    }

    @inline(__always)
    private static func gpt2End(_ text: UnsafePointer<UInt8>, _ count: Int, _ i: Int, _ table: UnsafePointer<UInt8>) -> Int? {
        let first = text[i]
        var c = table[Int(first)]
        if c == nonASCII { return nil }
        if first == UInt8(ascii: "'") {
            guard let end = contractionEnd(text, count, i, ignoringCase: false) else { return nil }
            if end > 0 { return end }
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: after an optional space, a run of one kind.
        var start = i
        if first == 0x20 {
            guard let next = classAt(text, count, i &+ 1, table) else { return count }
            if next == nonASCII { return nil }
            if next & space == 0 {
                start = i &+ 1
                c = next
            }
        }
        if c & space != 0 { return spaceEnd(text, count, i, table, lineBreaks: false, wholeTrailingSpace: false) }
        return runEnd(text, count, start &+ 1, table, c)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
