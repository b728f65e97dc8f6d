/// A fastText weight matrix: dense f32 rows, or product-quantized rows (`.ftz`) with optional quantized norms.
enum FastTextMatrix: Sendable {
    case dense(rows: Int, columns: Int, values: [Float])
    case quantized(QuantizedRows)

    struct QuantizedRows: Sendable {
        let rows: Int
        let columns: Int
        let codes: [UInt8]
        let quantizer: ProductQuantizer
        /// Per row, the code of its norm in `normQuantizer` (when the file quantized norms).
        let normCodes: [UInt8]?
        let normQuantizer: ProductQuantizer?

        func norm(_ row: Int) -> Float {
            guard let normCodes, let normQuantizer else { return 1 }
            return normQuantizer.centroids[normQuantizer.centroidStart(0, normCodes[row])]
        }
    }

    static func readDense(_ reader: inout BinaryReader, _ what: String) throws(ModelFileError) -> FastTextMatrix {
        let rows = try reader.read(Int64.self, "the \(what) matrix's row count")
        let columns = try reader.read(Int64.self, "the \(what) matrix's column count")
        guard rows >= 0, columns > 0, rows < 1 << 32, columns < 1 << 16, rows * columns * 4 <= Int64(reader.remaining) else {
            throw ModelFileError(path: reader.path, "the \(what) matrix claims \(rows) × \(columns) floats, more than the file holds",
                                 hint: "the file is truncated or corrupt")
        }
        return .dense(rows: Int(rows), columns: Int(columns), values: try reader.readFloats(Int(rows * columns), "the \(what) matrix"))
    }

    static func readQuantized(_ reader: inout BinaryReader, _ what: String) throws(ModelFileError) -> FastTextMatrix {
        let quantizedNorms = try reader.readBool("the \(what) matrix's qnorm flag")
        let rows = Int(try reader.read(Int64.self, "the \(what) matrix's row count"))
        let columns = Int(try reader.read(Int64.self, "the \(what) matrix's column count"))
        let codeSize = Int(try reader.read(Int32.self, "the \(what) matrix's code size"))
        guard rows >= 0, columns > 0, codeSize >= 0, codeSize <= reader.remaining else {
            throw ModelFileError(path: reader.path, "the quantized \(what) matrix's sizes (\(rows) × \(columns), \(codeSize) code bytes) are impossible",
                                 hint: "the file is truncated or corrupt")
        }
        let codes = try reader.readBytes(codeSize, "the \(what) matrix's codes")
        let quantizer = try ProductQuantizer(reader: &reader)
        guard quantizer.dim == columns, codeSize == rows * quantizer.nsubq else {
            throw ModelFileError(path: reader.path, "the quantized \(what) matrix has \(codeSize) code bytes for \(rows) rows of \(quantizer.nsubq) codes",
                                 hint: "the file is corrupt")
        }
        var normCodes: [UInt8]?
        var normQuantizer: ProductQuantizer?
        if quantizedNorms {
            normCodes = try reader.readBytes(rows, "the \(what) matrix's norm codes")
            normQuantizer = try ProductQuantizer(reader: &reader)
        }
        return .quantized(QuantizedRows(rows: rows, columns: columns, codes: codes, quantizer: quantizer,
                                        normCodes: normCodes, normQuantizer: normQuantizer))
    }

    /// Quantized rows decoded to dense f32 (value = norm · centroid, as `addRows` adds it), when that
    /// takes at most `maxBytes`; otherwise the matrix itself.
    func decodedForPrediction(maxBytes: Int) -> FastTextMatrix {
        guard case let .quantized(matrix) = self, matrix.rows * matrix.columns * 4 <= maxBytes else { return self }
        let quantizer = matrix.quantizer
        var values = [Float](repeating: 0, count: matrix.rows * matrix.columns)
        matrix.codes.withUnsafeBufferPointer { codes in
            quantizer.centroids.withUnsafeBufferPointer { centroids in
                values.withUnsafeMutableBufferPointer { out in
                    for row in 0..<matrix.rows {
                        let code = codes.baseAddress! + row * quantizer.nsubq
                        let alpha = matrix.norm(row)
                        let x = out.baseAddress! + row * matrix.columns
                        for m in 0..<quantizer.nsubq {
                            let start = quantizer.centroidStart(m, code[m])
                            let d = m == quantizer.nsubq - 1 ? quantizer.lastdsub : quantizer.dsub
                            for n in 0..<d { x[m * quantizer.dsub + n] = alpha * centroids[start + n] }
                        }
                    }
                }
            }
        }
        return .dense(rows: matrix.rows, columns: matrix.columns, values: values)
    }

    var rows: Int {
        switch self {
        case let .dense(rows, _, _): return rows
        case let .quantized(matrix): return matrix.rows
        }
    }

    var columns: Int {
        switch self {
        case let .dense(_, columns, _): return columns
        case let .quantized(matrix): return matrix.columns
        }
    }

    /// x += each row of `rows`, in order (a quantized row adds norm · centroid per sub-vector: fastText's
    /// `addcode`, f32 in its order).
    func addRows(_ rows: [Int32], to x: UnsafeMutablePointer<Float>) {
        switch self {
        case let .dense(_, columns, values):
            // Eight columns at a time; each element still sums the rows in order, as fastText does.
            values.withUnsafeBufferPointer { v in
                let values = UnsafeRawPointer(v.baseAddress!)
                let out = UnsafeMutableRawPointer(x)
                let wide = columns & ~7
                for row in rows {
                    let base = Int(row) * columns
                    var j = 0
                    while j < wide {
                        let sum = out.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                            + values.loadUnaligned(fromByteOffset: (base + j) * 4, as: SIMD8<Float>.self)
                        out.storeBytes(of: sum, toByteOffset: j * 4, as: SIMD8<Float>.self)
                        j += 8
                    }
                    while j < columns {
                        x[j] += v[base + j]
                        j += 1
                    }
                }
            }
        case let .quantized(matrix):
            let quantizer = matrix.quantizer
            matrix.codes.withUnsafeBufferPointer { codes in
                quantizer.centroids.withUnsafeBufferPointer { centroids in
                    for row in rows {
                        let code = codes.baseAddress! + Int(row) * quantizer.nsubq
                        let alpha = matrix.norm(Int(row))
                        for m in 0..<quantizer.nsubq {
                            let start = quantizer.centroidStart(m, code[m])
                            let d = m == quantizer.nsubq - 1 ? quantizer.lastdsub : quantizer.dsub
                            for n in 0..<d { x[m * quantizer.dsub + n] += alpha * centroids[start + n] }
                        }
                    }
                }
            }
        }
    }

    /// row `row` · x.
    func dot(_ row: Int, _ x: UnsafePointer<Float>) -> Float {
        switch self {
        case let .dense(_, columns, values):
            return values.withUnsafeBufferPointer { v in
                var d: Float = 0
                let base = row * columns
                for j in 0..<columns { d += v[base + j] * x[j] }
                return d
            }
        case let .quantized(matrix):
            return matrix.codes.withUnsafeBufferPointer { codes in
                matrix.quantizer.dot(codes: codes.baseAddress! + row * matrix.quantizer.nsubq, alpha: matrix.norm(row), with: x)
            }
        }
    }
}
