/// The split patterns and special tokens of the tiktoken encodings Syllabus knows by name.
///
/// Patterns are tiktoken's own (`tiktoken_ext/openai_public.py`) and Qwen's (`tokenization_qwen.py`),
/// character for character; the parity fixtures in Tests/ were produced with them.
public struct TiktokenPreset: Sendable {
    public let name: String
    public let pattern: String
    public let specialTokens: [String: UInt32]

    public static let cl100k = TiktokenPreset(
        name: "cl100k",
        pattern: #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#,
        specialTokens: ["<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259,
                        "<|fim_suffix|>": 100260, "<|endofprompt|>": 100276])

    public static let o200k = TiktokenPreset(
        name: "o200k",
        pattern: [
            #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
            #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
            #"\p{N}{1,3}"#,
            #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
            #"\s*[\r\n]+"#,
            #"\s+(?!\S)"#,
            #"\s+"#,
        ].joined(separator: "|"),
        specialTokens: ["<|endoftext|>": 199999, "<|endofprompt|>": 200018])

    /// Qwen (qwen.tiktoken, 151,643 ranks): single digits, otherwise cl100k's shape.
    public static let qwen = TiktokenPreset(
        name: "qwen",
        pattern: #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#,
        specialTokens: ["<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645])

    /// GPT-2's pattern (also ByteLevel's `use_regex` in tokenizer.json).
    public static let gpt2 = TiktokenPreset(
        name: "gpt2",
        pattern: #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#,
        specialTokens: ["<|endoftext|>": 50256])

    public static let all = [cl100k, o200k, qwen, gpt2]

    public static func named(_ name: String) -> TiktokenPreset? {
        let key = name.lowercased()
        return all.first { key == $0.name || key == $0.name + "_base" }
    }

    /// The preset a rank file's name implies (`cl100k_base.tiktoken`, `qwen.tiktoken`, …).
    static func implied(byFileName name: String) -> TiktokenPreset? {
        let lower = name.lowercased()
        if lower.hasPrefix("cl100k") { return cl100k }
        if lower.hasPrefix("o200k") { return o200k }
        if lower.hasPrefix("qwen") { return qwen }
        if lower.hasPrefix("gpt2") || lower.hasPrefix("r50k") { return gpt2 }
        return nil
    }
}
