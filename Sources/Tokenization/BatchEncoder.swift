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

    package init(tokenizer: BPETokenizer, threads: Int, allowSpecial: Bool = false, partBytes: Int = BatchEncoder.defaultPartBytes) {
        encoders = (0..<max(1, threads)).map { _ in tokenizer.makeEncoder() }
        self.allowSpecial = allowSpecial
        self.partBytes = partBytes
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

    /// Documents longer than twice this many bytes are encoded in parts of about this size on all
    /// threads (`TokenEncoder.independentParts`): the Chinese benchmark corpus holds a 2.6 MB book that
    /// one thread otherwise encodes alone while the other waits at the end of its batch.
    package let partBytes: Int
    package static let defaultPartBytes = 256 << 10
    /// Finds the parts of long documents, on the thread that starts batches.
    private lazy var planner = encoders[0].tokenizer.makeEncoder()

    /// Starts encoding `batch`; `transform(document, ids)` runs on a worker thread for each document.
    package func start<T>(_ batch: [Document], _ transform: @escaping (Document, [UInt32]) -> T) -> Pending<T> {
        let pending = Pending<T>(batch: batch)
        let allowSpecial = self.allowSpecial
        nonisolated(unsafe) let transform = transform
        let items = workItems(batch)
        let counter = Counter()
        for encoder in encoders.prefix(max(1, min(encoders.count, items.count))) {
            nonisolated(unsafe) let encoder = encoder
            // A thread per encoder and batch: libdispatch's pool on Linux ran the blocks one at a time
            // (`--workers 2` used one core); creating two threads per 16 MB batch costs nothing.
            pending.group.enter()
            let thread = Thread {
                defer { pending.group.leave() }
                var ids: [UInt32] = []
                while true {
                    let index = counter.value.add(1, ordering: .relaxed).oldValue
                    if index >= items.count { break }
                    ids.removeAll(keepingCapacity: true)
                    let item = items[index]
                    let document = batch[item.document]
                    if let split = item.split {
                        let part = split.parts[item.part]
                        do throws(TokenizerError) {
                            try split.text.withUnsafeBufferPointer { (text) throws(TokenizerError) in
                                try encoder.encode(utf8: text, part: part, into: &ids)
                            }
                            split.results[item.part] = .success(ids)
                        } catch {
                            split.results[item.part] = .failure(error)
                        }
                        guard split.remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { continue }
                        // The last part done: join them in order.
                        var joined: [UInt32] = []
                        do throws(TokenizerError) {
                            for result in split.results { joined.append(contentsOf: try result!.get()) }
                            pending.results[item.document] = .success(transform(document, joined))
                        } catch {
                            pending.results[item.document] = .failure(error)
                        }
                        continue
                    }
                    do throws(TokenizerError) {
                        try document.withTextUTF8 { (text) throws(TokenizerError) in
                            try encoder.encode(utf8: text, allowSpecial: allowSpecial, into: &ids)
                        }
                        pending.results[item.document] = .success(transform(document, ids))
                    } catch {
                        pending.results[item.document] = .failure(error)
                    }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return pending
    }

    /// What the threads take in turn: whole documents, and the parts of long ones (next to each other,
    /// so both threads work on a long document at once).
    private func workItems(_ batch: [Document]) -> [WorkItem] {
        var items: [WorkItem] = []
        items.reserveCapacity(batch.count)
        for (index, document) in batch.enumerated() {
            if encoders.count > 1, !allowSpecial, document.textByteCount > 2 * partBytes {
                // The text's bytes copied once, here, for all parts: the parts are encoded on several
                // threads at once, and a document's lazily decoded text is for one thread at a time.
                let planned = try? document.withTextUTF8 { (text) throws(TokenizerError) in
                    (parts: try planner.independentParts(of: text, every: partBytes), text: [UInt8](text))
                }
                if let planned, planned.parts.count > 1 {
                    let parts = planned.parts
                    let split = SplitDocument(parts: parts, text: planned.text)
                    for part in parts.indices { items.append(WorkItem(document: index, split: split, part: part)) }
                    continue
                }
            }
            items.append(WorkItem(document: index, split: nil, part: 0))
        }
        return items
    }

    private struct WorkItem {
        var document: Int
        var split: SplitDocument?
        var part: Int
    }

    /// A long document's parts and their ids as the threads finish them.
    private final class SplitDocument: @unchecked Sendable {
        let parts: [Range<Int>]
        /// The document's UTF-8 text.
        let text: [UInt8]
        /// Written by one thread each; read by the thread that finishes the last part.
        let results: UnsafeMutableBufferPointer<Result<[UInt32], TokenizerError>?>
        let remaining: Atomic<Int>

        init(parts: [Range<Int>], text: [UInt8]) {
            self.parts = parts
            self.text = text
            results = .allocate(capacity: parts.count)
            results.initialize(repeating: nil)
            remaining = Atomic(parts.count)
        }

        deinit {
            results.deinitialize()
            results.deallocate()
        }
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
        // Batches start small and grow (256 KiB of text, doubling up to `maxBatchBytes`): the first
        // batch is read before any encoding starts and the last one written after it ends, and with
        // 16 MiB batches the code corpus (21 MB) was three batches, most of it read or written alone.
        var textBytes = firstBatchBytes
        for (index, path) in inputs.enumerated() {
            let reader = try JSONLReader(path: path, format: format)
            while let batch = try DocumentBatches.next(from: reader, path: path, count: batchSize, maxTextBytes: textBytes) {
                try handOver(batch, file: index)
                textBytes = min(textBytes * 2, maxBatchBytes)
            }
        }
        try handOver(nil, file: 0)
    }

    var firstBatchBytes = 256 << 10
    var maxBatchBytes = 4 << 20

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }
}
