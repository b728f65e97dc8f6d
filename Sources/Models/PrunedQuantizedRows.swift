/// The input rows of a quantized model whose n-gram buckets were pruned (`.ftz` files such as lid.176),
/// laid out for prediction: each kept bucket's product-quantized row sits in the bucket's own hash slot.
///
/// Finding an n-gram's row was two dependent cache misses (the bucket → row table, then the row), and the
/// rows decoded to floats took 3.2 MB for lid.176. Here a slot holds the bucket, the row's norm and its
/// codes (16 bytes for lid.176: 1 MiB for its 42,765 kept buckets), so a kept n-gram costs one slot read
/// plus centroid reads from a 16 KiB table. The values added are fastText's own: norm × centroid in f32,
/// added element by element (`QuantMatrix::addToVector`), the same sums bit for bit as the decoded rows.
final class PrunedQuantizedRows: @unchecked Sendable {
    /// The tables, as the hot path reads them: plain pointers, so passing them around counts no references.
    let view: View

    /// Nil unless `input` is quantized and `dictionary` keeps only some buckets.
    init?(_ input: FastTextMatrix, _ dictionary: FastTextDictionary) {
        guard case let .quantized(matrix) = input, dictionary.pruneIndexSize > 0 else { return nil }
        let quantizer = matrix.quantizer
        let nsubq = quantizer.nsubq
        let centroids = UnsafeMutablePointer<Float>.allocate(capacity: quantizer.centroids.count)
        centroids.initialize(from: quantizer.centroids, count: quantizer.centroids.count)
        let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, matrix.codes.count))
        codes.initialize(from: matrix.codes, count: matrix.codes.count)
        let norms = UnsafeMutablePointer<Float>.allocate(capacity: max(1, matrix.rows))
        for row in 0..<matrix.rows { norms[row] = matrix.norm(row) }

        let stride = (8 + nsubq + 7) & ~7
        var capacity = 16
        while capacity < dictionary.prunedCount * 3 / 2 + 1 { capacity <<= 1 }
        let mask = capacity - 1
        let slots = UnsafeMutableRawPointer.allocate(byteCount: capacity * stride, alignment: 8)
        slots.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        dictionary.forEachKeptBucket { bucket, row in
            guard row < matrix.rows else { return }
            var index = FastTextDictionary.slot(bucket, mask)
            while slots.load(fromByteOffset: index * stride, as: UInt32.self) != 0 { index = (index + 1) & mask }
            let slot = slots + index * stride
            slot.storeBytes(of: UInt32(truncatingIfNeeded: bucket + 1), as: UInt32.self)
            slot.storeBytes(of: norms[row], toByteOffset: 4, as: Float.self)
            (slot + 8).copyMemory(from: codes + row * nsubq, byteCount: nsubq)
        }
        view = View(nsubq: nsubq, dsub: quantizer.dsub, lastdsub: quantizer.lastdsub, centroids: centroids, slots: slots,
                    stride: stride, mask: mask, codes: codes, norms: norms)
    }

    deinit {
        view.centroids.deallocate()
        view.slots.deallocate()
        view.codes.deallocate()
        view.norms.deallocate()
    }

    struct View {
        let nsubq: Int
        let dsub: Int
        let lastdsub: Int
        let centroids: UnsafeMutablePointer<Float>
        /// Per slot: bucket + 1 (UInt32, 0 = empty), norm (Float32), then `nsubq` codes, padded to 8 bytes.
        let slots: UnsafeMutableRawPointer
        let stride: Int
        let mask: Int
        /// Every row's codes and norm, in row order (word rows and rows named by id).
        let codes: UnsafeMutablePointer<UInt8>
        let norms: UnsafeMutablePointer<Float>

        /// Adds kept bucket `bucket`'s row to `x` and returns true; false when pruning dropped the bucket.
        /// (Reading all of a word's n-grams' slots in separate passes first, for memory-level parallelism,
        /// measured 6% slower.)
        @inline(__always)
        func addBucket(_ bucket: Int, to x: UnsafeMutablePointer<Float>) -> Bool {
            let key = UInt32(truncatingIfNeeded: bucket &+ 1)
            var index = FastTextDictionary.slot(bucket, mask)
            while true {
                let slot = UnsafeRawPointer(slots + index &* stride)
                let stored = slot.load(as: UInt32.self)
                if stored == key {
                    add(codes: slot.assumingMemoryBound(to: UInt8.self) + 8, norm: slot.load(fromByteOffset: 4, as: Float.self), to: x)
                    return true
                }
                if stored == 0 { return false }
                index = (index &+ 1) & mask
            }
        }

        /// Adds row `row` (a word's row, or any row id of `FastTextDictionary`) to `x`.
        @inline(__always)
        func addRow(_ row: Int, to x: UnsafeMutablePointer<Float>) {
            add(codes: codes + row &* nsubq, norm: norms[row], to: x)
        }

        @inline(__always)
        private func add(codes: UnsafePointer<UInt8>, norm alpha: Float, to x: UnsafeMutablePointer<Float>) {
            if dsub == 2 && lastdsub == 2 {
                var m = 0
                while m < nsubq {
                    let c = centroids + ((m &* ProductQuantizer.ksub &+ Int(codes[m])) &* 2)
                    x[m &* 2] += alpha * c[0]
                    x[m &* 2 &+ 1] += alpha * c[1]
                    m &+= 1
                }
                return
            }
            for m in 0..<nsubq {
                let start = ProductQuantizer.centroidStart(m, codes[m], nsubq: nsubq, dsub: dsub, lastdsub: lastdsub)
                let d = m == nsubq - 1 ? lastdsub : dsub
                for n in 0..<d { x[m * dsub + n] += alpha * centroids[start + n] }
            }
        }
    }
}
