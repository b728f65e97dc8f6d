/// Disjoint sets over 0..<count with union by size and path halving: 8 bytes per element.
struct UnionFind {
    private var parent: [UInt32]
    private var sizes: [UInt32]

    init(count: Int) {
        parent = (0..<count).map { UInt32($0) }
        sizes = Array(repeating: 1, count: count)
    }

    mutating func find(_ element: Int) -> Int {
        var x = element
        while Int(parent[x]) != x {
            let grandparent = parent[Int(parent[x])]
            parent[x] = grandparent
            x = Int(grandparent)
        }
        return x
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Bool {
        var rootA = find(a)
        var rootB = find(b)
        guard rootA != rootB else { return false }
        if sizes[rootA] < sizes[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = UInt32(rootA)
        sizes[rootA] += sizes[rootB]
        return true
    }

    /// The size of the set holding `element`.
    mutating func size(of element: Int) -> Int { Int(sizes[find(element)]) }
}
