import Foundation
import Testing
import Corpus

/// Compressed inputs are decompressed a few chunks ahead on a thread of their own.
@Suite struct ReadAheadTests {
    /// A source that yields `total` bytes of a counting pattern in uneven pieces, then maybe fails.
    final class PatternSource: ByteSource {
        let total: Int
        let failAtEnd: Bool
        var produced = 0
        var fileBytesConsumed: Int { produced }

        init(total: Int, failAtEnd: Bool = false) {
            self.total = total
            self.failAtEnd = failAtEnd
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
            if produced == total {
                if failAtEnd { throw CorpusError(.truncatedCompressedData, path: "p", message: "cut", hint: "") }
                return 0
            }
            let n = min(buffer.count, total - produced, 1 + (produced * 7919) % 70_000)
            for i in 0..<n { buffer[i] = UInt8(truncatingIfNeeded: produced + i) }
            produced += n
            return n
        }
    }

    @Test func deliversEveryByteInOrderThenTheError() throws {
        let source = ReadAheadByteSource(upstream: PatternSource(total: 3_000_001, failAtEnd: true), chunkSize: 65_536, chunks: 3)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 50_000, alignment: 16)
        defer { buffer.deallocate() }
        var seen = 0
        var error: CorpusError?
        do {
            while true {
                let n = try source.read(into: buffer)
                if n == 0 { break }
                for i in 0..<n where buffer[i] != UInt8(truncatingIfNeeded: seen + i) {
                    Issue.record("byte \(seen + i) is wrong")
                    return
                }
                seen += n
            }
        } catch let e {
            error = e
        }
        #expect(seen == 3_000_001)
        #expect(error?.kind == .truncatedCompressedData)
    }

    @Test func aReaderDroppedEarlyStopsItsThread() throws {
        // Each source would block its thread on a full ring if dropping the reader did not cancel it.
        for _ in 0..<200 {
            let source = ReadAheadByteSource(upstream: PatternSource(total: 1 << 26), chunkSize: 4096, chunks: 2)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 16)
            _ = try source.read(into: buffer)
            buffer.deallocate()
        }
        // Threads exit at their next wait; give them a moment. Without cancellation all 200 would stay
        // blocked (other suites' readers, running in parallel, account for at most a few).
        var waited = 0
        while ReadAheadByteSource.runningThreads > 10, waited < 300 {
            usleep(10_000)
            waited += 1
        }
        #expect(ReadAheadByteSource.runningThreads <= 10)
    }
}
