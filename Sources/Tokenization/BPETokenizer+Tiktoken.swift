extension BPETokenizer {
    /// Loads a tiktoken rank file (`base64-token rank` per line). The split pattern and special tokens come
    /// from `preset`, or from the file name (`cl100k_base`, `o200k_base`, `qwen`), or `pattern` overrides.
    public static func tiktoken(
        path: String, preset: TiktokenPreset? = nil, pattern: String? = nil, specialTokens: [String: UInt32]? = nil
    ) throws(TokenizerError) -> BPETokenizer {
        let bytes = try TokenizerFile.read(path)
        let fileName = TokenizerFile.baseName(path)
        guard let chosen = preset ?? TiktokenPreset.implied(byFileName: fileName) ?? (pattern != nil ? TiktokenPreset.gpt2 : nil) else {
            throw TokenizerError(.unsupported, path: path, message: "a rank file does not say which split pattern it goes with",
                                 hint: "name a preset (\(TiktokenPreset.all.map(\.name).joined(separator: ", "))) or give the pattern")
        }
        do {
            let ranks = try parseRanks(bytes)
            return try BPETokenizer(
                name: path, vocabulary: ranks, rules: .rankedBytes, wholePieceLookup: true,
                stages: [.split(try SplitPattern(pattern ?? chosen.pattern))], normalization: .none,
                specialTokens: specialTokens ?? (pattern == nil ? chosen.specialTokens : [:]))
        } catch {
            throw error.at(path)
        }
    }

    /// Parses `BASE64 RANK` lines. A hand-written base64 decoder and integer parser: Foundation's made
    /// loading a 150k-rank file take 0.4 s.
    static func parseRanks(_ bytes: [UInt8]) throws(TokenizerError) -> TokenBytesTable {
        var table = TokenBytesTable(capacity: 1 << 17)
        var seen: [Bool] = []
        var token: [UInt8] = []
        token.reserveCapacity(256)
        var lineNumber = 0
        var i = 0
        let n = bytes.count
        func malformed(_ what: String) -> TokenizerError {
            TokenizerError(.malformed, message: "line \(lineNumber): \(what)", hint: "the file may be truncated or not a tiktoken rank file")
        }
        while i < n {
            lineNumber += 1
            var end = i
            while end < n, bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            while lineEnd > i, bytes[lineEnd - 1] == 0x0D || bytes[lineEnd - 1] == 0x20 { lineEnd -= 1 }
            defer { i = end + 1 }
            if lineEnd == i { continue }
            guard let space = bytes[i..<lineEnd].firstIndex(of: 0x20) else { throw malformed("expected 'BASE64_TOKEN RANK'") }
            guard Base64.decode(bytes[i..<space], into: &token), !token.isEmpty else { throw malformed("the token is not base64") }
            var rank: UInt32 = 0
            var digits = 0
            for c in bytes[(space + 1)..<lineEnd] {
                guard c >= 0x30, c <= 0x39, digits < 10 else { throw malformed("the rank is not a number") }
                rank = rank &* 10 &+ UInt32(c - 0x30)
                digits += 1
            }
            guard digits > 0 else { throw malformed("no rank after the token") }
            if Int(rank) >= seen.count { seen += [Bool](repeating: false, count: Int(rank) + 1 - seen.count + 1024) }
            guard !seen[Int(rank)] else { throw malformed("rank \(rank) appears twice") }
            seen[Int(rank)] = true
            table.insert(token, value: rank)
        }
        guard table.count > 0 else { throw TokenizerError(.malformed, message: "no ranks in the file") }
        return table
    }
}

/// Standard base64 (RFC 4648, with padding), as tiktoken rank files use.
enum Base64 {
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// Decodes into `out` (replacing its contents); false if the text is not base64. Four characters
    /// at a time into the array's storage (appending byte by byte was a sixth of loading qwen.tiktoken).
    static func decode(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var end = text.endIndex
        var padding = 0
        while end > text.startIndex, text[end - 1] == 0x3D, padding < 2 { end -= 1; padding += 1 }
        let count = end - text.startIndex
        guard (count + padding) % 4 == 0 else { return false }
        if count == 0 { return true }
        let full = count / 4
        let rest = count % 4
        guard rest != 1 else { return false }
        let bytes = full * 3 + (rest == 0 ? 0 : rest - 1)
        return values.withUnsafeBufferPointer { values in
            text.withUnsafeBufferPointer { chars in
                var valid = true
                out.append(contentsOf: repeatElement(0, count: bytes))
                out.withUnsafeMutableBufferPointer { buffer in
                    let c = chars.baseAddress!
                    let o = buffer.baseAddress!
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
                    valid = bad & 0x80 == 0
                }
                return valid
            }
        }
    }
}
