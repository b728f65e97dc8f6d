extension JSONScanner {
    /// Decodes a string whose scan found valid Unicode (`span.decodedLength >= 0`) without re-validating it.
    static func decodeValidatedString(base: UnsafePointer<UInt8>, span: StringSpan, byteCount: Int) -> String {
        if !span.hasEscapes {
            return String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start), as: UTF8.self)
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(byteCount)
        return (try? decodeString(base: base, span: span, scratch: &scratch)) ?? ""
    }

    @inline(__always)
    static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        (hexValue(p[0])! << 12) | (hexValue(p[1])! << 8) | (hexValue(p[2])! << 4) | hexValue(p[3])!
    }
}
