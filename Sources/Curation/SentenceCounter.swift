/// Sentences in a line as datatrove counts them for C4: spaCy's rule-based `sentencizer` over spaCy's tokens.
///
/// A new sentence starts at the first token after a sentence-final token (`.`, `!`, `?`, `。`, …) that is
/// neither punctuation (every character in Unicode category P) nor sentence-final itself.
enum SentenceCounter {
    static func count(_ s: UnsafeBufferPointer<UInt32>, language: FilterLanguage, tokens: inout [Range<Int>]) -> Int {
        tokens.removeAll(keepingCapacity: true)
        switch language {
        case .en: EnglishWordTokenizer.tokenize(s, 0..<s.count, into: &tokens, spaceTokens: true)
        case .zh: language.words(s, 0..<s.count, into: &tokens)
        }
        var sentences = 1
        var seenFinal = false
        for token in tokens {
            let isFinal = token.count == 1 && finalCharacters.contains(s[token.lowerBound])
            if seenFinal && !isFinal && !isPunctuation(s, token) {
                sentences += 1
                seenFinal = false
            } else if isFinal {
                seenFinal = true
            }
        }
        return sentences
    }

    private static func isPunctuation(_ s: UnsafeBufferPointer<UInt32>, _ token: Range<Int>) -> Bool {
        for i in token where !CharacterClasses.isUnicodePunctuation(s[i]) { return false }
        return true
    }

    /// spaCy 3.8's `Sentencizer.default_punct_chars`.
    static let finalCharacters: Set<UInt32> = CharacterClasses.parse("""
        21 2E 3F 589 61F 6D4 700 701 702 7F9 964 965 104A 104B 1362 1367 1368 166E 1735 1736 1803 1809 1944 1945 1AA8
        1AA9 1AAA 1AAB 1B5A 1B5B 1B5E 1B5F 1C3B 1C3C 1C7E 1C7F 203C 203D 2047 2048 2049 2E2E 2E3C 3002 A4FF A60E A60F
        A6F3 A6F7 A876 A877 A8CE A8CF A92F A9C8 A9C9 AA5D AA5E AA5F AAF0 AAF1 ABEB FE52 FE56 FE57 FF01 FF0E FF1F FF61
        10A56 10A57 11047 11048 110BE 110BF 110C0 110C1 11141 11142 11143 111C5 111C6 111CD 111DE 111DF 11238 11239
        1123B 1123C 112A9 1144B 1144C 115C2 115C3 115C9 115CA 115CB 115CC 115CD 115CE 115CF 115D0 115D1 115D2 115D3
        115D4 115D5 115D6 115D7 11641 11642 1173C 1173D 1173E 11A42 11A43 11A9B 11A9C 11C41 11C42 16A6E 16A6F 16AF5
        16B37 16B38 16B44 1BC9F 1DA88
        """)
}
