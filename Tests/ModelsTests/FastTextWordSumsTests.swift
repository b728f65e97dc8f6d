import Foundation
import Testing
@testable import Models

/// The per-word sums `predict` adds must be the word's own rows, whatever the cache held before.
@Suite struct FastTextWordSumsTests {
    /// The plain mean of the input rows, as fastText computes it.
    static func plainMean(_ model: FastTextModel, _ rows: [Int32]) -> [Float] {
        var sum = [Float](repeating: 0, count: model.dimension)
        sum.withUnsafeMutableBufferPointer { model.predictionInput.addRows(rows, to: $0.baseAddress!) }
        return sum.map { $0 * Float(1.0 / Double(rows.count)) }
    }

    @Test func eachWordAddsExactlyItsRowsEvenWhenSlotsAreShared() throws {
        let model = try FastTextModel.load(path: Fixtures.lid176)
        // 256 slots and 3,000 distinct words: slots are overwritten and words come back after eviction.
        let sums = FastTextWordSums(dimension: model.dimension, slots: 256)
        var rows: [Int32] = []
        var wrapped: [UInt8] = []
        var words = (0..<3000).map { "w\($0 * 7919 % 3001)" }
        words += ["the", "The", "__label__en", "unbelievably-long-hyphenated-word-over-24-bytes", "日本語の文章", "</s>"]
        for round in 0..<2 {
            for word in words.shuffled() {
                var bytes = Array(word.utf8)
                let h = bytes.withUnsafeBufferPointer { FastTextDictionary.hash($0) }
                var expected: [Int32] = []
                var scratch: [UInt8] = []
                let isWord = bytes.withUnsafeBufferPointer {
                    FastTextInputEncoder.appendRows(of: $0, hash: h, model.dictionary, into: &expected, wrapped: &scratch)
                }
                var hidden = [Float](repeating: 0, count: model.dimension)
                let added = bytes.withUnsafeMutableBufferPointer { token in
                    hidden.withUnsafeMutableBufferPointer { out in
                        sums.add(UnsafeBufferPointer(token), hash: h, to: out.baseAddress!, FastTextWordSums.Source(model), rows: &rows, wrapped: &wrapped)
                    }
                }
                #expect(added == (isWord ? expected.count : nil), "round \(round), \(word)")
                var plain = [Float](repeating: 0, count: model.dimension)
                plain.withUnsafeMutableBufferPointer { model.predictionInput.addRows(expected, to: $0.baseAddress!) }
                #expect(hidden == (isWord ? plain : [Float](repeating: 0, count: model.dimension)), "round \(round), \(word)")
            }
        }
    }

    /// Decoded rows of a quantized model (prediction's rows for quantized models without pruning) must add
    /// as the quantized rows do, bit for bit.
    @Test func decodedQuantizedRowsAddExactlyAsTheQuantizedRows() throws {
        let model = try FastTextModel.load(path: Fixtures.lid176)
        let decodedInput = model.input.decodedForPrediction(maxBytes: 64 << 20)
        guard case .quantized = model.input, case .dense = decodedInput else {
            Issue.record("lid.176.ftz should be quantized, and its rows fit the decoding limit")
            return
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let rows = (0..<Int.random(in: 1...60, using: &generator)).map { _ in Int32.random(in: 0..<Int32(model.input.rows), using: &generator) }
            var quantized = [Float](repeating: 0, count: model.dimension)
            var decoded = [Float](repeating: 0, count: model.dimension)
            quantized.withUnsafeMutableBufferPointer { model.input.addRows(rows, to: $0.baseAddress!) }
            decoded.withUnsafeMutableBufferPointer { decodedInput.addRows(rows, to: $0.baseAddress!) }
            #expect(quantized == decoded)
        }
    }

    /// A pruned quantized model's rows as prediction reads them (by row, and by kept bucket from the slots)
    /// must add as the quantized rows do, bit for bit, and find exactly the buckets pruning kept.
    @Test func prunedQuantizedRowsAddExactlyAsTheQuantizedRows() throws {
        let model = try FastTextModel.load(path: Fixtures.lid176)
        guard let pruned = model.quantizedRows?.view else {
            Issue.record("lid.176.ftz should have pruned quantized rows")
            return
        }
        let dictionary = model.dictionary
        var generator = SystemRandomNumberGenerator()
        var keptSeen = 0
        var kept: [Int] = []
        dictionary.forEachKeptBucket { bucket, _ in kept.append(bucket) }
        #expect(kept.count == dictionary.prunedCount)
        for _ in 0..<300 {
            let rows = (0..<Int.random(in: 1...40, using: &generator)).map { _ in Int32.random(in: 0..<Int32(model.input.rows), using: &generator) }
            var expected = [Float](repeating: 0, count: model.dimension)
            var actual = [Float](repeating: 0, count: model.dimension)
            expected.withUnsafeMutableBufferPointer { model.input.addRows(rows, to: $0.baseAddress!) }
            actual.withUnsafeMutableBufferPointer { x in for row in rows { pruned.addRow(Int(row), to: x.baseAddress!) } }
            #expect(expected == actual)

            // Buckets: a mix of kept ones (from the prune index) and arbitrary ones (mostly dropped).
            var buckets = (0..<20).map { _ in Int.random(in: 0..<dictionary.bucket, using: &generator) }
            buckets += (0..<20).map { _ in kept.randomElement(using: &generator)! }
            var bucketExpected = [Float](repeating: 0, count: model.dimension)
            var bucketActual = [Float](repeating: 0, count: model.dimension)
            var bucketRows: [Int32] = []
            for bucket in buckets {
                let row = dictionary.bucketRow(bucket)
                let added = bucketActual.withUnsafeMutableBufferPointer { pruned.addBucket(bucket, to: $0.baseAddress!) }
                #expect(added == (row != nil), "bucket \(bucket)")
                if let row { bucketRows.append(row) }
            }
            keptSeen += bucketRows.count
            bucketExpected.withUnsafeMutableBufferPointer { model.input.addRows(bucketRows, to: $0.baseAddress!) }
            #expect(bucketExpected == bucketActual)
        }
        #expect(keptSeen >= 300 * 20)
    }

    @Test func predictionsHiddenVectorIsThePlainMeanOfTheRows() throws {
        let model = try FastTextModel.load(path: Fixtures.lid176)
        let predictor = model.makePredictor()
        let texts = [
            "the cat sat on the mat and the cat sat again",
            "Der schnelle braune Fuchs springt über den faulen Hund. Der Hund schläft.",
            "__label__fr ceci n'est pas une étiquette __label__en",
            "一二三 四五六 一二三",
            "antidisestablishmentarianism antidisestablishmentarianism short",
            "",
        ]
        for text in texts {
            let rows = predictor.inputRows(text)
            let hidden = predictor.hiddenVector(text)
            guard !rows.isEmpty else {
                #expect(hidden.isEmpty)
                continue
            }
            let expected = Self.plainMean(model, rows)
            for (a, b) in zip(hidden, expected) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b)), "\(text)") }
        }
    }

    @Test func aPooledPredictorPredictsAsAFreshOne() throws {
        let model = try FastTextModel.load(path: Fixtures.lid176)
        let pool = FastTextPredictorPool(model: model)
        let first = pool.borrow(), second = pool.borrow()
        #expect(first !== second)
        // A predictor warmed on other text, lent again, gives the probabilities a fresh one gives.
        _ = first.predict("The quick brown fox jumps over the lazy dog. Le renard brun saute par-dessus le chien paresseux.")
        pool.giveBack(first)
        let lent = pool.borrow()
        #expect(lent === first)
        let text = "The lazy dog sleeps while the brown fox jumps; le chien dort."
        #expect(lent.predict(text, k: 5) == model.makePredictor().predict(text, k: 5))
    }
}
