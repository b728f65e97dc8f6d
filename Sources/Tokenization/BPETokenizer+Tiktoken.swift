#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BPETokenizer {
    /// Loads a tiktoken rank file (`base64-token rank` per line). The split pattern and special tokens come
    /// from `preset`, or from the file name (`cl100k_base`, `o200k_base`, `qwen`), or `pattern` overrides.
    /// With a `cache`, the built tables are saved there and mapped back on the next load (`TokenizerCache`).
    public static func tiktoken(
        path: String, preset: TiktokenPreset? = nil, pattern: String? = nil, specialTokens: [String: UInt32]? = nil,
        cache: TokenizerCache? = nil
    ) throws(TokenizerError) -> BPETokenizer {
        let contents = try TokenizerFile.Contents(path)
        let fileName = TokenizerFile.baseName(path)
        guard let chosen = preset ?? TiktokenPreset.implied(byFileName: fileName) ?? (pattern != nil ? TiktokenPreset.gpt2 : nil) else {
            throw TokenizerError(.unsupported, path: path, message: "a rank file does not say which split pattern it goes with",
                                 hint: "name a preset (\(TiktokenPreset.all.map(\.name).joined(separator: ", "))) or give the pattern")
        }
        let splitPattern = pattern ?? chosen.pattern
        let specials = specialTokens ?? (pattern == nil ? chosen.specialTokens : [:])
        func build() throws(TokenizerError) -> BPETokenizer {
            try BPETokenizer(
                name: path, vocabulary: try contents.withBytes(parseRanks), rules: .rankedBytes, wholePieceLookup: true,
                stages: [.split(try SplitPattern(splitPattern))], normalization: .none, specialTokens: specials)
        }
        do {
            guard let cache else { return try build() }
            let key = contents.withBytes { TokenizerCache.key(fileBytes: $0, pattern: splitPattern, specialTokens: specials) }
            return try cache.tokenizer(key: key, name: path, build: build)
        } catch {
            throw error.at(path)
        }
    }

    /// Parses `BASE64 RANK` lines: one pass over the file with raw pointers, tokens decoded into one
    /// buffer, then one bulk build of the table (`TokenBytesTable(keys:ends:values:)`). Foundation's
    /// base64 made loading a 150k-rank file take 0.4 s, and decoding into an array per line and
    /// inserting each token as it came took 65 ms, half of `tokenize`'s start-up.
    static func parseRanks(_ file: UnsafeBufferPointer<UInt8>) throws(TokenizerError) -> TokenBytesTable {
        var keys = [UInt8](repeating: 0, count: file.count / 4 * 3 + 3)
        var ends: [Int] = []
        var values: [UInt32] = []
        var seen: [UInt64] = []
        var lineNumber = 0
        func malformed(_ what: String) -> TokenizerError {
            TokenizerError(.malformed, message: "line \(lineNumber): \(what)", hint: "the file may be truncated or not a tiktoken rank file")
        }
        var used = 0
        do {
            try keys.withUnsafeMutableBufferPointer { (out) throws(TokenizerError) in
                guard let base = file.baseAddress else { return }
                let n = file.count
                var i = 0
                while i < n {
                    lineNumber += 1
                    let end = memchr(base + i, 0x0A, n - i).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
                    defer { i = end + 1 }
                    var lineEnd = end
                    while lineEnd > i, base[lineEnd - 1] == 0x0D || base[lineEnd - 1] == 0x20 { lineEnd -= 1 }
                    if lineEnd == i { continue }
                    guard let spaceAt = memchr(base + i, 0x20, lineEnd - i) else { throw malformed("expected 'BASE64_TOKEN RANK'") }
                    let space = UnsafePointer<UInt8>(spaceAt.assumingMemoryBound(to: UInt8.self)) - base
                    guard let decoded = Base64.decode(base + i, count: space - i, to: out.baseAddress! + used), decoded > 0 else {
                        throw malformed("the token is not base64")
                    }
                    var rank: UInt32 = 0
                    var digits = 0
                    for k in (space + 1)..<lineEnd {
                        let c = base[k]
                        guard c >= 0x30, c <= 0x39, digits < 10 else { throw malformed("the rank is not a number") }
                        rank = rank &* 10 &+ UInt32(c - 0x30)
                        digits += 1
                    }
                    guard digits > 0 else { throw malformed("no rank after the token") }
                    guard rank < 1 << 24 else { throw malformed("rank \(rank) is past any vocabulary's size (Syllabus reads ranks below 2^24)") }
                    let word = Int(rank >> 6)
                    if word >= seen.count { seen += [UInt64](repeating: 0, count: max(word + 1 - seen.count, seen.count)) }
                    guard seen[word] & (1 << UInt64(rank & 63)) == 0 else { throw malformed("rank \(rank) appears twice") }
                    seen[word] |= 1 << UInt64(rank & 63)
                    used += decoded
                    ends.append(used)
                    values.append(rank)
                }
            }
        }
        guard !ends.isEmpty else { throw TokenizerError(.malformed, message: "no ranks in the file") }
        keys.removeLast(keys.count - used)
        return TokenBytesTable(keys: keys, ends: ends, values: values)
    }
}

/// Standard base64 (RFC 4648, with padding), as tiktoken rank files use.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes the `count` characters at `chars` to `out`, four at a time; the number of bytes written
    /// (at most `count / 4 * 3`), or nil if the text is not base64.
    static func decode(_ chars: UnsafePointer<UInt8>, count total: Int, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        var count = total
        var padding = 0
        while count > 0, chars[count - 1] == 0x3D, padding < 2 { count -= 1; padding += 1 }
        guard (count + padding) % 4 == 0 else { return nil }
        if count == 0 { return 0 }
        let full = count / 4
        let rest = count % 4
        guard rest != 1 else { return nil }
        return values.withUnsafeBufferPointer { values -> Int? in
            let c = chars
            let o = out
            var bad: UInt8 = 0
            for k in 0..<full {
                let a = values[Int(c[4 * k])], b = values[Int(c[4 * k + 1])]
                let d = values[Int(c[4 * k + 2])], e = values[Int(c[4 * k + 3])]
                bad |= a | b | d | e
                let v = UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(d & 0x3F) << 6 | UInt32(e & 0x3F)
                o[3 * k] = UInt8(truncatingIfNeeded: v >> 16)
                o[3 * k + 1] = UInt8(truncatingIfNeeded: v >> 8)
                o[3 * k + 2] = UInt8(truncatingIfNeeded: v)
            }
            if rest > 0 {
                var v: UInt32 = 0
                for i in 0..<rest {
                    let x = values[Int(c[4 * full + i])]
                    bad |= x
                    v = v << 6 | UInt32(x & 0x3F)
                }
                v <<= UInt32(6 * (4 - rest))
                o[3 * full] = UInt8(truncatingIfNeeded: v >> 16)
                if rest == 3 { o[3 * full + 1] = UInt8(truncatingIfNeeded: v >> 8) }
            }
            return bad & 0x80 == 0 ? full * 3 + (rest == 0 ? 0 : rest - 1) : nil
        }
    }
}
