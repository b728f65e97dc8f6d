/// The f32 vector loops of training, on raw pointers (8 lanes; the sum order of `dot` differs from
/// fastText's sequential one, which only matters bit for bit).
enum FastTextVectors {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum0 = Lanes(), sum1 = Lanes()
        var j = 0
        while j + 16 <= n {
            sum0 += load(a + j) * load(b + j)
            sum1 += load(a + j + 8) * load(b + j + 8)
            j += 16
        }
        if j + 8 <= n {
            sum0 += load(a + j) * load(b + j)
            j += 8
        }
        var sum = (sum0 + sum1).sum()
        while j < n {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }

    /// y += x.
    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j + 8 <= n {
            store(load(y + j) + load(x + j), y + j)
            j += 8
        }
        while j < n {
            y[j] += x[j]
            j += 1
        }
    }

    /// y *= a.
    @inline(__always)
    static func scale(_ y: UnsafeMutablePointer<Float>, by a: Float, _ n: Int) {
        for j in 0..<n { y[j] *= a }
    }

    /// The two updates of a logistic or softmax output: gradient += alpha · row (the old row), then
    /// row += alpha · hidden.
    @inline(__always)
    static func update(row: UnsafeMutablePointer<Float>, gradient: UnsafeMutablePointer<Float>, hidden: UnsafePointer<Float>,
                       alpha: Float, _ n: Int) {
        let a = Lanes(repeating: alpha)
        var j = 0
        while j + 8 <= n {
            let w = load(row + j)
            store(load(gradient + j) + a * w, gradient + j)
            store(w + a * load(hidden + j), row + j)
            j += 8
        }
        while j < n {
            let w = row[j]
            gradient[j] += alpha * w
            row[j] = w + alpha * hidden[j]
            j += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> Lanes { load(UnsafePointer(p)) }

    @inline(__always)
    static func store(_ value: Lanes, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: Lanes.self)
    }
}
