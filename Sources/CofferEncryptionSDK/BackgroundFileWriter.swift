import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes byte chunks to a file descriptor on a dedicated thread, so that producing the next chunk
/// (encrypting or decrypting it) overlaps with the kernel copying the previous one into the page cache.
///
/// At most `depth` buffers exist: `buffer()` hands out an empty one (waiting while all are queued or
/// being written), `submit(_:)` queues it, and the writer thread returns it for reuse once written, so
/// memory stays bounded by `depth` chunks whatever the stream's length. Chunks are written in submission
/// order. Every writer must end with `finish()` (waits for the queued chunks, then reports the first
/// write error) or `abandon()` (drops the queued chunks); no write happens after either returns.
public final class BackgroundFileWriter: Sendable {
    private struct State: Sendable {
        var queued: [[UInt8]] = []
        var spare: [[UInt8]] = []
        /// Buffers handed out, queued or being written (at most `depth`).
        var allocated = 0
        /// A producer waiting in `buffer()` for a buffer to come back.
        var waiter: UnsafeContinuation<[UInt8], any Error>?
        /// The caller of `finish()`/`abandon()`, resumed when the thread has ended.
        var closer: UnsafeContinuation<Void, any Error>?
        var closing = false
        var discard = false
        var started = false
        var ended = false
        /// The thread is waiting (or about to wait) on `wakeup`.
        var writerIdle = false
        /// `errno` of the first failed write; nothing is written after it.
        var failure: Int32?
    }

    private let descriptor: Int32
    private let depth: Int
    private let capacity: Int
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - descriptor: an open file descriptor; the writer does not close it.
    ///   - depth: how many chunks may be in flight (at least 2).
    ///   - capacity: the capacity reserved in each new buffer.
    public init(descriptor: Int32, depth: Int = 3, capacity: Int = 1 << 20) {
        self.descriptor = descriptor
        self.depth = Swift.max(depth, 2)
        self.capacity = Swift.max(capacity, 0)
    }

    /// An empty buffer to fill and pass to `submit(_:)`; waits while `depth` chunks are in flight.
    /// Throws if an earlier write failed.
    public func buffer() async throws -> [UInt8] {
        let depth = self.depth
        switch state.withLock({ Self.take(&$0, depth: depth) }) {
        case .reuse(let buffer): return buffer
        case .allocate: return newBuffer()
        case .failed(let code): throw Self.writeError(code)
        case .wait: break
        }
        return try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[UInt8], any Error>) in
            let outcome = state.withLock { state -> Take in
                let outcome = Self.take(&state, depth: depth)
                if case .wait = outcome { state.waiter = continuation }
                return outcome
            }
            switch outcome {
            case .reuse(let buffer): continuation.resume(returning: buffer)
            case .allocate: continuation.resume(returning: newBuffer())
            case .failed(let code): continuation.resume(throwing: Self.writeError(code))
            case .wait: break
            }
        }
    }

    private enum Take { case reuse([UInt8]), allocate, failed(Int32), wait }

    /// Takes a spare buffer, or counts a new one while fewer than `depth` exist.
    private static func take(_ state: inout State, depth: Int) -> Take {
        if let failure = state.failure { return .failed(failure) }
        if let buffer = state.spare.popLast() { return .reuse(buffer) }
        if state.allocated < depth {
            state.allocated += 1
            return .allocate
        }
        return .wait
    }

    /// Queues `bytes` (a buffer from `buffer()`) to be written after everything submitted before it.
    public func submit(_ bytes: consuming [UInt8]) {
        var moving: [UInt8]? = consume bytes
        let (start, signal) = state.withLock { state -> (Bool, Bool) in
            if let chunk = moving.take() { state.queued.append(chunk) }
            let start = !state.started
            state.started = true
            return (start, Self.claimWakeup(&state))
        }
        if start { startThread() } else if signal { wakeup.signal() }
    }

    /// Waits until every submitted chunk is written and the thread has ended; throws the first write error.
    public func finish() async throws {
        try await close(discarding: false)
    }

    /// Drops the chunks not yet written and waits for the thread to end (after the write in progress).
    public func abandon() async {
        try? await close(discarding: true)
    }

    private func close(discarding: Bool) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            enum Outcome { case done(Int32?), signal, none }
            let outcome = state.withLock { state -> Outcome in
                state.closing = true
                if discarding { state.discard = true }
                guard state.started else {
                    state.ended = true
                    return .done(state.failure)
                }
                if state.ended { return .done(state.failure) }
                state.closer = continuation
                return Self.claimWakeup(&state) ? .signal : .none
            }
            switch outcome {
            case .done(let failure):
                if let failure { continuation.resume(throwing: Self.writeError(failure)) } else { continuation.resume() }
            case .signal: wakeup.signal()
            case .none: break
            }
        }
    }

    private func newBuffer() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        return buffer
    }

    private func startThread() {
        let thread = Thread { [self] in self.run() }
        thread.name = "coffer-esdk-writer"
        thread.start()
    }

    /// Whether the caller must signal `wakeup` (exactly one signal per idle period).
    private static func claimWakeup(_ state: inout State) -> Bool {
        guard state.writerIdle else { return false }
        state.writerIdle = false
        return true
    }

    /// The writer thread: writes queued chunks in order until closed and drained. Buffers are moved, never
    /// shared, so that reusing one never copies it.
    private func run() {
        while true {
            enum Step { case write(skip: Bool), end(UnsafeContinuation<Void, any Error>?, Int32?), wait }
            var bytes: [UInt8] = []
            let step = state.withLock { state -> Step in
                if !state.queued.isEmpty, !state.discard {
                    bytes = state.queued.removeFirst()
                    return .write(skip: state.failure != nil)
                }
                if state.closing {
                    state.queued.removeAll()
                    state.ended = true
                    let closer = state.closer
                    state.closer = nil
                    return .end(closer, state.failure)
                }
                state.writerIdle = true
                return .wait
            }
            switch step {
            case .wait:
                wakeup.wait()
            case .end(let closer, let failure):
                if let failure { closer?.resume(throwing: Self.writeError(failure)) } else { closer?.resume() }
                return
            case .write(let skip):
                let failure = skip ? nil : Self.writeAll(descriptor, bytes)
                bytes.removeAll(keepingCapacity: true)
                var moving: [UInt8]? = consume bytes
                var waiter: UnsafeContinuation<[UInt8], any Error>?
                var failed: Int32?
                state.withLock { state in
                    if let failure, state.failure == nil { state.failure = failure }
                    failed = state.failure
                    waiter = state.waiter
                    state.waiter = nil
                    if waiter == nil, let buffer = moving.take() { state.spare.append(buffer) }
                }
                if let waiter {
                    if let failed { waiter.resume(throwing: Self.writeError(failed)) } else { waiter.resume(returning: moving.take() ?? []) }
                }
            }
        }
    }

    /// Writes all of `bytes`; the `errno` of a failure, or nil.
    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let count = write(descriptor, base + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return nil
        }
    }

    private static func writeError(_ code: Int32) -> ESDKError {
        ESDKError(.invalidArgument, "writing the output failed: \(String(cString: strerror(code)))")
    }
}
