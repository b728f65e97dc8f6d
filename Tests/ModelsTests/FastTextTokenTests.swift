@testable import Models
import Testing

/// fastText's tokens (`Dictionary::readWord` on one line): the eight-bytes-at-a-time scan against one byte at
/// a time, on random bytes dense in separators, other control characters, '!' (0x21, the first non-flagged
/// byte) and UTF-8 continuation bytes.
@Suite struct FastTextTokenTests {
    static func reference(_ bytes: [UInt8]) -> [[UInt8]] {
        let separators: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09, 0x0B, 0x0C, 0x00]
        var tokens: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if separators.contains(byte) {
                if !current.isEmpty { tokens.append(current) }
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens + [Array("</s>".utf8)]
    }

    @Test func tokensMatchAByteAtATimeSplit() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x20, 0x0A, 0x0D, 0x09, 0x0B, 0x0C, 0x00, 0x01, 0x1F, 0x0E, 0x21, 0x61, 0x62, 0x80, 0xC3, 0xFF, 0x7F]
        for _ in 0..<1000 {
            let bytes = (0..<Int.random(in: 0...70, using: &generator)).map { _ in
                Int.random(in: 0..<3, using: &generator) == 0 ? alphabet.randomElement(using: &generator)! : 0x61
            }
            var tokens: [[UInt8]] = []
            bytes.withUnsafeBufferPointer { text in FastTextInputEncoder.forEachToken(text) { tokens.append(Array($0)) } }
            #expect(tokens == Self.reference(bytes), "\(bytes)")
        }
    }
}
