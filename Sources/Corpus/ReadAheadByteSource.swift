#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Runs another source (a decompressor) on its own thread, a few chunks ahead of the reader.
///
/// Decompression and JSON scanning then overlap: reading `.jsonl.zst` costs about the slower of the two
/// instead of their sum (issue 2 asks for 60% of `zstd -dc`'s speed). Errors arrive in stream order, at
/// the read that would have met them. Memory: `chunks` × `chunkSize`.
public final class ReadAheadByteSource: ByteSource {
    private let state: ReadAheadState

    public init(upstream: any ByteSource, chunkSize: Int = 1 << 20, chunks: Int = 4) {
        state = ReadAheadState(upstream: upstream, chunkSize: chunkSize, chunks: chunks)
    }

    /// The reader is gone: stop the thread (it holds only the shared state, never this object).
    deinit { state.cancel() }

    public var fileBytesConsumed: Int { state.fileBytesConsumed }

    /// Read-ahead threads running now, in the whole process (tests check they all end).
    public static var runningThreads: Int { ReadAheadState.running.load(ordering: .relaxed) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        try state.read(into: buffer)
    }
}

/// The chunk ring shared by the reader and the read-ahead thread.
final class ReadAheadState: @unchecked Sendable {
    static let running = Atomic<Int>(0)
    private struct Chunk {
        var buffer: UnsafeMutableRawBufferPointer
        var count = 0
        var error: CorpusError?
    }

    private let upstream: any ByteSource
    private var chunks: [Chunk]
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    /// Chunks filled and not yet fully read, in ring order from `readIndex`.
    private var filled = 0
    private var readIndex = 0
    private var readOffset = 0
    private var producerDone = false
    private var cancelled = false
    private var consumed = 0

    var fileBytesConsumed: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return consumed
    }

    init(upstream: any ByteSource, chunkSize: Int, chunks: Int) {
        self.upstream = upstream
        self.chunks = (0..<chunks).map { _ in Chunk(buffer: .allocate(byteCount: chunkSize, alignment: 64)) }
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
        let context = Unmanaged.passRetained(self).toOpaque()
        Self.running.add(1, ordering: .relaxed)
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { raw in
            let source = Unmanaged<ReadAheadState>.fromOpaque(raw!).takeRetainedValue()
            source.produce()
            ReadAheadState.running.subtract(1, ordering: .relaxed)
            return nil
        }, context)
        if status == 0 {
            pthread_detach(handle)
        } else {
            Unmanaged<ReadAheadState>.fromOpaque(context).release()
            Self.running.subtract(1, ordering: .relaxed)
            producerDone = true
            self.chunks[0].error = CorpusError(.readFailed, path: "", message: "cannot start a reader thread (error \(status))",
                                               hint: "the system is out of threads; run with fewer workers")
            filled = 1
        }
    }

    deinit {
        for chunk in chunks { chunk.buffer.deallocate() }
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    /// Stops the read-ahead thread; it exits at its next wait.
    func cancel() {
        pthread_mutex_lock(&mutex)
        cancelled = true
        pthread_cond_broadcast(&changed)
        pthread_mutex_unlock(&mutex)
    }

    private func produce() {
        var writeIndex = 0
        while true {
            pthread_mutex_lock(&mutex)
            while filled == chunks.count && !cancelled { pthread_cond_wait(&changed, &mutex) }
            if cancelled {
                producerDone = true
                pthread_cond_broadcast(&changed)
                pthread_mutex_unlock(&mutex)
                return
            }
            let buffer = chunks[writeIndex].buffer
            pthread_mutex_unlock(&mutex)

            var count = 0
            var error: CorpusError?
            do { count = try upstream.read(into: buffer) } catch let e { error = e }
            let fileBytes = upstream.fileBytesConsumed

            pthread_mutex_lock(&mutex)
            chunks[writeIndex].count = count
            chunks[writeIndex].error = error
            filled += 1
            consumed = fileBytes
            let finished = count == 0 || error != nil
            if finished { producerDone = true }
            pthread_cond_broadcast(&changed)
            pthread_mutex_unlock(&mutex)
            if finished { return }
            writeIndex = (writeIndex + 1) % chunks.count
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CorpusError) -> Int {
        pthread_mutex_lock(&mutex)
        while filled == 0 && !producerDone { pthread_cond_wait(&changed, &mutex) }
        guard filled > 0 else {
            pthread_mutex_unlock(&mutex)
            return 0
        }
        let chunk = chunks[readIndex]
        pthread_mutex_unlock(&mutex)

        if let error = chunk.error { throw error }
        if chunk.count == 0 { return 0 }  // end of stream: leave the chunk so later reads also see it
        let n = min(buffer.count, chunk.count - readOffset)
        buffer.baseAddress!.copyMemory(from: chunk.buffer.baseAddress! + readOffset, byteCount: n)
        readOffset += n
        if readOffset == chunk.count {
            readOffset = 0
            pthread_mutex_lock(&mutex)
            filled -= 1
            readIndex = (readIndex + 1) % chunks.count
            pthread_cond_broadcast(&changed)
            pthread_mutex_unlock(&mutex)
        }
        return n
    }
}
