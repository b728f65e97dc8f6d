import Corpus
import Dispatch
import Foundation
import Synchronization

/// Encodes batches of documents on several threads (one `TokenEncoder` each; each thread takes the next
/// unclaimed document, so one long book does not leave the other threads idle) and hands back
/// per-document results in batch order, so output never depends on the number of threads.
///
/// `start` returns at once: the caller reads the next batch and writes the previous one's results
/// while this one encodes, so reading and writing (one thread) do not hold the encoders up.
package final class BatchEncoder: @unchecked Sendable {
    let encoders: [TokenEncoder]
    let allowSpecial: Bool

    package init(tokenizer: BPETokenizer, threads: Int, allowSpecial: Bool = false) {
        encoders = (0..<max(1, threads)).map { _ in tokenizer.makeEncoder() }
        self.allowSpecial = allowSpecial
    }

    /// A batch being encoded; `wait()` gives its results in batch order.
    package final class Pending<T>: @unchecked Sendable {
        package let batch: [Document]
        fileprivate let results: UnsafeMutableBufferPointer<Result<T, TokenizerError>?>
        fileprivate let group = DispatchGroup()

        fileprivate init(batch: [Document]) {
            self.batch = batch
            results = .allocate(capacity: batch.count)
            results.initialize(repeating: nil)
        }

        deinit {
            group.wait()
            results.deinitialize()
            results.deallocate()
        }

        package func wait() throws(TokenizerError) -> [T] {
            group.wait()
            var out: [T] = []
            out.reserveCapacity(batch.count)
            for result in results { out.append(try result!.get()) }
            return out
        }
    }

    /// Starts encoding `batch`; `transform(document, ids)` runs on a worker thread for each document.
    package func start<T>(_ batch: [Document], _ transform: @escaping (Document, [UInt32]) -> T) -> Pending<T> {
        let pending = Pending<T>(batch: batch)
        let allowSpecial = self.allowSpecial
        nonisolated(unsafe) let transform = transform
        let counter = Counter()
        for encoder in encoders.prefix(max(1, min(encoders.count, batch.count))) {
            nonisolated(unsafe) let encoder = encoder
            // A thread per encoder and batch: libdispatch's pool on Linux ran the blocks one at a time
            // (`--workers 2` used one core); creating two threads per 16 MB batch costs nothing.
            pending.group.enter()
            let thread = Thread {
                defer { pending.group.leave() }
                var ids: [UInt32] = []
                while true {
                    let index = counter.value.add(1, ordering: .relaxed).oldValue
                    if index >= batch.count { break }
                    ids.removeAll(keepingCapacity: true)
                    let document = batch[index]
                    do throws(TokenizerError) {
                        try document.withTextUTF8 { (text) throws(TokenizerError) in
                            try encoder.encode(utf8: text, allowSpecial: allowSpecial, into: &ids)
                        }
                        pending.results[index] = .success(transform(document, ids))
                    } catch {
                        pending.results[index] = .failure(error)
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return pending
    }

    /// Reads every input in batches and encodes them, handing each document's result to `consume` in
    /// input order (`file` is the input's index). Batch k+1 is read while batch k encodes, and batch k is
    /// consumed while k+1 encodes.
    package func encodeInOrder<T>(
        inputs: [String], format: RecordFormat, batchSize: Int, progress: ProgressCounters?,
        transform: @escaping (Document, [UInt32]) -> T,
        consume: (_ file: Int, _ document: Document, _ result: T) throws -> Void
    ) throws {
        var pending: (batch: Pending<T>, file: Int)?
        func handOver(_ next: [Document]?, file: Int) throws {
            let done = pending
            let results = try done?.batch.wait()
            pending = next.map { (start($0, transform), file) }
            guard let done, let results else { return }
            for (document, result) in zip(done.batch.batch, results) { try consume(done.file, document, result) }
            progress?.documents.add(done.batch.batch.count, ordering: .relaxed)
            progress?.textBytes.add(done.batch.batch.reduce(0) { $0 + $1.textByteCount }, ordering: .relaxed)
        }
        for (index, path) in inputs.enumerated() {
            let reader = try JSONLReader(path: path, format: format)
            while let batch = try DocumentBatches.next(from: reader, path: path, count: batchSize) {
                try handOver(batch, file: index)
            }
        }
        try handOver(nil, file: 0)
    }

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }
}
