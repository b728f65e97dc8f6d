import Corpus

/// A document's text as Unicode scalar values, so that lengths, slices and counts are Python's.
///
/// The filters decode the UTF-8 once into this buffer and then work on index ranges: no per-word strings.
struct ScalarText {
    private(set) var scalars: [UInt32] = []

    init(_ document: Document) {
        document.withTextUTF8 { Self.decode($0, into: &scalars) }
    }

    /// Appends the UTF-8 encoding of scalar `c` to `out`.
    @inline(__always)
    static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }

    /// Appends the scalars of valid UTF-8 `bytes` to `scalars`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, into scalars: inout [UInt32]) {
        scalars.reserveCapacity(scalars.count + bytes.count)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = UInt32(bytes[i])
            if b < 0x80 {
                scalars.append(b)
                i += 1
            } else if b < 0xE0 {
                scalars.append((b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F))
                i += 2
            } else if b < 0xF0 {
                scalars.append((b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F))
                i += 3
            } else {
                scalars.append((b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12
                               | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F))
                i += 4
            }
        }
    }

    init(_ string: String) {
        scalars = string.unicodeScalars.map(\.value)
    }

    var count: Int { scalars.count }

    /// From `i` on, skips whole blocks of eight characters (before `end`) for which `mayHold` is false, and
    /// returns the start of the first block it is true for, or of the last partial block. Callers compare
    /// with whole vectors made outside the loop: a compare with a scalar took a generic path (22% of the
    /// curation chain in `perf`).
    @inline(__always)
    static func skipBlocks(_ s: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int, unless mayHold: (SIMD8<UInt32>) -> Bool) -> Int {
        var i = i
        while i &+ 8 <= end, !mayHold(UnsafeRawPointer(s.baseAddress! + i).loadUnaligned(as: SIMD8<UInt32>.self)) { i &+= 8 }
        return i
    }

    /// The first position from `i` on (before `end`) holding '\n', or `end`. Eight characters at a time.
    @inline(__always)
    static func nextNewline(_ s: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int) -> Int {
        let newline = SIMD8<UInt32>(repeating: 0x0A)
        var i = skipBlocks(s, i, end) { any($0 .== newline) }
        while i < end && s[i] != 0x0A { i &+= 1 }
        return i
    }

    /// A position from `i` on (before `end`) at or before the first line break of `str.splitlines()`: whole
    /// blocks of eight are skipped when none is below U+0020, U+0085, U+2028 or U+2029.
    @inline(__always)
    static func skipToPossibleLineBreak(_ s: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int) -> Int {
        let space = SIMD8<UInt32>(repeating: 0x20), nel = SIMD8<UInt32>(repeating: 0x85)
        let separator = SIMD8<UInt32>(repeating: 0x2028), evenMask = SIMD8<UInt32>(repeating: ~1)
        return skipBlocks(s, i, end) { any(($0 .< space) .| ($0 .== nel) .| (($0 & evenMask) .== separator)) }
    }

    /// Python's `str.splitlines()`: ranges without their line ends; no empty last line after a final break.
    static func splitLines(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            i = skipToPossibleLineBreak(s, i, range.upperBound)
            guard i < range.upperBound else { break }
            let c = s[i]
            if CharacterClasses.isLineBreak(c) {
                lines.append(start..<i)
                if c == 0x0D && i + 1 < range.upperBound && s[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < range.upperBound { lines.append(start..<range.upperBound) }
        return lines
    }

    /// Python's `str.strip()`.
    @inline(__always)
    static func strip(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound
        var high = range.upperBound
        while low < high && CharacterClasses.isSpace(s[low]) { low += 1 }
        while high > low && CharacterClasses.isSpace(s[high - 1]) { high -= 1 }
        return low..<high
    }

    /// Non-overlapping occurrences of `needle` (Python's `str.count`).
    static func count(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ needle: [UInt32]) -> Int {
        guard let first = needle.first, needle.count <= range.count else { return 0 }
        var found = 0
        var i = range.lowerBound
        let last = range.upperBound - needle.count
        while i <= last {
            if s[i] == first && matches(s, i, needle) {
                found += 1
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    @inline(__always)
    static func matches(_ s: UnsafeBufferPointer<UInt32>, _ at: Int, _ needle: [UInt32]) -> Bool {
        for (k, c) in needle.enumerated() where s[at + k] != c { return false }
        return true
    }

    /// Whether `s[range]` ends with `needle`.
    @inline(__always)
    static func hasSuffix(_ s: UnsafeBufferPointer<UInt32>, _ range: Range<Int>, _ needle: [UInt32]) -> Bool {
        needle.count <= range.count && matches(s, range.upperBound - needle.count, needle)
    }
}
