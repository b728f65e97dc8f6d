import Testing
@testable import Curation

/// C4's phrase rules read each line once for all phrases; they must find what one search per phrase finds.
@Suite struct C4PhraseTests {
    static let phrases: [(String, C4QualityStep.PhrasesFound)] = [
        ("lorem ipsum", .lorem), ("javascript", .javascript), ("terms of use", .policy), ("privacy policy", .policy),
        ("cookie policy", .policy), ("uses cookies", .policy), ("use of cookies", .policy), ("use cookies", .policy),
    ]

    /// `line.lower()` restricted to what can match ASCII: A–Z and the Kelvin sign.
    static func lowered(_ line: [UInt32]) -> String {
        String(String.UnicodeScalarView(line.map { c -> Unicode.Scalar in
            if c >= 0x41 && c <= 0x5A { return Unicode.Scalar(c | 0x20)! }
            if c == 0x212A { return "k" }
            return Unicode.Scalar(c) ?? "?"
        }))
    }

    @Test func onePassFindsWhatEachSearchFinds() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["Lorem", " ipsum", "lorem ips", "JavaScript", "javascrip", "Terms of Use", "terms of us", "PRIVACY",
                      " policy", "cookie", "Cookie Policy", "uses ", "use of ", "cookies", "use cookies", "\u{212A}", "é", " ", "x", "."]
        for _ in 0..<5000 {
            let count = Int.random(in: 0...6, using: &generator)
            let line = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let scalars = line.unicodeScalars.map(\.value)
            var expected = C4QualityStep.PhrasesFound()
            for (phrase, flag) in Self.phrases where Self.lowered(scalars).contains(phrase) { expected.insert(flag) }
            let found = scalars.withUnsafeBufferPointer(C4QualityStep.phrasesFound)
            #expect(found == expected, "\(line)")
        }
    }
}
