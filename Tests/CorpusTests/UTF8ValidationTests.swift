import Foundation
import Testing
@testable import Corpus

/// The reader validates text without building a string; it must agree with the standard library exactly.
@Suite struct UTF8ValidationTests {
    /// Decodes `{"text":"<bytes>"}`; nil when the decoder reports invalid UTF-8.
    func decodeText(_ content: [UInt8]) throws -> String? {
        let line = Array("{\"text\":\"".utf8) + content + Array("\"}".utf8)
        var decoder = DocumentDecoder()
        do {
            let document = try line.withUnsafeBytes { try decoder.decode(line: $0) { "x" } }
            #expect(document.textByteCount == document.text.utf8.count)
            return document.text
        } catch RecordProblem.invalidUTF8 {
            return nil
        }
    }

    @Test(arguments: [
        [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        [0xE4, 0xB8], [0x80], [0xFF], [0xF0, 0x9F, 0x98],
    ] as [[UInt8]])
    func rejectsMalformedSequences(_ bytes: [UInt8]) throws {
        #expect(try decodeText(Array("ok ".utf8) + bytes + Array(" tail".utf8)) == nil)
        #expect(try decodeText(bytes) == nil)
    }

    @Test func agreesWithTheStandardLibraryOnRandomBytes() throws {
        var state: UInt64 = 0x1234
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        // Fragments that are valid alone, and bytes that break them apart.
        let pieces: [[UInt8]] = [Array("abc".utf8), Array("数据".utf8), Array("😀".utf8), Array("é".utf8),
                                 [0x80], [0xE4], [0xF0, 0x9F], [0xED, 0xA0, 0x80], [0xC2], Array("\\n".utf8)]
        for _ in 0..<3000 {
            var content: [UInt8] = []
            for _ in 0..<(next() % 12) { content += pieces[Int(next() % UInt64(pieces.count))] }
            let raw = content.map { $0 }
            let escapesReplaced = String(validating: raw.split(separator: 0x5C, omittingEmptySubsequences: false)
                .joined(separator: [0x5C]).map { $0 }, as: UTF8.self)
            let decoded = try decodeText(content)
            #expect((decoded == nil) == (escapesReplaced == nil), "bytes \(content)")
            if let decoded, let expected = escapesReplaced {
                #expect(decoded == expected.replacingOccurrences(of: "\\n", with: "\n"))
            }
        }
    }

    /// Long strings take the 16-bytes-at-a-time path: a bad byte, an escape or a quote at any offset of a
    /// block must be found exactly where it is.
    @Test func findsEverySpecialByteInLongStrings() throws {
        let filler = Array("The quick brown fox jumps over the lazy dog 0123456789.".utf8)
        for length in [15, 16, 17, 31, 32, 33, 47, 64, 100] {
            for offset in stride(from: 0, to: length, by: 3) {
                var plain = Array(filler.prefix(length))
                while plain.count < length { plain += filler.prefix(length - plain.count) }
                #expect(try decodeText(plain) == String(decoding: plain, as: UTF8.self))

                var broken = plain
                broken[offset] = 0xFF
                #expect(try decodeText(broken) == nil, "0xFF at \(offset) of \(length)")

                var escaped = plain
                escaped.replaceSubrange(offset..<offset + 1, with: Array("\\t".utf8))
                var expected = plain
                expected[offset] = 0x09
                #expect(try decodeText(escaped) == String(decoding: expected, as: UTF8.self))

                var chinese = plain
                chinese.replaceSubrange(offset..<offset + 1, with: Array("数".utf8))
                let decoded = try decodeText(chinese)
                #expect(decoded == String(decoding: chinese, as: UTF8.self))

                var control = plain
                control[offset] = 0x01
                let line = Array("{\"text\":\"".utf8) + control + Array("\"}".utf8)
                var decoder = DocumentDecoder()
                #expect(throws: RecordProblem.self) { try line.withUnsafeBytes { try decoder.decode(line: $0) { "x" } } }
            }
        }
    }

    @Test func surrogateEscapesPairOrFail() throws {
        #expect(try decodeText(Array("\\ud83d\\ude00 x".utf8)) == "😀 x")
        #expect(try decodeText(Array("\\ud83d x".utf8)) == nil)
        #expect(try decodeText(Array("\\ude00".utf8)) == nil)
        #expect(try decodeText(Array("\\u00e9\\u4e2d".utf8)) == "é中")
    }
}
