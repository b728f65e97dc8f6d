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

    /// `writeDecimalList` (8-byte stores, no branch on length below 10^6) writes what joining Swift's
    /// formatting with commas writes, for lists of every length up to 40 over the same edge values.
    @Test func listsAreWhatJoinedDescriptionsAre() {
        var values: [UInt32] = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10_000, 99_999, 100_000,
                                151_643, 999_999, 1_000_000, 1_000_001, 4_294_967_295]
        var state: UInt64 = 7
        for _ in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(UInt32(truncatingIfNeeded: state >> 33) >> UInt32(state % 28))
        }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 40 * 11 + 8)
        defer { buffer.deallocate() }
        var start = 0
        for length in 0...40 {
            for _ in 0..<50 {
                let ids = (0..<length).map { values[(start + $0) % values.count] }
                start += 7
                buffer.initialize(repeating: 0xEE, count: 40 * 11 + 8)
                let end = ids.withUnsafeBufferPointer { writeDecimalList($0, at: buffer) }
                let written = String(decoding: UnsafeBufferPointer(start: buffer, count: buffer.distance(to: end)), as: UTF8.self)
                #expect(written == ids.map(String.init).joined(separator: ","), "\(ids)")
            }
        }
        // A whole line, as `tokenize` writes it.
        let line = TokenizeJob.line(id: "d\"1", ids: [0, 12, 151_643, 1_000_000])
        #expect(String(decoding: line.bytes, as: UTF8.self) == #"{"id":"d\"1","ids":[0,12,151643,1000000]}"# + "\n" && line.tokens == 4)
        #expect(String(decoding: TokenizeJob.line(id: "e", ids: []).bytes, as: UTF8.self) == #"{"id":"e","ids":[]}"# + "\n")
    }
}
