@testable import Corpus
import Testing

@Suite struct NameCharactersTests {
    @Test func lettersDigitsAndTheGivenPunctuationOnly() {
        for name in ["web", "Web_2", "c4.en-v1", "0"] { #expect(NameCharacters.isValid(name, punctuation: "_.-"), "\(name)") }
        for name in ["", "a b", "web/x", "é", "web\n", "a:b", "a*"] { #expect(!NameCharacters.isValid(name, punctuation: "_.-"), "\(name)") }
        #expect(NameCharacters.isValid("web/x", punctuation: "_.-/"))
    }
}
