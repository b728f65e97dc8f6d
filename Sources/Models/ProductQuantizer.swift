/// fastText's product quantizer: a row of `dim` floats stored as `nsubq` one-byte codes, each naming one
/// of 256 centroids of its sub-vector (the last sub-vector may be shorter).
struct ProductQuantizer: Sendable {
    let dim: Int
    let nsubq: Int
    let dsub: Int
    let lastdsub: Int
    let centroids: [Float]

    static let ksub = 256

    init(reader: inout BinaryReader) throws(ModelFileError) {
        dim = Int(try reader.read(Int32.self, "the product quantizer's dim"))
        nsubq = Int(try reader.read(Int32.self, "the product quantizer's nsubq"))
        dsub = Int(try reader.read(Int32.self, "the product quantizer's dsub"))
        lastdsub = Int(try reader.read(Int32.self, "the product quantizer's lastdsub"))
        guard dim > 0, dsub > 0, nsubq > 0, lastdsub > 0, lastdsub <= dsub, (nsubq - 1) * dsub + lastdsub == dim else {
            throw ModelFileError(path: reader.path, "a product quantizer with dim \(dim), nsubq \(nsubq), dsub \(dsub), lastdsub \(lastdsub) is inconsistent",
                                 hint: "the file is corrupt")
        }
        centroids = try reader.readFloats(dim * Self.ksub, "the product quantizer's centroids")
    }

    /// Index of the first float of centroid `code` of sub-quantizer `m`.
    @inline(__always)
    func centroidStart(_ m: Int, _ code: UInt8) -> Int {
        Self.centroidStart(m, code, nsubq: nsubq, dsub: dsub, lastdsub: lastdsub)
    }

    /// The same for a quantizer of these sizes (for readers holding its centroids without the quantizer).
    @inline(__always)
    static func centroidStart(_ m: Int, _ code: UInt8, nsubq: Int, dsub: Int, lastdsub: Int) -> Int {
        m == nsubq - 1 ? m * ksub * dsub + Int(code) * lastdsub : (m * ksub + Int(code)) * dsub
    }

    /// row · x · alpha (fastText's `mulcode`).
    func dot(codes: UnsafePointer<UInt8>, alpha: Float, with x: UnsafePointer<Float>) -> Float {
        var result: Float = 0
        centroids.withUnsafeBufferPointer { c in
            for m in 0..<nsubq {
                let start = centroidStart(m, codes[m])
                let d = m == nsubq - 1 ? lastdsub : dsub
                for n in 0..<d { result += x[m * dsub + n] * c[start + n] }
            }
        }
        return result * alpha
    }
}
