/// Splits a text into paragraphs (blocks separated by blank lines) or lines, as byte ranges of its UTF-8,
/// skipping blocks that are only whitespace. Collector and decider split identically.
enum ParagraphSplitter {
    enum Unit: String, Sendable, CaseIterable {
        case paragraph, line
    }

    static func split(_ text: UnsafeBufferPointer<UInt8>, unit: Unit) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = 0
        var i = 0
        let n = text.count
        func close(_ end: Int) {
            var low = start, high = end
            while low < high && isBlank(text[low]) { low += 1 }
            while high > low && isBlank(text[high - 1]) { high -= 1 }
            if low < high { pieces.append(low..<high) }
        }
        while i < n {
            if text[i] == 0x0A {
                if unit == .line {
                    close(i)
                    start = i + 1
                } else {
                    // A blank line ends a paragraph: "\n", optional spaces, "\n".
                    var j = i + 1
                    while j < n && (text[j] == 0x20 || text[j] == 0x09 || text[j] == 0x0D) { j += 1 }
                    if j < n && text[j] == 0x0A {
                        close(i)
                        while j < n && isBlank(text[j]) { j += 1 }
                        start = j
                        i = j
                        continue
                    }
                }
            }
            i += 1
        }
        close(n)
        return pieces
    }

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}
