import Corpus
import Foundation
import Synchronization

/// A long document that several threads encode at once (`BatchEncoder`): one thread finds its cuts
/// (`TokenEncoder.forEachIndependentCut`) while the others encode the parts found so far, and the
/// thread that finishes the last part joins the ids.
final class SplitDocument: @unchecked Sendable {
    /// Parts have at least `partBytes` bytes (the last may have fewer), so there are at most this many.
    let maxParts: Int
    /// The document's UTF-8 text, copied once for all parts (a document's lazily decoded text is for
    /// one thread at a time). Written by the planning thread before it publishes the first part.
    private var text: [UInt8] = []
    /// Part i is `bounds[i]..<bounds[i + 1]`; guarded by `condition` until planning ends.
    private var bounds: [Int] = [0]
    private var planned = false
    private var failure: (any Error)?
    /// Set with the text, for the thread that joins the parts.
    private var document: Document?
    private let condition = NSCondition()
    /// Written by one thread each; read by the thread that finishes the last item.
    private let results: UnsafeMutableBufferPointer<Result<[UInt32], TokenizerError>?>
    /// Items not yet done: the planning item and one per possible part.
    private let remaining: Atomic<Int>

    /// For a text of at most `byteLimit` bytes, cut into parts of at least `partBytes`.
    init(byteLimit: Int, partBytes: Int) {
        maxParts = byteLimit / partBytes + 1
        results = .allocate(capacity: maxParts)
        results.initialize(repeating: nil)
        remaining = Atomic(maxParts + 1)
    }

    deinit {
        results.deinitialize()
        results.deallocate()
    }

    /// The planning item: takes the document and its text (`source` gives them, or throws why there is
    /// none), then finds the cuts, publishing each part as soon as its end is known.
    func plan(encoder: TokenEncoder, every: Int, source: () throws -> (Document, [UInt8])) {
        do {
            let (document, utf8) = try source()
            self.document = document
            self.text = utf8
            try utf8.withUnsafeBufferPointer { (utf8) throws(TokenizerError) in
                try encoder.forEachIndependentCut(of: utf8, every: every) { cut in
                    condition.lock()
                    bounds.append(cut)
                    condition.broadcast()
                    condition.unlock()
                }
            }
            condition.lock()
            bounds.append(utf8.count)
        } catch {
            condition.lock()
            failure = error
        }
        precondition(bounds.count <= maxParts + 1, "more parts than their minimum size allows")
        planned = true
        condition.broadcast()
        condition.unlock()
    }

    /// Part item `index`: waits until its range is known, then encodes it (nothing if the document has
    /// fewer parts or no text).
    func encodePart(_ index: Int, encoder: TokenEncoder, ids: inout [UInt32]) {
        condition.lock()
        while index + 1 >= bounds.count, !planned { condition.wait() }
        let part = failure == nil && index + 1 < bounds.count ? bounds[index]..<bounds[index + 1] : nil
        condition.unlock()
        guard let part else { return }
        ids.removeAll(keepingCapacity: true)
        do throws(TokenizerError) {
            try text.withUnsafeBufferPointer { (text) throws(TokenizerError) in
                try encoder.encode(utf8: text, part: part, into: &ids)
            }
            results[index] = .success(ids)
        } catch {
            results[index] = .failure(error)
        }
    }

    /// Marks one item done; for the last one, the document (nil if it could not be read) and the parts'
    /// ids in order (or why there are none).
    func finishItem() -> (Document?, Result<[UInt32], any Error>)? {
        guard remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return nil }
        if let failure { return (document, .failure(failure)) }
        let parts: [[UInt32]]
        do throws(TokenizerError) {
            parts = try results.prefix(bounds.count - 1).map { (result) throws(TokenizerError) in try result!.get() }
        } catch {
            return (document, .failure(error))
        }
        if parts.count == 1 { return (document, .success(parts[0])) }
        // Sized once: growing by appends copied the ids about twice and faulted in each larger buffer,
        // which was a 10 ms tail of one thread for a 2.6 MB book ending the Chinese corpus (SmolLM2).
        var ids: [UInt32] = []
        ids.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { ids.append(contentsOf: part) }
        return (document, .success(ids))
    }
}
