@testable import Curation
import Testing

/// The eight-at-a-time scans against one character at a time, on random text dense in line breaks (so
/// every block boundary falls inside or next to one).
@Suite struct ScalarTextTests {
    static let alphabet: [UInt32] = [0x61, 0x20, 0x0A, 0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0x2028, 0x2029, 0x2027, 0x202A, 0x84, 0x4E2D]

    /// Python's `str.splitlines()`, one character at a time.
    static func referenceLines(_ s: [UInt32]) -> [Range<Int>] {
        let breaks: Set<UInt32> = [0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029]
        var lines: [Range<Int>] = []
        var start = 0, i = 0
        while i < s.count {
            if breaks.contains(s[i]) {
                lines.append(start..<i)
                if s[i] == 0x0D && i + 1 < s.count && s[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < s.count { lines.append(start..<s.count) }
        return lines
    }

    @Test func splitLinesAndNextNewlineMatchACharacterAtATime() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...80, using: &generator)).map { _ in
                Int.random(in: 0..<3, using: &generator) == 0 ? Self.alphabet.randomElement(using: &generator)! : 0x62
            }
            text.withUnsafeBufferPointer { s in
                #expect(ScalarText.splitLines(s, 0..<s.count) == Self.referenceLines(text), "\(text)")
                for from in 0...s.count {
                    let expected = text[from...].firstIndex(of: 0x0A) ?? s.count
                    #expect(ScalarText.nextNewline(s, from, s.count) == expected)
                }
            }
        }
    }
}
