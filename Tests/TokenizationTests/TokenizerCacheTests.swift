import Foundation
import Testing
@testable import Corpus
@testable import Tokenization

/// A tokenizer mapped from its cached image (rank files, tokenizer.json, GGUF) must be the built one, id
/// for id; a damaged or foreign image must never be used.
@Suite struct TokenizerCacheTests {
    static func files(_ cache: TokenizerCache) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: cache.folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "stokimg" }
    }

    static func describe(_ stage: PreTokenizerStage) -> String {
        switch stage {
        case let .split(pattern): "split \(pattern.source)"
        case let .digits(individual): "digits \(individual)"
        case .prefixSpace: "prefix space"
        }
    }

    /// The fixture files, by the name tests give them.
    static let fixtureFiles = [
        "qwen": "qwen.tiktoken.zst", "cl100k": "cl100k_base.tiktoken.zst", "o200k": "o200k_base.tiktoken.zst",
        "smollm2-json": "smollm2.tokenizer.json.zst", "smollm2-gguf": "smollm2.tokenizer.gguf.zst",
    ]

    /// Loads `name`'s fixture twice through a fresh cache: built, then mapped.
    static func builtAndMapped(_ name: String, in folder: URL) throws -> (BPETokenizer, BPETokenizer, TokenizerCache) {
        let cache = TokenizerCache(folder: folder.appendingPathComponent(name))
        let path = Fixtures.path(try #require(fixtureFiles[name]))
        let built = try BPETokenizer.load(path: path, cache: cache)
        #expect(built.vocabulary != nil, "the first load builds")
        #expect(files(cache).count == 1, "and saves one image")
        let mapped = try BPETokenizer.load(path: path, cache: cache)
        #expect(mapped.vocabulary == nil, "the second load maps the image")
        return (built, mapped, cache)
    }

    @Test(arguments: ["qwen", "cl100k", "o200k", "smollm2-json", "smollm2-gguf"])
    func mappedTokenizerEncodesAndDecodesLikeTheBuiltOne(_ name: String) throws {
        let folder = try temporaryFolder("tokenizer-cache-\(name)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (built, mapped, _) = try Self.builtAndMapped(name, in: folder)
        #expect(mapped.vocabularySize == built.vocabularySize)
        #expect(mapped.byteIDs == built.byteIDs)
        #expect(mapped.skippedBytes == built.skippedBytes)
        #expect(mapped.specialTokens == built.specialTokens)
        #expect(mapped.wholePieceLookup == built.wholePieceLookup && mapped.normalization == built.normalization)
        #expect(mapped.stages.map(Self.describe) == built.stages.map(Self.describe))
        #expect((mapped.frozenMerges == nil) == (built.frozenMerges == nil) && (mapped.innerPairs == nil) == (built.innerPairs == nil))
        for id in 0..<UInt32(built.vocabularySize) {
            let bytes = try? built.decodeBytes([id])
            #expect((try? mapped.decodeBytes([id])) == bytes, "\(name): token \(id)")
        }
        let texts = BacktrackingEncoderTests.adversarialStrings(seed: 11) + TokenizerBehaviourTests.randomStrings(count: 800, seed: 12)
            + ["Hello, world! It's 2026.\n\n  def f(x):\n\treturn x**2  ", "中文的文本，和 English 混合。", "<|endoftext|> text"]
        let a = built.makeEncoder(), b = mapped.makeEncoder()
        var tokens = 0
        for text in texts {
            let ids = try a.encode(text)
            tokens += ids.count
            #expect(try b.encode(text) == ids, "\(name): \(text.debugDescription)")
            #expect(try b.encode(text, allowSpecial: true) == (try a.encode(text, allowSpecial: true)))
        }
        #expect(tokens > 10_000)
    }

    /// A flipped byte or a cut-off file fails the checksum: the image is removed, the tokenizer built
    /// again (with the same ids) and saved anew.
    @Test func damagedImagesAreRebuilt() throws {
        let folder = try temporaryFolder("tokenizer-cache-damaged")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (built, _, cache) = try Self.builtAndMapped("qwen", in: folder)
        let image = try #require(Self.files(cache).first)
        let original = try Data(contentsOf: image)
        for damage in ["flip", "truncate", "empty"] {
            var bytes = original
            switch damage {
            case "flip": bytes[bytes.count / 2] ^= 0x10
            case "truncate": bytes = bytes.prefix(bytes.count - 100)
            default: bytes = Data()
            }
            try bytes.write(to: image)
            let path = Fixtures.path("qwen.tiktoken.zst")
            let reloaded = try BPETokenizer.load(path: path, cache: cache)
            #expect(reloaded.vocabulary != nil, "\(damage): a damaged image is not used")
            #expect(try reloaded.encode("Damaged images are rebuilt, 重建。") == (try built.encode("Damaged images are rebuilt, 重建。")))
            #expect(try Data(contentsOf: image) == original, "\(damage): and saved again")
            #expect(try BPETokenizer.load(path: path, cache: cache).vocabulary == nil)
        }
    }

    /// The key covers the split pattern and the special tokens: another pattern gets its own image, and
    /// an image under another key's name is refused.
    @Test func imagesAreKeyedByEverythingTheTablesDependOn() throws {
        let folder = try temporaryFolder("tokenizer-cache-keys")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, _, cache) = try Self.builtAndMapped("qwen", in: folder)
        let path = Fixtures.path("qwen.tiktoken.zst")
        let gpt2 = try BPETokenizer.load(path: path, pattern: "gpt2", cache: cache)
        #expect(gpt2.vocabulary != nil)
        #expect(Self.files(cache).count == 2)
        let bytes = try TokenizerFile.read(path)
        let qwenKey = TokenizerCache.key(fileBytes: bytes, pattern: TiktokenPreset.qwen.pattern, specialTokens: TiktokenPreset.qwen.specialTokens)
        #expect(qwenKey != TokenizerCache.key(fileBytes: bytes, pattern: TiktokenPreset.qwen.pattern, specialTokens: [:]))
        #expect(qwenKey != TokenizerCache.key(fileBytes: bytes.dropLast(), pattern: TiktokenPreset.qwen.pattern, specialTokens: TiktokenPreset.qwen.specialTokens))
        // The gpt2 image renamed to the qwen key: its header names another key.
        let gpt2Key = TokenizerCache.key(fileBytes: bytes, pattern: TiktokenPreset.gpt2.pattern, specialTokens: TiktokenPreset.gpt2.specialTokens)
        try FileManager.default.removeItem(at: cache.path(forKey: qwenKey))
        try FileManager.default.copyItem(at: cache.path(forKey: gpt2Key), to: cache.path(forKey: qwenKey))
        #expect(try BPETokenizer.load(path: path, cache: cache).vocabulary != nil)
    }

    /// A cache folder that cannot be written costs the saving, never the load.
    @Test func anUnwritableCacheStillLoads() throws {
        let folder = try temporaryFolder("tokenizer-cache-unwritable")
        defer { try? FileManager.default.removeItem(at: folder) }
        let blocker = folder.appendingPathComponent("file")
        try Data("not a folder".utf8).write(to: blocker)
        let cache = TokenizerCache(folder: blocker.appendingPathComponent("tokenizers"))
        let tokenizer = try BPETokenizer.load(path: Fixtures.path("qwen.tiktoken.zst"), cache: cache)
        #expect(try tokenizer.encode("still loads") == (try Fixtures.tokenizer("qwen").encode("still loads")))
    }

    /// A GGUF model's key is its metadata: any changed byte there changes it, its tensor data does not.
    @Test func ggufImagesAreKeyedByTheMetadata() throws {
        let folder = try temporaryFolder("tokenizer-cache-gguf-key")
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try TokenizerFile.read(Fixtures.path("smollm2.tokenizer.gguf.zst"))
        func hash(_ bytes: [UInt8]) throws -> UInt64 {
            let path = folder.appendingPathComponent("model.gguf").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return try GGUFMetadata.hash(path: path)
        }
        let base = try hash(original)
        #expect(try hash(original + [UInt8](repeating: 7, count: 5 << 20)) == base, "tensor data after the metadata")
        // The fixture ends with its last key, padding_token_id, its value and padding to the alignment.
        for offset in [9, original.count / 3, original.count / 2, original.count - 40] {
            var changed = original
            changed[offset] ^= 0x01
            #expect((try? hash(changed)) != base, "a byte changed at \(offset)")
        }
    }

    /// Past `maximumImages`, saving an image removes the least recently used one; mapping one marks it used.
    @Test func theLeastRecentlyUsedImagesAreRemoved() throws {
        let folder = try temporaryFolder("tokenizer-cache-prune")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = TokenizerCache(folder: folder.appendingPathComponent("tokenizers"), maximumImages: 2)
        func load(_ name: String) throws -> BPETokenizer { try BPETokenizer.load(path: Fixtures.path(try #require(Self.fixtureFiles[name])), cache: cache) }
        func images() -> Set<String> { Set(Self.files(cache).map(\.lastPathComponent)) }
        _ = try load("qwen")
        let qwen = images()
        _ = try load("cl100k")
        let cl100k = images().subtracting(qwen)
        #expect(images().count == 2)
        Thread.sleep(forTimeInterval: 0.02)
        #expect(try load("qwen").vocabulary == nil, "mapped, and so marked used")
        Thread.sleep(forTimeInterval: 0.02)
        _ = try load("smollm2-json")
        #expect(images().count == 2)
        #expect(images().isSuperset(of: qwen), "used most recently but one: kept")
        #expect(images().isDisjoint(with: cl100k), "the least recently used: removed")
    }

    @Test func folderComesFromTheEnvironment() {
        #expect(TokenizerCache.fromEnvironment(["SYLLABUS_CACHE_DIR": "off", "HOME": "/h"]) == nil)
        #expect(TokenizerCache.fromEnvironment(["SYLLABUS_CACHE_DIR": "/c", "HOME": "/h"])?.folder.path == "/c/tokenizers")
        #expect(TokenizerCache.fromEnvironment(["XDG_CACHE_HOME": "/x", "HOME": "/h"])?.folder.path == "/x/syllabus/tokenizers")
        #expect(TokenizerCache.fromEnvironment(["HOME": "/h"])?.folder.path == "/h/.cache/syllabus/tokenizers")
        #expect(TokenizerCache.fromEnvironment([:]) == nil)
    }
}
