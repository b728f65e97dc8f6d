import CXXHash
import Foundation

/// Built tokenizers saved as images of their tables, mapped back on the next load.
///
/// Building qwen's tables (parse 151k base64 lines, hash table, prefix bits, character trie, decode table)
/// takes ~45 ms of every `tokenize`/`pack` run, on one thread while the workers wait: 7% of a one-worker
/// run over 40 MB of English and 12% of a two-worker one; SmolLM2's tokenizer.json (parse 3.5 MB of JSON,
/// 49k tokens and merges) ~70 ms. Mapping an image takes ~2 ms. The image holds everything the tokenizer
/// is (tables, pre-tokenizer steps, special tokens, normalizer), and its key covers everything they depend
/// on (the file's bytes — a GGUF model's metadata —, a rank file's split pattern and special tokens, the
/// image format, and a fingerprint of the hash functions that place keys in the tables), so a changed file
/// or a changed Syllabus never reads a stale image; a checksum over the whole image and a spot check of
/// token lookups and merges guard against a damaged one, which is then rebuilt.
///
/// The folder: `SYLLABUS_CACHE_DIR` (`off` turns caching off), else `$XDG_CACHE_HOME/syllabus`, else
/// `~/.cache/syllabus`; images go in its `tokenizers/` subfolder, one per key (~9 MB for qwen, ~4 MB for
/// SmolLM2). Images are written to a temporary name and renamed, so concurrent runs (Slurm array tasks)
/// never read a partial one. Mapping an image marks it used (its modification time); saving one removes
/// the least recently used beyond `maximumImages`.
public struct TokenizerCache: Sendable {
    public let folder: URL
    /// Images kept: saving one more removes the least recently used beyond this many (a new Syllabus build
    /// or a changed tokenizer file gets new images; the old ones would otherwise pile up, 5-9 MB each).
    public var maximumImages: Int

    public init(folder: URL, maximumImages: Int = 16) {
        self.folder = folder
        self.maximumImages = maximumImages
    }

    /// The cache the environment names, or nil when `SYLLABUS_CACHE_DIR=off`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TokenizerCache? {
        if let dir = environment["SYLLABUS_CACHE_DIR"], !dir.isEmpty {
            if ["off", "none", "0"].contains(dir.lowercased()) { return nil }
            return TokenizerCache(folder: URL(fileURLWithPath: dir).appendingPathComponent("tokenizers"))
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return TokenizerCache(folder: URL(fileURLWithPath: xdg).appendingPathComponent("syllabus/tokenizers"))
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return TokenizerCache(folder: URL(fileURLWithPath: home).appendingPathComponent(".cache/syllabus/tokenizers"))
    }

    static let magic: UInt64 = 0x3147_4D49_4B4F_5453  // "STOKIMG1", little-endian
    /// Bump when the image's contents or their order change.
    static let formatVersion: UInt64 = 2

    /// A fingerprint of the functions that decide where keys sit in the tables: a change to any of them
    /// changes every key, so images of an older build are never read.
    static let layoutFingerprint: UInt64 = {
        let probe = Array("Syllabus tokenizer image layout probe, \u{4E2D}\u{6587}".utf8)
        return probe.withUnsafeBytes { raw -> UInt64 in
            var h: UInt64 = 0
            for n in stride(from: 1, through: raw.count, by: 3) {
                let prefix = TokenBytesTable.prefix(raw.baseAddress!, n, available: n)
                let hash = TokenBytesTable.hash(prefix: prefix, raw.baseAddress!, n)
                h = (h ^ hash ^ UInt64(PrefixBitsView.bucket(hash, (1 << 21) - 1)) << 1) &* 0x9E37_79B9_7F4A_7C15
                h ^= UInt64(CharTrieView.slot(prefix, (1 << 20) - 1)) << 3 ^ UInt64(CharTrieView.filterBit(prefix, (1 << 15) - 1)) << 29
                h ^= UInt64(PairMergeTable.slot(hash, (1 << 20) - 1)) << 17
            }
            return h
        }
    }()

    /// The key of a rank file's tokenizer: its bytes and everything else its tables depend on.
    static func key(fileBytes: [UInt8], pattern: String, specialTokens: [String: UInt32]) -> UInt64 {
        fileBytes.withUnsafeBufferPointer { key(fileBytes: $0, pattern: pattern, specialTokens: specialTokens) }
    }

    static func key(fileBytes: UnsafeBufferPointer<UInt8>, pattern: String, specialTokens: [String: UInt32]) -> UInt64 {
        var described = "rank file, pattern \(pattern.utf8.count):\(pattern)"
        for (text, id) in specialTokens.sorted(by: { $0.value < $1.value }) { described += " special \(id) \(text.utf8.count):\(text)" }
        return key(source: fileBytes, described: described)
    }

    /// The key of a tokenizer read from `source` (a file's bytes), whose other inputs `described` names
    /// (the kind of file; a rank file's pattern and special tokens).
    static func key(source: UnsafeBufferPointer<UInt8>, described: String) -> UInt64 {
        key(sourceHash: XXH3_64bits(source.baseAddress, source.count), described: described)
    }

    /// The key of a tokenizer whose source is hashed already (a GGUF model's metadata: `GGUFMetadata.hash`).
    static func key(sourceHash: UInt64, described: String) -> UInt64 {
        let tail = Array("v\(formatVersion) layout \(layoutFingerprint) \(described)".utf8)
        return tail.withUnsafeBytes { XXH3_64bits_withSeed($0.baseAddress, $0.count, sourceHash) }
    }

    /// The tokenizer saved under `key`, or nil (none yet, or a damaged one, which is removed and noted).
    func load(key: UInt64, name: String) -> BPETokenizer? {
        let file = path(forKey: key)
        do throws(TokenizerImage.Invalid) {
            guard let image = try TokenizerImage(path: file.path, key: key) else { return nil }
            let tokenizer = try BPETokenizer(name: name, image: image)
            _ = utimensat(AT_FDCWD, file.path, nil, 0)  // marks it used (`prune`); a read-only cache stays as it is
            return tokenizer
        } catch {
            note("\(file.path) is unusable (\(error.reason)); rebuilding it")
            try? FileManager.default.removeItem(at: file)
            return nil
        }
    }

    /// The tokenizer under `key`, else the one `build` makes, saved under `key` for the next load.
    func tokenizer(key: UInt64, name: String, build: () throws(TokenizerError) -> BPETokenizer) throws(TokenizerError) -> BPETokenizer {
        if let cached = load(key: key, name: name) { return cached }
        let built = try build()
        save(built, key: key)
        return built
    }

    /// Saves `tokenizer`'s image under `key` (written aside, then renamed into place). A cache that cannot
    /// be written is noted and otherwise ignored: loading works without it.
    func save(_ tokenizer: BPETokenizer, key: UInt64) {
        let image = tokenizer.image(key: key)
        let file = path(forKey: key)
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(image).write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            prune(keeping: file)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            note("cannot write \(file.path) (\(error.localizedDescription)); the next run builds the tokenizer again (set SYLLABUS_CACHE_DIR to a writable folder, or to off)")
        }
    }

    /// Removes the least recently used images beyond `maximumImages` (never `kept`, the one just saved).
    func prune(keeping kept: URL) {
        let images = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.contentModificationDateKey])) ?? [])
            .filter { $0.pathExtension == "stokimg" && $0.lastPathComponent != kept.lastPathComponent }
        guard images.count >= maximumImages else { return }
        let byAge = images.map { ($0, (try? $0.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast) }
            .sorted { $0.1 > $1.1 }
        for (old, _) in byAge.dropFirst(max(0, maximumImages - 1)) { try? FileManager.default.removeItem(at: old) }
    }

    private func note(_ message: String) {
        FileHandle.standardError.write(Data("syllabus: tokenizer cache: \(message)\n".utf8))
    }

    func path(forKey key: UInt64) -> URL {
        let hex = String(key, radix: 16)
        return folder.appendingPathComponent(String(repeating: "0", count: 16 - hex.count) + hex + ".stokimg")
    }
}

/// Writes an image: a header (magic, key, checksum, length), then items in order — integers as 8 bytes,
/// buffers as their byte count and their bytes from a 64-byte boundary.
struct TokenizerImageWriter {
    static let headerSize = 64
    private(set) var bytes = [UInt8](repeating: 0, count: headerSize)

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: UInt64(UInt(bitPattern: value)).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func buffer<T>(_ buffer: UnsafeBufferPointer<T>) {
        let raw = UnsafeRawBufferPointer(buffer)
        int(raw.count)
        bytes.append(contentsOf: repeatElement(0, count: (64 - bytes.count % 64) % 64))
        bytes.append(contentsOf: raw)
    }

    mutating func buffer<T>(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer(UnsafeBufferPointer(buffer)) }

    mutating func array<T>(_ array: [T]) { array.withUnsafeBufferPointer { buffer($0) } }

    mutating func flag(_ value: Bool) { int(value ? 1 : 0) }

    mutating func string(_ value: String) { array(Array(value.utf8)) }

    /// The finished image for `key`.
    mutating func finish(key: UInt64) -> [UInt8] {
        let payload = bytes.count - Self.headerSize
        let checksum = bytes.withUnsafeBytes { XXH3_64bits($0.baseAddress! + Self.headerSize, payload) }
        for (i, word) in [TokenizerCache.magic, key, checksum, UInt64(payload)].enumerated() {
            withUnsafeBytes(of: word.littleEndian) { bytes.replaceSubrange(i * 8..<i * 8 + 8, with: $0) }
        }
        return bytes
    }
}

/// A mapped image, read back in the order it was written. The mapping lives as long as the tables that
/// point into it (they hold this object).
final class TokenizerImage: @unchecked Sendable {
    struct Invalid: Error {
        let reason: String
    }

    private let base: UnsafeMutableRawPointer
    private let length: Int
    private var offset = TokenizerImageWriter.headerSize

    /// Maps the image at `path` and checks its header and checksum against `key`; nil if there is none.
    init?(path: String, key: UInt64) throws(Invalid) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size >= TokenizerImageWriter.headerSize else { throw Invalid(reason: "too short") }
        let length = Int(status.st_size)
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw Invalid(reason: "cannot be mapped")
        }
        if let problem = Self.problem(mapped, length, key: key) {
            munmap(mapped, length)
            throw Invalid(reason: problem)
        }
        base = mapped
        self.length = length
    }

    /// What is wrong with the header or checksum of the `length`-byte image at `base`, if anything.
    private static func problem(_ base: UnsafeMutableRawPointer, _ length: Int, key: UInt64) -> String? {
        let header = (0..<4).map { base.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian }
        let payload = length - TokenizerImageWriter.headerSize
        if header[0] != TokenizerCache.magic { return "not a tokenizer image" }
        if header[1] != key { return "made for another tokenizer" }
        if header[3] != UInt64(payload) { return "truncated" }
        if XXH3_64bits(base + TokenizerImageWriter.headerSize, payload) != header[2] { return "checksum mismatch" }
        return nil
    }

    deinit { munmap(base, length) }

    func int() throws(Invalid) -> Int {
        guard offset + 8 <= length else { throw Invalid(reason: "ends early") }
        defer { offset += 8 }
        return Int(bitPattern: UInt(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
    }

    /// The next buffer, `count` elements of `T` when given (else whatever it holds). Read-only memory:
    /// the tables never write after they are built.
    func buffer<T>(_: T.Type, count expected: Int? = nil) throws(Invalid) -> UnsafeMutableBufferPointer<T> {
        let bytes = try int()
        offset += (64 - offset % 64) % 64
        guard bytes >= 0, bytes % MemoryLayout<T>.stride == 0, offset + bytes <= length else { throw Invalid(reason: "bad buffer length") }
        let count = bytes / MemoryLayout<T>.stride
        if let expected, expected != count { throw Invalid(reason: "buffer of \(count), expected \(expected)") }
        defer { offset += bytes }
        return UnsafeMutableBufferPointer(start: (base + offset).bindMemory(to: T.self, capacity: max(count, 1)), count: count)
    }

    func array<T>(_: T.Type) throws(Invalid) -> [T] { Array(try buffer(T.self)) }

    /// A hash table's mask (its size minus one, the size a power of two); `table` names it in the error.
    func mask(_ table: String) throws(Invalid) -> Int {
        let mask = try int()
        guard mask > 0, mask & (mask + 1) == 0 else { throw Invalid(reason: "bad \(table) size") }
        return mask
    }

    func flag() throws(Invalid) -> Bool {
        switch try int() {
        case 0: return false
        case 1: return true
        default: throw Invalid(reason: "a flag is neither 0 nor 1")
        }
    }

    func string() throws(Invalid) -> String {
        let bytes = try buffer(UInt8.self)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Invalid(reason: "a string is not UTF-8") }
        return text
    }

    /// Whether every item was read.
    var atEnd: Bool { offset == length }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
