import Foundation

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

    static func parseRanks(_ bytes: [UInt8]) throws(TokenizerError) -> TokenBytesTable {
        var table = TokenBytesTable(capacity: 1 << 18)
        var lineNumber = 0
        var seenRanks = Set<UInt32>()
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty || line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: true)
            guard fields.count == 2,
                  let token = Data(base64Encoded: Data(fields[0])),
                  let rank = UInt32(String(decoding: fields[1].filter { $0 != 0x0D }, as: UTF8.self)) else {
                throw TokenizerError(.malformed, message: "line \(lineNumber): expected 'BASE64_TOKEN RANK', found '\(String(decoding: line.prefix(60), as: UTF8.self))'",
                                     hint: "the file may be truncated or not a tiktoken rank file")
            }
            guard seenRanks.insert(rank).inserted else {
                throw TokenizerError(.malformed, message: "line \(lineNumber): rank \(rank) appears twice")
            }
            table.insert(token, value: rank)
        }
        guard table.count > 0 else { throw TokenizerError(.malformed, message: "no ranks in the file") }
        return table
    }
}
