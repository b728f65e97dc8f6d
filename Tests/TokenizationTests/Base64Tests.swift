import Foundation
import Testing
@testable import Tokenization

/// The rank-file base64 decoder against Foundation's, on every length up to 40 bytes, and its refusals.
@Suite struct Base64Tests {
    @Test func decodesWhatFoundationEncodes() {
        var state: UInt64 = 5
        var out: [UInt8] = []
        for length in 0...40 {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return UInt8(truncatingIfNeeded: state >> 40)
                }
                let text = Array(Data(bytes).base64EncodedString().utf8)
                #expect(Base64.decode(text[...], into: &out), "\(bytes)")
                #expect(out == bytes)
            }
        }
    }

    @Test func refusesWhatIsNotBase64() {
        var out: [UInt8] = [1, 2, 3]
        for bad in ["Q", "QQ", "QQ=", "Q===", "QQ=A", "Q!==", "====", "QUJD\n", "QU JD", "=QUJ"] {
            #expect(!Base64.decode(Array(bad.utf8)[...], into: &out), "\(bad)")
        }
        #expect(Base64.decode([][...], into: &out) && out.isEmpty)
        #expect(Base64.decode(Array("QUJD".utf8)[...], into: &out) && out == Array("ABC".utf8))
        #expect(Base64.decode(Array("QUI=".utf8)[...], into: &out) && out == Array("AB".utf8))
    }
}

extension Base64 {
    /// Decodes into `out` (replacing its contents); false if the text is not base64.
    static func decode(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) -> Bool {
        out = [UInt8](repeating: 0, count: text.count / 4 * 3 + 3)
        let decoded = text.withUnsafeBufferPointer { chars in
            out.withUnsafeMutableBufferPointer { decode(chars.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: chars.count, to: $0.baseAddress!) }
        }
        out.removeLast(out.count - (decoded ?? 0))
        return decoded != nil
    }
}
