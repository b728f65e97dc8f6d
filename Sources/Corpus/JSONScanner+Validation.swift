extension JSONScanner {
    /// Checks a scanned string's content without building it: valid UTF-8 (RFC 3629: no overlongs, no
    /// surrogates, nothing past U+10FFFF) and `\u` escapes that pair surrogates correctly. Returns the
    /// decoded length in UTF-8 bytes, or nil if invalid. ASCII runs are checked 8 bytes at a time.
    static func validatedStringLength(base: UnsafePointer<UInt8>, span: StringSpan) -> Int? {
        var i = span.start
        let end = span.end
        var length = 0
        while i < end {
            // ASCII without backslashes, 8 bytes at a time.
            while i &+ 8 <= end {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let slash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                if (word | ((slash &- 0x0101_0101_0101_0101) & ~slash)) & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 8
                length &+= 8
            }
            guard i < end else { break }
            let c = base[i]
            if c < 0x80 {
                if c != 0x5C {
                    i += 1
                    length += 1
                    continue
                }
                guard base[i + 1] == 0x75 else {  // \n, \", \\ … (checked by the scanner)
                    i += 2
                    length += 1
                    continue
                }
                let unit = hex4(base + i + 2)
                i += 6
                switch unit {
                case 0xD800...0xDBFF:
                    guard i + 6 <= end, base[i] == 0x5C, base[i + 1] == 0x75,
                          (0xDC00...0xDFFF).contains(hex4(base + i + 2)) else { return nil }
                    i += 6
                    length += 4
                case 0xDC00...0xDFFF: return nil
                case 0..<0x80: length += 1
                case 0x80..<0x800: length += 2
                default: length += 3
                }
                continue
            }
            // A multi-byte sequence (RFC 3629 table: the second byte's range narrows after E0, ED, F0, F4).
            if c < 0xE0 {
                guard c >= 0xC2, i + 1 < end, base[i + 1] & 0xC0 == 0x80 else { return nil }
                i += 2
                length += 2
            } else if c < 0xF0 {
                guard i + 2 < end else { return nil }
                let b1 = base[i + 1], b2 = base[i + 2]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, c != 0xE0 || b1 >= 0xA0, c != 0xED || b1 <= 0x9F else { return nil }
                i += 3
                length += 3
            } else {
                guard c <= 0xF4, i + 3 < end else { return nil }
                let b1 = base[i + 1], b2 = base[i + 2], b3 = base[i + 3]
                guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80,
                      c != 0xF0 || b1 >= 0x90, c != 0xF4 || b1 <= 0x8F else { return nil }
                i += 4
                length += 4
            }
        }
        return length
    }

    /// Decodes a string that `validatedStringLength` accepted (`byteCount` is what it returned).
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
