import Testing
@testable import Execution

/// `writeDecimal` (the ids of `tokenize` output) against Swift's own formatting, at every length's edges.
@Suite struct WriteDecimalTests {
    @Test func writesWhatDescriptionWrites() {
        var values: [UInt32] = Array(0...20_000) + [UInt32.max, UInt32.max - 1]
        var power: UInt32 = 10
        while true {
            values += [power - 1, power, power + 1, power + 99, power * 2 + 7]
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { break }
            power = next
        }
        var state: UInt64 = 99
        for _ in 0..<100_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(UInt32(truncatingIfNeeded: state >> 33) >> UInt32(state % 24))
        }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 16)
        defer { buffer.deallocate() }
        for value in values {
            let end = writeDecimal(value, at: buffer)
            let written = String(decoding: UnsafeBufferPointer(start: buffer, count: buffer.distance(to: end)), as: UTF8.self)
            #expect(written == String(value), "\(value)")
        }
    }
}
