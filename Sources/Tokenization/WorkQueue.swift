import Foundation

/// The work items of the batches started and not yet taken, oldest batch first, shared by a
/// `BatchEncoder`'s threads: a thread that finds nothing left in one batch goes on to the next.
final class WorkQueue: @unchecked Sendable {
    typealias Run = (_ index: Int, _ encoder: TokenEncoder, _ ids: inout [UInt32]) -> Void
    private let condition = NSCondition()
    /// Guarded by `condition`: each batch's item count, the next item to take, and how to run one.
    private var batches: [(count: Int, next: Int, run: Run)] = []
    private var first = 0
    private var closed = false

    /// Queues items `0..<count`; `run` is called once for each, on some thread.
    func append(_ count: Int, run: @escaping Run) {
        guard count > 0 else { return }
        condition.lock()
        batches.append((count, 0, run))
        condition.broadcast()
        condition.unlock()
    }

    /// No more batches: each thread ends once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// A thread's loop: take the oldest batch's next item and run it, until closed and empty.
    func work(_ encoder: TokenEncoder) {
        var ids: [UInt32] = []
        condition.lock()
        while true {
            if first < batches.count {
                let index = batches[first].next
                let run = batches[first].run
                batches[first].next += 1
                if batches[first].next == batches[first].count {
                    batches[first].run = { _, _, _ in }  // the threads still running it hold their own reference
                    first += 1
                    if first == batches.count || first >= 64 {
                        batches.removeFirst(first)
                        first = 0
                    }
                }
                condition.unlock()
                run(index, encoder, &ids)
                condition.lock()
            } else if closed {
                condition.unlock()
                return
            } else {
                condition.wait()
            }
        }
    }
}
