import Foundation
import Testing
@testable import Corpus

/// A temporary folder, removed by `cleanup()`.
struct TempDir {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("syllabus-corpus-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// The package root (the folder holding Package.swift), found from this file's path.
func packageRoot(file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url = url.deletingLastPathComponent()
    }
    fatalError("Package.swift not found above \(file)")
}

/// A small deterministic generator (SplitMix64), so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// All bytes a source yields.
func readAll(_ source: any ByteSource, chunk: Int = 1 << 16) throws -> [UInt8] {
    var out: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = try source.read(into: buffer)
        if n == 0 { return out }
        out.append(contentsOf: buffer[..<n])
    }
}

/// The decompressed bytes of a file, read with the project's own readers.
func decompressedBytes(of path: String) throws -> [UInt8] {
    try readAll(Compression.openForReading(path))
}

/// Everything a reader yields.
func readEntries(_ reader: JSONLReader) throws -> [JSONLReader.Entry] {
    var entries: [JSONLReader.Entry] = []
    while let entry = try reader.next() { entries.append(entry) }
    return entries
}

func documents(_ entries: [JSONLReader.Entry]) -> [Document] {
    entries.compactMap { if case let .document(d) = $0 { return d } else { return nil } }
}

/// Decodes one line into a document (fallback id "fallback").
func decodeLine(_ line: String, format: RecordFormat = RecordFormat()) throws(RecordProblem) -> Document {
    try decodeLine(Array(line.utf8), format: format)
}

func decodeLine(_ bytes: [UInt8], format: RecordFormat = RecordFormat()) throws(RecordProblem) -> Document {
    var decoder = DocumentDecoder(format: format)
    let result: Result<Document, RecordProblem> = bytes.withUnsafeBytes { raw in
        do throws(RecordProblem) {
            return .success(try decoder.decode(line: raw) { "fallback" })
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// The problem a line raises, or nil if it decodes.
func problem(of line: [UInt8], format: RecordFormat = RecordFormat()) -> RecordProblem? {
    do {
        _ = try decodeLine(line, format: format)
        return nil
    } catch {
        return error
    }
}

func encode(_ document: Document, format: RecordFormat = RecordFormat()) -> [UInt8] {
    var out: [UInt8] = []
    DocumentEncoder(format: format).append(document, to: &out)
    return out
}

func encodeString(_ document: Document, format: RecordFormat = RecordFormat()) -> String {
    String(decoding: encode(document, format: format), as: UTF8.self)
}

/// Writes bytes through a sink of the given compression.
func writeCompressed(_ bytes: [UInt8], to path: String, compression: Compression) throws {
    let sink = try ByteSinks.create(path: path, compression: compression)
    try sink.write(bytes)
    try sink.finish()
}

/// Where two byte sequences first differ, or nil when equal. Use it instead of `#expect(a == b)` on large
/// arrays: a failing `==` on megabytes makes the test library compute a diff, which takes minutes.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
    if a == b { return nil }
    for index in 0..<min(a.count, b.count) where a[index] != b[index] { return index }
    return min(a.count, b.count)
}
