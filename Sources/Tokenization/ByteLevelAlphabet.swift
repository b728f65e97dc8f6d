/// GPT-2's byte-level alphabet: each byte is shown as a printable character so that BPE vocabularies
/// (`tokenizer.json`, GGUF) can store byte strings as text. Printable Latin-1 bytes map to themselves; the
/// other 68 bytes map to U+0100 and up, in byte order.
enum ByteLevelAlphabet {
    /// `characterOf[b]`: the character standing for byte `b`.
    static let characterOf: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, or nil if it is not in the alphabet.
    static let byteOf: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, c) in characterOf.enumerated() { map[c.value] = UInt8(b) }
        return map
    }()

    /// The bytes a vocabulary entry stands for, or nil if it has a character outside the alphabet.
    static func bytes(of token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            guard let b = byteOf[scalar.value] else { return nil }
            out.append(b)
        }
        return out
    }
}
