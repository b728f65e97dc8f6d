import Testing
@testable import Models

@Suite struct ShortBytesTests {
    /// Equal strings are equal; a difference at any one position of any length up to 40 is seen.
    @Test func aDifferenceAnywhereIsSeenAtEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for n in 0...40 {
            let a = (0..<n).map { _ in UInt8.random(in: 0...255, using: &generator) }
            a.withUnsafeBytes { pa in
                var b = a
                b.withUnsafeBytes { pb in #expect(ShortBytes.equal(pa.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, pb.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!, n)) }
                for position in 0..<n {
                    b = a
                    b[position] ^= UInt8.random(in: 1...255, using: &generator)
                    b.withUnsafeBytes { pb in #expect(!ShortBytes.equal(pa.baseAddress!, pb.baseAddress!, n), "length \(n), position \(position)") }
                }
            }
        }
    }
}
