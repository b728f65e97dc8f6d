/// Checks names that become folder or file names (source names, plan sources): ASCII letters, digits and a
/// few punctuation characters, at least one character. (A regular expression did the same and compiled
/// ICU's tables at every start: 7% of a one-document `curate`.)
package enum NameCharacters {
    /// Whether `name` is non-empty and made of ASCII letters, digits and the characters of `punctuation`.
    package static func isValid(_ name: String, punctuation: String) -> Bool {
        let extra = Array(punctuation.utf8)
        return !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
            default: return extra.contains(byte)
            }
        }
    }
}
