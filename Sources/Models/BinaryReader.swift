#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Little-endian fields read from a model file's bytes, with the file named in every error.
struct BinaryReader {
    let path: String
    let bytes: [UInt8]
    private(set) var offset = 0

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    func truncated(_ what: @autoclosure () -> String) -> ModelFileError {
        ModelFileError(path: path, "the file ends inside \(what()) (at byte \(offset) of \(bytes.count))",
                       hint: "the file is truncated or not a fastText model; download it again")
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(ModelFileError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw truncated(what()) }
        let value = bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        offset += size
        return value
    }

    mutating func readDouble(_ what: @autoclosure () -> String) throws(ModelFileError) -> Double {
        Double(bitPattern: try read(UInt64.self, what()))
    }

    mutating func readBool(_ what: @autoclosure () -> String) throws(ModelFileError) -> Bool {
        try read(UInt8.self, what()) != 0
    }

    /// `count` little-endian f32 values.
    mutating func readFloats(_ count: Int, _ what: @autoclosure () -> String) throws(ModelFileError) -> [Float] {
        guard count >= 0, remaining >= count * 4 else { throw truncated(what()) }
        let start = offset
        offset += count * 4
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + $0 * 4, as: UInt32.self))) }
        }
    }

    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws(ModelFileError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw truncated(what()) }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// The range of the bytes up to (not including) the next NUL, which is consumed.
    mutating func cString(_ what: @autoclosure () -> String) throws(ModelFileError) -> Range<Int> {
        let start = offset
        let end: Int? = bytes.withUnsafeBytes { raw in
            guard start < raw.count, let found = memchr(raw.baseAddress! + start, 0, raw.count - start) else { return nil }
            return UnsafeRawPointer(found) - UnsafeRawPointer(raw.baseAddress!)
        }
        guard let end else { throw truncated(what()) }
        offset = end + 1
        return start..<end
    }
}
