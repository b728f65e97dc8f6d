import CXXHash

/// Short content digests (xxHash64), for detecting changes; not for security.
public enum Digest {
    public static func xxh64(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var text = text
        return text.withUTF8 { XXH64($0.baseAddress, $0.count, seed) }
    }

    /// 16 hex digits.
    public static func hex64(_ text: String) -> String {
        let hex = String(xxh64(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
