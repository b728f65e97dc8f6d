import Corpus
import Dispatch
import Synchronization
import Tokenization

/// Encodes batches of documents on several threads (one `TokenEncoder` each; each thread takes the next
/// unclaimed document, so one long book does not leave the other threads idle) and hands back
/// per-document results in batch order, so output never depends on the number of threads.
final class BatchEncoder {
    let encoders: [TokenEncoder]
    let allowSpecial: Bool

    init(tokenizer: BPETokenizer, threads: Int, allowSpecial: Bool = false) {
        encoders = (0..<max(1, threads)).map { _ in tokenizer.makeEncoder() }
        self.allowSpecial = allowSpecial
    }

    /// `transform(document, ids)` runs on a worker thread for each document, ids already encoded.
    func map<T>(_ batch: [Document], _ transform: @escaping (Document, [UInt32]) -> T) throws(TokenizerError) -> [T] {
        guard !batch.isEmpty else { return [] }
        let results = UnsafeMutableBufferPointer<Result<T, TokenizerError>?>.allocate(capacity: batch.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slices = min(encoders.count, batch.count)
        let nextIndex = Atomic<Int>(0)
        nonisolated(unsafe) let shared = results
        nonisolated(unsafe) let encoders = self.encoders
        nonisolated(unsafe) let transform = transform
        let allowSpecial = self.allowSpecial
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let encoder = encoders[slice]
            var ids: [UInt32] = []
            while true {
                let index = nextIndex.add(1, ordering: .relaxed).oldValue
                if index >= batch.count { break }
                ids.removeAll(keepingCapacity: true)
                let document = batch[index]
                do throws(TokenizerError) {
                    try document.withTextUTF8 { (text) throws(TokenizerError) in
                        try encoder.encode(utf8: text, allowSpecial: allowSpecial, into: &ids)
                    }
                    shared[index] = .success(transform(document, ids))
                } catch {
                    shared[index] = .failure(error)
                }
            }
        }
        var out: [T] = []
        out.reserveCapacity(batch.count)
        for result in results { out.append(try result!.get()) }
        return out
    }
}
