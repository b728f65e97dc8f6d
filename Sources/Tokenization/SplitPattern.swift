import CPCRE2

/// A pre-tokenizer regex, compiled with PCRE2's JIT, that cuts text into the pieces BPE merges within.
///
/// Measured on this machine (issue 3): PCRE2 JIT runs the cl100k pattern at about 200 MB/s, Foundation's
/// NSRegularExpression at 26 MB/s, Swift's Regex at 3 MB/s. Text is valid UTF-8 by construction (it comes
/// from a Swift string or from the validating reader), so matching skips PCRE2's UTF check: without
/// `PCRE2_NO_UTF_CHECK` every call re-validates the rest of the buffer, which is quadratic.
///
/// Patterns are written for Rust's `regex` (tiktoken) or Oniguruma (`tokenizers`), where `\s` is Unicode
/// White_Space. PCRE2's `\s` lacks U+0085, so `\s`/`\S` are rewritten to explicit classes (`translate`).
public final class SplitPattern: @unchecked Sendable {
    public let source: String
    private let code: OpaquePointer
    /// GPT-2's and the cl100k family's patterns: their pieces over ASCII text, without PCRE2.
    let scanner: ASCIISplitScanner?

    public init(_ pattern: String) throws(TokenizerError) {
        source = pattern
        scanner = ASCIISplitScanner(pattern: pattern)
        let translated = Self.translate(pattern)
        var errorCode: Int32 = 0
        var errorOffset = 0
        let options = UInt32(PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK)
        let compiled = translated.withCString { p in
            pcre2_compile_8(UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), Int(strlen(p)), options,
                            &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw TokenizerError(.badPattern, message: "split pattern does not compile at offset \(errorOffset): \(Self.message(errorCode)) — pattern \(pattern)")
        }
        code = compiled
        let jit = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE))
        guard jit == 0 else {
            pcre2_code_free_8(code)
            throw TokenizerError(.badPattern, message: "split pattern cannot be JIT-compiled: \(Self.message(jit))")
        }
    }

    deinit { pcre2_code_free_8(code) }

    static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer.prefix(Int(n)), as: UTF8.self) : "PCRE2 error \(code)"
    }

    /// Unicode White_Space, as Rust's and Oniguruma's `\s` match it (PCRE2's lacks U+0085).
    static let whiteSpaceClass = #"\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"#

    /// Rewrites `\s` and `\S` (inside and outside classes) to explicit White_Space classes.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        var chars = Array(pattern.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.first {
                chars.removeFirst()
                switch (next, inClass) {
                case ("s", false): out += "[\(whiteSpaceClass)]"
                case ("S", false): out += "[^\(whiteSpaceClass)]"
                case ("s", true): out += whiteSpaceClass
                default:
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append(next)
                }
                continue
            }
            if c == "[", !inClass {
                inClass = true
                out.unicodeScalars.append(c)
                // A ']' or '^]' right after '[' is a literal.
                if chars.first == "^" { out += "^"; chars.removeFirst() }
                if chars.first == "]" { out += "]"; chars.removeFirst() }
                continue
            }
            if c == "]", inClass { inClass = false }
            out.unicodeScalars.append(c)
        }
        return out
    }

    /// Per-thread matching state.
    final class Matcher {
        private let pattern: SplitPattern
        private let matchData: OpaquePointer
        private let context: OpaquePointer
        private let stack: OpaquePointer
        /// `pattern.scanner`, unless turned off (tests compare both ways).
        var scanner: ASCIISplitScanner?
        /// Whether `resumePoints` looks for forced resume points (tests compare both ways).
        var usesForcedResumePoints = true
        private let ovector: UnsafeMutablePointer<Int>

        init(_ pattern: SplitPattern) {
            self.pattern = pattern
            scanner = pattern.scanner
            matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
            ovector = pcre2_get_ovector_pointer_8(matchData)!
            context = pcre2_match_context_create_8(nil)
            // Long runs (a megabyte of spaces) backtrack through `\s+(?!\S)`: give the JIT room.
            stack = pcre2_jit_stack_create_8(32 * 1024, 64 * 1024 * 1024, nil)
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
        }

        deinit {
            pcre2_match_data_free_8(matchData)
            pcre2_match_context_free_8(context)
            pcre2_jit_stack_free_8(stack)
        }

        /// Calls `body` with each piece's byte range. Bytes no match covers (the pattern cannot match
        /// there) are passed as pieces of their own, so no text is ever lost.
        func split(_ text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) throws(TokenizerError) -> Void) throws(TokenizerError) {
            try split(text, in: 0..<text.count, body)
        }

        /// The pieces of `text` from `range.lowerBound` on, up to `range.upperBound`. Both bounds must be
        /// 0, the text's end or a resume point (`resumePoints`): the pattern still sees all of `text`
        /// (look-ahead and `$` past the range), so the pieces are those of splitting the whole text.
        func split(_ text: UnsafeBufferPointer<UInt8>, in range: Range<Int>, _ body: (Range<Int>) throws(TokenizerError) -> Void) throws(TokenizerError) {
            guard let base = text.baseAddress, text.count > 0 else { return }
            var offset = range.lowerBound
            while offset < range.upperBound {
                let piece = try self.piece(base, text.count, at: offset)
                try body(piece)
                offset = piece.upperBound
            }
        }

        /// The piece of the `count` bytes at `base` that starts at `offset` (< `count`, a piece start).
        @inline(__always)
        private func piece(_ base: UnsafePointer<UInt8>, _ count: Int, at offset: Int) throws(TokenizerError) -> Range<Int> {
            if let scanner, let end = scanner.matchEnd(base, count, offset) { return offset..<end }
            let rc = pcre2_jit_match_8(pattern.code, base, count, offset, 0, matchData, context)
            if rc == PCRE2_ERROR_NOMATCH { return offset..<count }
            guard rc > 0 else {
                throw TokenizerError(.badPattern, message: "split pattern failed while matching: \(SplitPattern.message(rc))")
            }
            let start = ovector[0], matchEnd = ovector[1]
            // Bytes before the match that no match covers: a piece of their own (the match is found
            // again from its start).
            if start > offset { return offset..<start }
            if matchEnd > start { return start..<matchEnd }
            // An empty match: step over one character.
            var next = start + 1
            while next < count, base[next] & 0xC0 == 0x80 { next += 1 }
            return start..<next
        }

        /// Whether cuts are looked for at `ASCIISplitScanner.forcedResumePoint`s (the scanner knows the pattern).
        var findsForcedResumePoints: Bool { usesForcedResumePoints && pattern.scanner != nil }

        /// Offsets where `split` of the whole text resumes matching after a piece, each at least `every`
        /// bytes after the one before (or the start) and before the text's end, given to `found` as they
        /// are met: splitting from there on gives the same pieces as the whole text's, and no piece
        /// crosses one. With a pattern `ASCIISplitScanner` knows, each is the first point at or past its
        /// target where any split must start a piece (`ASCIISplitScanner.forcedResumePoint`), found
        /// without splitting the text before it; otherwise (or when there is none within `every` bytes)
        /// the first piece end at or past the target, splitting from the previous resume point.
        func resumePoints(_ text: UnsafeBufferPointer<UInt8>, every: Int, _ found: (Int) -> Void) throws(TokenizerError) {
            try ASCIISplitScanner.forEachCut(text, every: every, forced: findsForcedResumePoints, found) { (last, target) throws(TokenizerError) in
                var offset = last
                while offset < target { offset = try piece(text.baseAddress!, text.count, at: offset).upperBound }
                return offset < text.count ? offset : nil
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
