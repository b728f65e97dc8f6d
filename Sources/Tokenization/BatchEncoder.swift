import Corpus
import Dispatch
import Foundation
import Synchronization

/// Encodes batches of documents on several threads (one `TokenEncoder` each) and hands back
/// per-document results in batch order, so output never depends on the number of threads.
///
/// The threads live as long as the encoder and take work items (documents, and the parts of long
/// ones) one at a time from a queue that runs across batches (`WorkQueue`): a thread that finds
/// nothing left in batch k starts on batch k+1 while the other finishes k's last document. (With a
/// fresh pair of threads per batch, each batch ended with one thread idle, and `--workers 2` reached
/// 1.5× one worker on the Chinese corpus.)
///
/// `start` returns at once: the caller reads the next batch and writes the previous one's results
/// while this one encodes, so reading and writing (one thread) do not hold the encoders up.
package final class BatchEncoder: @unchecked Sendable {
    /// Encoding threads, each with its own `TokenEncoder`.
    let threads: Int
    let allowSpecial: Bool
    private let queue = WorkQueue()

    /// Starts the threads; each makes its encoder (a few ms of fresh memory each) while the caller
    /// reads the first batch.
    package init(tokenizer: BPETokenizer, threads: Int, allowSpecial: Bool = false, partBytes: Int = BatchEncoder.defaultPartBytes) {
        self.threads = max(1, threads)
        self.allowSpecial = allowSpecial
        self.partBytes = partBytes
        for _ in 0..<self.threads {
            let (queue, encoders) = (self.queue, self.encoders)
            let thread = Thread {
                let encoder = tokenizer.makeEncoder()
                encoders.add(encoder)
                queue.work(encoder)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// The threads finish the batches already started, then end.
    deinit { queue.close() }

    /// The threads' encoders, so their counts can be summed. An object of its own, captured by the
    /// threads: a thread capturing the `BatchEncoder` would keep it alive, and its `deinit`, which ends
    /// the threads, would never run.
    private let encoders = Encoders()

    private final class Encoders: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [TokenEncoder] = []
        func add(_ encoder: TokenEncoder) { lock.withLock { all.append(encoder) } }
        var piecesMerged: Int { lock.withLock { all.reduce(0) { $0 + $1.piecesMerged } } }
    }

    /// Pieces the threads' encoders have merged so far (`TokenEncoder.piecesMerged`); read it when no
    /// batch is encoding (after `wait`), so the counts are settled.
    package var piecesMerged: Int { encoders.piecesMerged }

    /// Documents longer than twice this many bytes are encoded in parts of about this size on all
    /// threads (`SplitDocument`): the Chinese benchmark corpus holds a 2.6 MB book that one thread
    /// would otherwise encode alone while the other waits.
    package let partBytes: Int
    package static let defaultPartBytes = 256 << 10

    /// A batch being encoded; `wait()` hands over its results in batch order.
    ///
    /// Documents stay on the encoding threads, which free them: the thread that consumes results only
    /// gets what `transform` made of each, and its text's size. (Handing documents back cost that thread
    /// a fifth of its time in copies and frees, and with `--workers 2` it shares the cores.)
    package final class Pending<T>: @unchecked Sendable {
        package let count: Int
        fileprivate let results: UnsafeMutableBufferPointer<Result<T, any Error>?>
        /// Each document's text size in UTF-8 bytes (0 for a line that is not a document).
        fileprivate let textBytes: UnsafeMutableBufferPointer<Int>
        fileprivate let done = DispatchSemaphore(value: 0)
        /// Set when every item is done, just before `done` is signalled.
        fileprivate let encoded = Atomic<Bool>(false)
        private var finished = false

        /// Whether every document is encoded (`wait()` would not block).
        package var isEncoded: Bool { encoded.load(ordering: .acquiring) }

        fileprivate func markEncoded() {
            encoded.store(true, ordering: .releasing)
            done.signal()
        }

        fileprivate init(count: Int) {
            self.count = count
            results = .allocate(capacity: count)
            results.initialize(repeating: nil)
            textBytes = .allocate(capacity: count)
            textBytes.initialize(repeating: 0)
        }

        deinit {
            // The queue holds the batch until its last item is done, so nothing writes here any more.
            results.deinitialize()
            results.deallocate()
            textBytes.deallocate()
        }

        /// Waits for the whole batch and hands its results over, each with its document's text size
        /// (once: the results move out). Throws the first failure in batch order: a line that is not a
        /// document (`CorpusError`, with its file and line) or a text the tokenizer refuses (`TokenizerError`).
        package func wait() throws -> [(result: T, textBytes: Int)] {
            var out: [(result: T, textBytes: Int)] = []
            out.reserveCapacity(count)
            try forEachResult { out.append(($0, $1)) }
            return out
        }

        /// `wait()` without gathering: `body` gets each result in batch order, moved out of the batch.
        package func forEachResult(_ body: (consuming T, _ textBytes: Int) throws -> Void) throws {
            precondition(!finished, "a batch's results are handed over once")
            done.wait()
            finished = true
            for i in 0..<count {
                // Moved out and taken apart, not `get()` into an array: that copied each result (a
                // retain and a release per document on the consuming thread).
                let result = (results.baseAddress! + i).move()
                (results.baseAddress! + i).initialize(to: nil)
                switch consume result {
                case let .success(value)?: try body(value, textBytes[i])
                case let .failure(error)?: throw error
                case nil: preconditionFailure("a batch item left no result")
                }
            }
        }
    }

    /// Starts encoding `batch`; `transform(document, ids)` runs on a worker thread for each document.
    package func start<T>(_ batch: [Document], _ transform: @escaping (Document, [UInt32]) -> T) -> Pending<T> {
        start(count: batch.count, bytes: { batch[$0].textByteCount }, document: { .success(batch[$0]) }, transform)
    }

    /// Starts decoding and encoding the lines of `batch`.
    package func start<T>(_ batch: LineBatch, _ transform: @escaping (Document, [UInt32]) -> T) -> Pending<T> {
        start(count: batch.count, bytes: { batch.byteCount(ofLine: $0) }, document: { batch.document($0).mapError { $0 } }, transform)
    }

    /// `bytes(i)` is at least the UTF-8 length of document i's text (it decides which are split);
    /// `document(i)` gives the document, on a worker thread.
    private func start<T>(count: Int, bytes: (Int) -> Int, document: @escaping @Sendable (Int) -> Result<Document, any Error>,
                          _ transform: @escaping (Document, [UInt32]) -> T) -> Pending<T> {
        let pending = Pending<T>(count: count)
        let items = workItems(count: count, bytes: bytes)
        guard !items.isEmpty else {
            pending.markEncoded()
            return pending
        }
        let allowSpecial = self.allowSpecial
        let partBytes = self.partBytes
        nonisolated(unsafe) let transform = transform
        let remaining = Counter(items.count)
        queue.append(items.count) { index, encoder, ids in
            let item = items[index]
            let i = item.document
            defer {
                if remaining.value.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { pending.markEncoded() }
            }
            guard let split = item.split else {
                switch document(i) {
                case let .failure(error):
                    pending.results[i] = .failure(error)
                case let .success(document):
                    pending.textBytes[i] = document.textByteCount
                    ids.removeAll(keepingCapacity: true)
                    do throws(TokenizerError) {
                        try document.withTextUTF8 { (text) throws(TokenizerError) in
                            try encoder.encode(utf8: text, allowSpecial: allowSpecial, into: &ids)
                        }
                        pending.results[i] = .success(transform(document, ids))
                    } catch {
                        pending.results[i] = .failure(error)
                    }
                }
                return
            }
            if item.part < 0 {
                split.plan(encoder: encoder, every: partBytes) {
                    let document = try document(i).get()
                    pending.textBytes[i] = document.textByteCount
                    return (document, document.withTextUTF8 { [UInt8]($0) })
                }
            } else {
                split.encodePart(item.part, encoder: encoder, ids: &ids)
            }
            if let (document, joined) = split.finishItem() {
                pending.results[i] = joined.map { transform(document!, $0) }
            }
        }
        return pending
    }

    /// What the threads take in turn: whole documents, and for a long one an item that finds its cuts
    /// followed by one item per part it can have (next to each other, so all threads work on a long
    /// document at once; a part item waits until the cut after it is found).
    private func workItems(count: Int, bytes: (Int) -> Int) -> [WorkItem] {
        var items: [WorkItem] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let size = bytes(index)
            if threads > 1, !allowSpecial, size > 2 * partBytes {
                let split = SplitDocument(byteLimit: size, partBytes: partBytes)
                items.append(WorkItem(document: index, split: split, part: -1))
                for part in 0..<split.maxParts { items.append(WorkItem(document: index, split: split, part: part)) }
                continue
            }
            items.append(WorkItem(document: index, split: nil, part: 0))
        }
        return items
    }

    private struct WorkItem {
        var document: Int
        var split: SplitDocument?
        /// The part of `split`, or -1 for the item that finds the cuts.
        var part: Int
    }

    /// Reads every input in batches and encodes them, handing each document's result and text size to
    /// `consume` in input order (`file` is the input's index). This thread only reads lines and consumes results;
    /// the encoding threads decode the lines (`LineBatch`). Up to `queuedBatches` batches wait or
    /// encode while the next is read, and the oldest is consumed once they are all queued and it is
    /// encoded (or `maxQueuedBatches` are queued), so this thread keeps ahead of the encoders even where
    /// a run of short documents makes batches quick to encode, or one long document holds the oldest
    /// batch up. A line that is not a document stops the job with its file and line, after the lines
    /// before it are consumed.
    package func encodeInOrder<T>(
        inputs: [String], format: RecordFormat, batchSize: Int, progress: ProgressCounters?,
        transform: @escaping (Document, [UInt32]) -> T,
        consume: (_ file: Int, _ result: T, _ textBytes: Int) throws -> Void
    ) throws {
        var queued: [(batch: Pending<T>, file: Int)] = []
        func consumeOldest() throws {
            let done = queued.removeFirst()
            var (documents, textBytes) = (0, 0)
            defer {
                progress?.documents.add(documents, ordering: .relaxed)
                progress?.textBytes.add(textBytes, ordering: .relaxed)
            }
            try done.batch.forEachResult { result, bytes in
                try consume(done.file, result, bytes)
                documents += 1
                textBytes += bytes
            }
        }
        // Batches start small and grow (256 KiB, doubling up to `maxBatchBytes`): the first batch is
        // read before any encoding starts and the last one written after it ends, and with 16 MiB
        // batches the code corpus (21 MB) was three batches, most of it read or written alone.
        var batchBytes = firstBatchBytes
        for (index, path) in inputs.enumerated() {
            let reader = try JSONLReader(path: path, format: format, mapping: true)
            while let batch = try LineBatch.next(from: reader, path: path, format: format, count: batchSize, maxBytes: batchBytes) {
                queued.append((start(batch, transform), index))
                // Past `queuedBatches`, read further ahead (up to `maxQueuedBatches`) rather than wait for
                // an oldest batch still encoding: one long document's last steps (joining its parts' ids,
                // formatting them) are one thread's work, and with nothing queued behind it the other
                // threads would idle (SmolLM2, Chinese, 2 workers: a 2.6 MB book stalled both for ~20 ms).
                while queued.count >= Self.queuedBatches, queued.count >= Self.maxQueuedBatches || queued[0].batch.isEncoded {
                    try consumeOldest()
                }
                batchBytes = min(batchBytes * 2, maxBatchBytes)
            }
        }
        while !queued.isEmpty { try consumeOldest() }
    }

    /// Batches queued at once, besides the one being read (see `encodeInOrder`); up to
    /// `maxQueuedBatches` while the oldest is still encoding.
    package static let queuedBatches = 3
    package static let maxQueuedBatches = 8
    var firstBatchBytes = 256 << 10
    var maxBatchBytes = 4 << 20

    private final class Counter: Sendable {
        let value: Atomic<Int>
        init(_ value: Int) { self.value = Atomic(value) }
    }
}
