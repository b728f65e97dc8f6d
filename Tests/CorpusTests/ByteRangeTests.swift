import Foundation
import Testing
import Corpus

/// `JSONLReader(path:range:)`: adjacent byte ranges together yield every line exactly once, in order.
@Suite("Byte ranges")
struct ByteRangeTests {
    /// A generated JSONL file: the bytes, each line's start offset, and the id of each line (nil for blank lines).
    struct Sample {
        var bytes: [UInt8] = []
        var lineStarts: [Int] = []
        var ids: [String?] = []
        var problemLines: [Int] = []  // 1-based
    }

    static func makeSample(lines: Int, seed: UInt64, blankEvery: Int = 0, problemAt: [Int] = []) -> Sample {
        var generator = SeededGenerator(seed: seed)
        var sample = Sample()
        let words = ["alpha", "beta", "中文", "😀", "\"q\"", "x\\y", "é", "newline\n", "tab\t"]
        for index in 0..<lines {
            sample.lineStarts.append(sample.bytes.count)
            let number = index + 1
            if problemAt.contains(number) {
                sample.bytes += Array(#"{"id":"bad-\#(number)","text":"#.utf8)  // unterminated
                sample.problemLines.append(number)
                sample.ids.append(nil)
            } else if blankEvery > 0, index % blankEvery == blankEvery - 1 {
                sample.ids.append(nil)
            } else {
                // Lengths from empty text to a few KB, so ranges fall in short and long lines alike.
                let count = Int.random(in: 0...(Int.random(in: 0..<10, using: &generator) == 0 ? 600 : 12), using: &generator)
                let text = (0..<count).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ")
                let id = "line-\(number)"
                sample.bytes += Array(#"{"id":"\#(id)","text":"#.utf8)
                JSONEscaping.appendQuoted(text, to: &sample.bytes)
                sample.bytes += Array("}".utf8)
                sample.ids.append(id)
            }
            sample.bytes.append(0x0A)
        }
        return sample
    }

    /// Reads the ranges between consecutive cut points; returns ids in order and problems with line numbers.
    static func read(_ path: String, cuts: [Int]) throws -> (ids: [String], problems: [(String, Int)]) {
        var ids: [String] = []
        var problems: [(String, Int)] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            let reader = try JSONLReader(path: path, range: start..<end)
            while let entry = try reader.next() {
                switch entry {
                case let .document(document): ids.append(document.id)
                case let .problem(problem, line, _): problems.append((problem.reason.rawValue, line))
                }
            }
        }
        return (ids, problems)
    }

    @Test(arguments: 1...7)
    func rangesCoverEveryLineOnceInOrder(_ k: Int) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sample = Self.makeSample(lines: 3000, seed: UInt64(100 + k))
        let path = try dir.write("ranges.jsonl", sample.bytes)
        let expected = sample.ids.compactMap { $0 }

        // Evenly spaced cuts (they land anywhere: mid-line, on a newline, at a line start).
        let size = sample.bytes.count
        let even = [0] + (1..<k).map { size * $0 / k } + [size]
        #expect(try Self.read(path, cuts: even).ids == expected)

        // Random cuts, including repeated ones (empty ranges) and a last range running past the end.
        var generator = SeededGenerator(seed: UInt64(k))
        let random = ([0] + (1..<k).map { _ in Int.random(in: 0...size, using: &generator) } + [size + 1000]).sorted()
        #expect(try Self.read(path, cuts: random).ids == expected)

        // Cuts placed exactly at line starts, one byte into a line, and on the newline byte itself.
        let picks = (1..<k).map { sample.lineStarts[sample.lineStarts.count * $0 / k] }
        for shift in [0, 1, -1] {
            let cuts = [0] + picks.map { $0 + shift } + [size]
            #expect(try Self.read(path, cuts: cuts).ids == expected, "cuts shifted by \(shift)")
        }
    }

    @Test func everyPossibleCutPointOfASmallFile() throws {
        // Two ranges split at every byte offset of a small file (first, middle and last lines included).
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sample = Self.makeSample(lines: 12, seed: 9)
        let path = try dir.write("small.jsonl", sample.bytes)
        let expected = sample.ids.compactMap { $0 }
        for cut in 0...sample.bytes.count {
            let result = try Self.read(path, cuts: [0, cut, sample.bytes.count])
            #expect(result.ids == expected, "cut at \(cut)")
        }
    }

    @Test func lineLengthsOfOneAndEmptyLinesAtBoundaries() throws {
        // Blank lines (a lone newline) right at range starts must neither be lost nor duplicated.
        let dir = try TempDir()
        defer { dir.cleanup() }
        let sample = Self.makeSample(lines: 400, seed: 11, blankEvery: 3)
        let path = try dir.write("blanks.jsonl", sample.bytes)
        let expected = sample.ids.compactMap { $0 }
        for k in [2, 5, 7] {
            let cuts = [0] + (1..<k).map { sample.lineStarts[sample.lineStarts.count * $0 / k + 2] } + [sample.bytes.count]
            #expect(try Self.read(path, cuts: cuts).ids == expected, "k = \(k)")
        }
    }

    @Test(arguments: [1, 2, 3, 7])
    func problemLinesReportTheirTrueLineNumber(_ k: Int) throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let badLines = [1, 777, 2048, 2999]
        let sample = Self.makeSample(lines: 3000, seed: 5, blankEvery: 50, problemAt: badLines)
        let path = try dir.write("problems.jsonl", sample.bytes)
        let size = sample.bytes.count
        let cuts = [0] + (1..<k).map { size * $0 / k } + [size]
        let result = try Self.read(path, cuts: cuts)
        #expect(result.problems.map(\.1) == badLines)
        #expect(result.problems.allSatisfy { $0.0 == "invalid_json" })
        #expect(result.ids == sample.ids.compactMap { $0 })
    }

    @Test func fallbackIDsUseTheOffsetInTheWholeFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let lines = (0..<50).map { #"{"text":"anonymous \#($0)"}"# }
        let path = try dir.write("anon.jsonl", lines.map { $0 + "\n" }.joined())
        var offsets: [Int] = []
        var offset = 0
        for line in lines { offsets.append(offset); offset += line.utf8.count + 1 }
        let expected = offsets.map { "anon.jsonl@\($0)" }
        #expect(try Self.read(path, cuts: [0, offset]).ids == expected)
        #expect(try Self.read(path, cuts: [0, offset / 3, offset / 2 + 1, offset]).ids == expected)
    }
}
