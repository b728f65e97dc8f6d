import Foundation
import Testing
@testable import Tokenization

/// `FrozenCharTrie` (longest matches at three-byte characters, one character per step) and the pair
/// check's `brokenStarts` filter are shortcuts of the backtracking encoder: with them on or off, and
/// against the merger, ids must be identical.
@Suite struct CharTrieTests {
    typealias Random = BacktrackingEncoderTests.Random

    /// Every token of the real vocabularies that is whole three-byte characters is found by the trie
    /// under its own id; spans of such characters that are no token are not.
    @Test(arguments: BacktrackingEncoderTests.ranked)
    func trieAnswersLikeTheVocabulary(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        let trie = try #require(tokenizer.frozenCharTrie).view
        var found = 0
        var random = Random(state: 7)
        tokenizer.vocabulary!.forEach { key, id in
            key.withUnsafeBufferPointer { p in
                let n = p.count
                let answer = trie.token(p.baseAddress!, n)
                if n >= 3, n % 3 == 0, (0..<(n / 3)).allSatisfy({ CharTrieView.character(p.baseAddress! + 3 * $0, available: 3) >= 0 }) {
                    #expect(answer == Int(id), "\(name): \(key)")
                    found += 1
                } else {
                    #expect(answer == -2, "\(name): \(key)")
                }
            }
        }
        #expect(found > 1000)
        // Random spans of common characters: the trie and the vocabulary agree.
        let han = Array("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研")
        for _ in 0..<20000 {
            var s = ""
            for _ in 0..<(1 + random.next(4)) { s.append(han[random.next(han.count)]) }
            let bytes = Array(s.utf8)
            let answer = bytes.withUnsafeBufferPointer { trie.token($0.baseAddress!, $0.count) }
            let expected = tokenizer.vocabulary!.value(bytes).map(Int.init) ?? -1
            #expect(answer == expected, "\(name): \(s)")
        }
    }

    /// The encoder with each shortcut off against the encoder with both on and the merger, on random Han
    /// runs, mixed scripts and the repository's multilingual text.
    @Test(arguments: BacktrackingEncoderTests.ranked)
    func shortcutsChangeNoIds(_ name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        func encoder(trie: Bool, broken: Bool) -> TokenEncoder {
            let e = tokenizer.makeEncoder()
            e.backtrackingMinimum = 1
            e.backtrackingUsesCharTrie = trie
            e.backtrackingUsesBrokenStarts = broken
            return e
        }
        let both = encoder(trie: true, broken: true)
        #expect(both.backtrackingUsesCharTrie && both.backtrackingUsesBrokenStarts)
        let variants = [encoder(trie: false, broken: false), encoder(trie: true, broken: false), encoder(trie: false, broken: true)]
        let merging = tokenizer.makeEncoder()
        merging.usesBacktracking = false
        var texts = BacktrackingEncoderTests.adversarialStrings(seed: 11) + TokenizerBehaviourTests.randomStrings(count: 500, seed: 5)
        let folder = Fixtures.sharedData.appendingPathComponent("multilingual")
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        where file.hasSuffix(".jsonl") || file.hasSuffix(".jsonl.zst") {
            for line in try Fixtures.lines(folder.appendingPathComponent(file).path).prefix(100) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let text = object["text"] as? String else { continue }
                texts.append(text)
            }
        }
        for text in texts {
            let ids = try both.encode(text)
            #expect(ids == (try merging.encode(text)), "\(name): \(text.debugDescription)")
            for variant in variants { #expect(ids == (try variant.encode(text)), "\(name): \(text.debugDescription)") }
        }
        #expect(both.backtrackingFallbacks == 0)
    }

    /// Toy vocabularies over four three-byte characters whose tokens also cut characters anywhere (a
    /// character's first byte, its last two, a character and the next one's first byte…), ranks in
    /// random order: irregular trie nodes, tokens that are not whole characters in the pair check, and
    /// tokens that do not encode to themselves. Ids must be the merger's with the shortcuts on and off.
    @Test func toyVocabulariesWithBrokenCharacters() throws {
        var random = Random(state: 77)
        let folder = try temporaryFolder("syllabus-chartrie")
        defer { try? FileManager.default.removeItem(at: folder) }
        let characters: [Character] = ["中", "文", "的", "ア"]
        var irregular = 0
        for round in 0..<30 {
            let tokens = byteVocabulary(adding: 20 + random.next(150)) {
                // A run of whole characters, then cut at a random byte on both ends (whole most of the time).
                var bytes: [UInt8] = []
                for _ in 0..<(1 + random.next(4)) { bytes += Array(String(characters[random.next(characters.count)]).utf8) }
                let start = random.next(3) == 0 ? random.next(3) : 0
                let end = random.next(3) == 0 ? bytes.count - random.next(3) : bytes.count
                return end - start >= 2 ? Array(bytes[start..<end]) : nil
            }
            var rest = Array(tokens[256...])
            if round % 2 == 0 { rest.sort { $0.count < $1.count } }
            for i in stride(from: rest.count - 1, to: 0, by: -1) where random.next(round % 2 == 0 ? 4 : 1) == 0 {
                rest.swapAt(i, random.next(i + 1))
            }
            let tokenizer = try toyTiktoken(Array(tokens[..<256]) + rest, in: folder, name: "toy\(round)", pattern: "[^ ]+| +")
            let trie = try #require(tokenizer.frozenCharTrie).view
            for c in characters {
                let bytes = Array(String(c).utf8)
                let root = bytes.withUnsafeBufferPointer { trie.roots[CharTrieView.character($0.baseAddress!, available: 3)] }
                if root & CharTrieView.irregular != 0 { irregular += 1 }
            }
            var encoders: [TokenEncoder] = []
            for (trieOn, brokenOn) in [(true, true), (false, false), (true, false), (false, true)] {
                let e = tokenizer.makeEncoder()
                e.backtrackingMinimum = 1
                e.backtrackingUsesCharTrie = trieOn
                e.backtrackingUsesBrokenStarts = brokenOn
                encoders.append(e)
            }
            let merging = tokenizer.makeEncoder()
            merging.usesBacktracking = false
            for _ in 0..<200 {
                var text = ""
                for _ in 0..<(1 + random.next(25)) { text.append(random.next(12) == 0 ? " " : characters[random.next(characters.count)]) }
                let expected = try merging.encode(text)
                for e in encoders { #expect(try e.encode(text) == expected, "round \(round): \(text)") }
            }
        }
        // Some rounds must have characters with broken continuations, or the test proves less than it claims.
        #expect(irregular > 10)
    }
}
