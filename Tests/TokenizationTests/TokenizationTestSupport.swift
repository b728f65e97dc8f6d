import CXXHash
import Corpus
import Foundation
import Testing
@testable import Tokenization

/// The package root (the folder holding Package.swift), found from this file's path.
func packageRoot(file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url = url.deletingLastPathComponent()
    }
    fatalError("Package.swift not found above \(file)")
}

/// A tiktoken rank file of `tokens` (ranked in this order) written into `folder`, loaded with `pattern`.
/// The 256 single bytes, then `wanted` distinct tokens from `make` (nil: no token this time), for a toy
/// vocabulary.
func byteVocabulary(adding wanted: Int, _ make: () -> [UInt8]?) -> [[UInt8]] {
    var tokens: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    var seen = Set(tokens)
    while tokens.count < 256 + wanted {
        if let token = make(), seen.insert(token).inserted { tokens.append(token) }
    }
    return tokens
}

/// A fresh folder under the temporary directory (the caller removes it).
func temporaryFolder(_ name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

func toyTiktoken(_ tokens: [[UInt8]], in folder: URL, name: String, pattern: String) throws -> BPETokenizer {
    var file = ""
    for (rank, token) in tokens.enumerated() { file += Data(token).base64EncodedString() + " \(rank)\n" }
    let path = folder.appendingPathComponent("\(name).tiktoken").path
    try file.write(toFile: path, atomically: true, encoding: .utf8)
    return try BPETokenizer.tiktoken(path: path, pattern: pattern)
}

enum Fixtures {
    static var folder: URL { packageRoot().appendingPathComponent("Tests/Fixtures/tokenizers") }
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The real-data folder beside the repository (`../shared/data`), present on developer machines and in CI.
    static var sharedData: URL { packageRoot().deletingLastPathComponent().appendingPathComponent("shared/data") }

    /// The four real tokenizers the reference fixtures were made with.
    static let names = ["qwen", "cl100k", "o200k", "smollm2"]

    nonisolated(unsafe) private static var loaded: [String: BPETokenizer] = [:]
    private static let lock = NSLock()

    static func tokenizer(_ name: String) throws -> BPETokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let t = loaded[name] { return t }
        let t: BPETokenizer
        switch name {
        case "qwen": t = try BPETokenizer.load(path: path("qwen.tiktoken.zst"))
        case "cl100k": t = try BPETokenizer.load(path: path("cl100k_base.tiktoken.zst"))
        case "o200k": t = try BPETokenizer.load(path: path("o200k_base.tiktoken.zst"))
        case "smollm2": t = try BPETokenizer.load(path: path("smollm2.tokenizer.json.zst"))
        case "smollm2-gguf": t = try BPETokenizer.load(path: path("smollm2.tokenizer.gguf.zst"))
        default: fatalError("no fixture tokenizer \(name)")
        }
        loaded[name] = t
        return t
    }

    /// `tokenizers` matches added tokens in text on every `encode`; tiktoken's `encode_ordinary` never does.
    static func referenceAllowsSpecial(_ name: String) -> Bool { name == "smollm2" }

    /// Reads every line of a (possibly compressed) text file.
    static func lines(_ path: String) throws -> [String] {
        let source = try Compression.openForReading(path)
        let reader = LineReader(source: source)
        var out: [String] = []
        while let line = try reader.next() {
            out.append(String(decoding: line.bytes, as: UTF8.self))
        }
        return out
    }
}

/// XXH64 (seed 0) of token ids packed as little-endian UInt32: the fixtures' digest.
func idsDigest(_ ids: [UInt32]) -> String {
    let hash = ids.map(\.littleEndian).withUnsafeBytes { XXH64($0.baseAddress, $0.count, 0) }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
