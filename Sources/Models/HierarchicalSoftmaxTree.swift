/// fastText's Huffman tree over the labels (two cursors over leaves sorted by count and new nodes).
struct HierarchicalSoftmaxTree: Sendable {
    let left: [Int32]
    let right: [Int32]
    let labelCount: Int

    init(counts: [Int64]) {
        let n = counts.count
        var count = [Int64](repeating: 1_000_000_000_000_000, count: max(1, 2 * n - 1))
        var left = [Int32](repeating: -1, count: max(1, 2 * n - 1))
        var right = left
        for i in 0..<n { count[i] = counts[i] }
        var leaf = n - 1
        var node = n
        if n > 1 {
            for i in n..<(2 * n - 1) {
                var picks = [0, 0]
                for j in 0..<2 {
                    if leaf >= 0 && count[leaf] < count[node] {
                        picks[j] = leaf
                        leaf -= 1
                    } else {
                        picks[j] = node
                        node += 1
                    }
                }
                left[i] = Int32(picks[0])
                right[i] = Int32(picks[1])
                count[i] = count[picks[0]] + count[picks[1]]
            }
        }
        self.left = left
        self.right = right
        labelCount = n
    }

    var root: Int { 2 * labelCount - 2 }

    func isLeaf(_ node: Int) -> Bool { left[node] == -1 && right[node] == -1 }
}
