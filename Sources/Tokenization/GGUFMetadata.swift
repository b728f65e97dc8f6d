import CXXHash
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key–value metadata of a GGUF file (llama.cpp's model format), read without its tensors.
///
/// Layout (../shared/FORMATS.md §6): "GGUF", version u32 (2 or 3), tensor count u64, KV count u64, then
/// KV pairs — key string (u64 length + bytes), value type u32, value. Only the KV pairs are read; the
/// file is read in chunks as far as they go, so a 100 MB model costs a few MB of reading.
struct GGUFMetadata {
    enum Value {
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        case string(String)
        case strings([String])
        case integers([Int64])
        case other
    }

    let values: [String: Value]

    init(path: String) throws(TokenizerError) {
        var reader = try ChunkReader(path: path)
        values = try Self.walk(&reader, keep: true)
        reader.close()
    }

    /// An XXH3 hash of the file's header and key–value pairs, walked without building their values (a
    /// model's tokenizer is a few MB of its metadata: the key of its image in `TokenizerCache`).
    static func hash(path: String) throws(TokenizerError) -> UInt64 {
        var reader = try ChunkReader(path: path)
        let state = XXH3_createState()
        defer { XXH3_freeState(state) }
        XXH3_64bits_reset(state)
        reader.consumed = { bytes in _ = XXH3_64bits_update(state, bytes.baseAddress, bytes.count) }
        _ = try walk(&reader, keep: false)
        reader.dropConsumed()
        reader.close()
        return XXH3_64bits_digest(state)
    }

    /// Reads the header and the key–value pairs; values only when `keep`.
    private static func walk(_ reader: inout ChunkReader, keep: Bool) throws(TokenizerError) -> [String: Value] {
        let path = reader.path
        func fail(_ message: String) -> TokenizerError { TokenizerError(.malformed, path: path, message: message) }
        guard try reader.bytes(4) == Array("GGUF".utf8) else {
            throw TokenizerError(.unknownFormat, path: path, message: "not a GGUF file (no GGUF magic)")
        }
        let version = try reader.u32()
        guard version == 2 || version == 3 else { throw fail("GGUF version \(version); versions 2 and 3 are read") }
        _ = try reader.u64()
        let count = try reader.u64()
        guard count < 1 << 24 else { throw fail("\(count) metadata entries: the header is damaged") }
        var values: [String: Value] = [:]
        for _ in 0..<count {
            let key = try reader.string()
            let type = try reader.u32()
            let value = try Self.value(type: type, reader: &reader, key: key, keep: keep, fail: fail)
            if keep { values[key] = value }
        }
        return values
    }

    /// The next value, of `type`; strings are skipped (`.other`) unless `keep`.
    private static func value(type: UInt32, reader: inout ChunkReader, key: String, keep: Bool, fail: (String) -> TokenizerError) throws(TokenizerError) -> Value {
        switch type {
        case 0: return .integer(Int64(try reader.bytes(1)[0]))
        case 1: return .integer(Int64(Int8(bitPattern: try reader.bytes(1)[0])))
        case 2: return .integer(Int64(try reader.uint(2)))
        case 3: return .integer(Int64(Int16(truncatingIfNeeded: try reader.uint(2))))
        case 4: return .integer(Int64(try reader.u32()))
        case 5: return .integer(Int64(Int32(bitPattern: try reader.u32())))
        case 6: return .float(Double(Float(bitPattern: try reader.u32())))
        case 7: return .bool(try reader.bytes(1)[0] != 0)
        case 8:
            guard keep else {
                try reader.skipString()
                return .other
            }
            return .string(try reader.string())
        case 10: return .integer(Int64(bitPattern: try reader.u64()))
        case 11: return .integer(Int64(bitPattern: try reader.u64()))
        case 12: return .float(Double(bitPattern: try reader.u64()))
        case 9:
            let elementType = try reader.u32()
            let count = Int(try reader.u64())
            guard count < 1 << 26 else { throw fail("\(key): an array of \(count) elements: the file is damaged") }
            switch elementType {
            case 8 where !keep:
                for _ in 0..<count { try reader.skipString() }
                return .other
            case 8:
                var items: [String] = []
                items.reserveCapacity(count)
                for _ in 0..<count { items.append(try reader.string()) }
                return .strings(items)
            case 0, 1, 2, 3, 4, 5, 10, 11:
                var items: [Int64] = []
                items.reserveCapacity(count)
                for _ in 0..<count {
                    guard case let .integer(v) = try value(type: elementType, reader: &reader, key: key, keep: keep, fail: fail) else { return .other }
                    items.append(v)
                }
                return .integers(items)
            case 9: throw fail("\(key): nested arrays are not allowed in GGUF")
            default:
                for _ in 0..<count { _ = try value(type: elementType, reader: &reader, key: key, keep: keep, fail: fail) }
                return .other
            }
        default:
            throw fail("\(key): unknown value type \(type)")
        }
    }

    func string(_ key: String) -> String? {
        if case let .string(s)? = values[key] { return s }
        return nil
    }

    func strings(_ key: String) -> [String]? {
        if case let .strings(s)? = values[key] { return s }
        return nil
    }

    func integers(_ key: String) -> [Int64]? {
        if case let .integers(s)? = values[key] { return s }
        return nil
    }

    /// Reads a file front to back in 4 MiB chunks.
    private struct ChunkReader {
        let path: String
        let fd: Int32
        var buffer: [UInt8] = []
        var position = 0
        /// Given each run of bytes read past, in order (`dropConsumed()` gives the last).
        var consumed: ((UnsafeBufferPointer<UInt8>) -> Void)?

        init(path: String) throws(TokenizerError) {
            self.path = path
            if TokenizerFile.baseName(path) != String(path.split(separator: "/").last ?? "") {
                // Compressed (.zst/.gz): small tokenizer-only files; read whole.
                buffer = try TokenizerFile.read(path)
                fd = -1
                return
            }
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                throw TokenizerError(.cannotRead, path: path, message: "cannot open: \(String(cString: strerror(errno)))")
            }
        }

        func close() { if fd >= 0 { _ = Glibc.close(fd) } }

        mutating func need(_ n: Int) throws(TokenizerError) {
            while buffer.count - position < n {
                if position > 0 { dropConsumed() }
                guard fd >= 0 else {
                    throw TokenizerError(.malformed, path: path, message: "the file ends inside its metadata (truncated?)")
                }
                let chunk = max(4 << 20, n)
                var more = [UInt8](repeating: 0, count: chunk)
                let got = more.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
                guard got > 0 else {
                    close()
                    throw TokenizerError(.malformed, path: path, message: "the file ends inside its metadata (truncated?)")
                }
                buffer.append(contentsOf: more.prefix(got))
            }
        }

        mutating func bytes(_ n: Int) throws(TokenizerError) -> [UInt8] {
            try need(n)
            defer { position += n }
            return Array(buffer[position..<position + n])
        }

        mutating func uint(_ n: Int) throws(TokenizerError) -> UInt64 {
            try need(n)
            var v: UInt64 = 0
            for i in 0..<n { v |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
            position += n
            return v
        }

        mutating func u32() throws(TokenizerError) -> UInt32 { UInt32(try uint(4)) }
        mutating func u64() throws(TokenizerError) -> UInt64 { try uint(8) }

        /// Drops the bytes read past from the buffer, handing them to `consumed` first.
        mutating func dropConsumed() {
            if let consumed { buffer.withUnsafeBufferPointer { consumed(UnsafeBufferPointer(rebasing: $0[..<position])) } }
            buffer.removeFirst(position)
            position = 0
        }

        mutating func skipString() throws(TokenizerError) {
            let length = Int(try u64())
            guard length < 1 << 30 else { throw TokenizerError(.malformed, path: path, message: "a string of \(length) bytes: the file is damaged") }
            try need(length)
            position += length
        }

        mutating func string() throws(TokenizerError) -> String {
            let length = Int(try u64())
            guard length < 1 << 30 else { throw TokenizerError(.malformed, path: path, message: "a string of \(length) bytes: the file is damaged") }
            try need(length)
            defer { position += length }
            return String(decoding: buffer[position..<position + length], as: UTF8.self)
        }
    }
}
