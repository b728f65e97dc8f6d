#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a Megatron-LM indexed dataset back (`PREFIX.idx` + `PREFIX.bin`), checking what Megatron's own
/// reader assumes: magic, version 1, a known dtype, pointers that follow the lengths, document indices
/// from 0 to the sequence count, and a `.bin` as long as the pointers say.
public struct MegatronDataset: Sendable {
    public let prefix: String
    public let dtype: MegatronDType
    public let sequenceLengths: [Int32]
    public let sequencePointers: [Int64]
    public let documentIndices: [Int64]

    public var documentCount: Int { documentIndices.count - 1 }
    public var tokenCount: Int { sequenceLengths.reduce(0) { $0 + Int($1) } }

    public init(prefix: String) throws(TokenizerError) {
        self.prefix = prefix
        let idxPath = prefix + ".idx"
        let idx = try TokenizerFile.read(idxPath)
        func fail(_ message: String) -> TokenizerError { TokenizerError(.malformed, path: idxPath, message: message) }
        guard idx.count >= 34, Array(idx[0..<9]) == MegatronDatasetWriter.magic else {
            throw fail("not a Megatron indexed dataset index (no MMIDIDX magic)")
        }
        func u64(_ at: Int) -> UInt64 { idx.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian } }
        guard u64(9) == 1 else { throw fail("version \(u64(9)); only version 1 exists") }
        guard let dtype = MegatronDType(rawValue: idx[17]) else { throw fail("unknown dtype code \(idx[17])") }
        let s = Int(u64(18)), d = Int(u64(26))
        guard d >= 1, idx.count >= 34 + 12 * s + 8 * d else {
            throw fail("file too short for \(s) sequences and \(d) document indices (\(idx.count) bytes)")
        }
        self.dtype = dtype
        sequenceLengths = (0..<s).map { i in idx.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 34 + 4 * i, as: Int32.self)) } }
        sequencePointers = (0..<s).map { i in idx.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 34 + 4 * s + 8 * i, as: Int64.self)) } }
        documentIndices = (0..<d).map { i in idx.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 34 + 12 * s + 8 * i, as: Int64.self)) } }
        var expected: Int64 = 0
        for i in 0..<s {
            guard sequencePointers[i] == expected, sequenceLengths[i] >= 0 else { throw fail("sequence \(i): pointer \(sequencePointers[i]), expected \(expected)") }
            expected += Int64(sequenceLengths[i]) * Int64(dtype.byteSize)
        }
        guard documentIndices.first == 0, documentIndices.last == Int64(s),
              zip(documentIndices, documentIndices.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw fail("document indices must rise from 0 to the sequence count \(s)")
        }
        var info = stat()
        guard stat(prefix + ".bin", &info) == 0 else {
            throw TokenizerError(.cannotRead, path: prefix + ".bin", message: "missing")
        }
        guard Int64(info.st_size) == expected else {
            throw TokenizerError(.malformed, path: prefix + ".bin", message: "\(info.st_size) bytes; the index describes \(expected)")
        }
    }

    /// The tokens of document `index` (all its sequences).
    public func document(_ index: Int) throws(TokenizerError) -> [Int64] {
        let first = Int(documentIndices[index]), last = Int(documentIndices[index + 1])
        var out: [Int64] = []
        let fd = open(prefix + ".bin", O_RDONLY)
        guard fd >= 0 else { throw TokenizerError(.cannotRead, path: prefix + ".bin", message: "cannot open") }
        defer { close(fd) }
        for sequence in first..<last {
            let count = Int(sequenceLengths[sequence])
            var bytes = [UInt8](repeating: 0, count: count * dtype.byteSize)
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(sequencePointers[sequence])) }
            guard n == bytes.count else { throw TokenizerError(.cannotRead, path: prefix + ".bin", message: "short read") }
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    switch dtype {
                    case .uint8: out.append(Int64(raw[i]))
                    case .int8: out.append(Int64(Int8(bitPattern: raw[i])))
                    case .uint16: out.append(Int64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                    case .int16: out.append(Int64(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))))
                    case .int32: out.append(Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))))
                    case .int64: out.append(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    case .float32: out.append(Int64(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))))
                    case .float64: out.append(Int64(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))))
                    }
                }
            }
        }
        return out
    }
}
