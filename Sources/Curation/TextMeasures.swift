/// Character and word counts with the conventions the filters share.
public enum TextMeasures {
    /// Unicode scalars, as Python's `len(str)` counts them.
    public static func characterCount(_ text: String) -> Int {
        var count = 0
        var text = text
        text.withUTF8 { bytes in
            // Every scalar has exactly one byte that is not a continuation byte (10xxxxxx).
            for b in bytes where b & 0xC0 != 0x80 { count += 1 }
        }
        return count
    }

    /// Words: runs of non-whitespace characters, except that each CJK ideograph, kana or hangul
    /// syllable counts as a word of its own (text in those scripts has no spaces between words).
    public static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                inWord = false
            } else if isCJK(scalar) {
                count += 1
                inWord = false
            } else if !inWord {
                count += 1
                inWord = true
            }
        }
        return count
    }

    /// Han ideographs, kana, hangul, CJK punctuation and full-width forms.
    @inline(__always)
    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF,
             0xFF00...0xFFEF, 0x20000...0x3134F:
            return true
        default:
            return false
        }
    }
}
