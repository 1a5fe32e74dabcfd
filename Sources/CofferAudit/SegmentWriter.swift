import Dispatch
import Foundation
import Synchronization

/// The open segment and the group-commit writer.
///
/// `append` queues the record and suspends. One serial dispatch queue (off the Swift concurrency pool, because
/// `write` and `fsync` block) drains up to `maxBatch` queued records, encodes and chains them into one buffer,
/// writes it with one `pwrite`, makes it durable with one `fdatasync`, and only then resumes every waiter of
/// the batch. On failure the file is truncated back to the last good offset, the chain is not advanced, and
/// every waiter of the batch gets the error.
final class SegmentWriter: Sendable {
    /// The open segment's file state; only the writer queue touches it.
    struct OpenSegment: Sendable {
        var fd: Int32
        var sequence: UInt64
        var path: String
        var offset: Int
        var eventCount: Int
        var last: ChainValue
        var firstEventAt: Date?
    }

    private struct Pending: Sendable {
        var record: AuditRecord
        var milliseconds: Int64
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private struct Queue: Sendable {
        var pending: [Pending] = []
        var drainScheduled = false
        /// Monotonic time (ns) the last group commit started.
        var lastCommit: UInt64 = 0
        /// How many appends the last group commit took.
        var lastBatchSize = 0
    }

    private struct State: Sendable {
        var segment: OpenSegment?
        var buffer: [UInt8] = []
        /// Set when the file could not be restored to its last good offset: every append fails until restart.
        var poisoned: AuditError?
    }

    private let queue = DispatchQueue(label: "coffer.audit.writer")
    private let pending = Mutex(Queue())
    private let state: Mutex<State>
    private let layout: TrailLayout
    private let configuration: AuditConfiguration
    private let now: @Sendable () -> Date
    private let counters: TrailCounters
    private let faults: FaultInjection
    private let closed: ClosedSegments

    init(
        segment: OpenSegment, layout: TrailLayout, configuration: AuditConfiguration, now: @escaping @Sendable () -> Date,
        counters: TrailCounters, faults: FaultInjection, closed: ClosedSegments
    ) {
        self.state = Mutex(State(segment: segment))
        self.layout = layout
        self.configuration = configuration
        self.now = now
        self.counters = counters
        self.faults = faults
        self.closed = closed
    }

    deinit {
        state.withLock { state in
            if let fd = state.segment?.fd { FileIO.closeFile(fd) }
        }
    }

    /// The open segment and how many of its bytes are committed (everything a returned append wrote).
    var committedLimit: (sequence: UInt64, length: Int)? {
        state.withLock { state in state.segment.map { ($0.sequence, $0.offset) } }
    }

    /// Returns once `record` is durable in the open segment.
    func append(_ record: AuditRecord, milliseconds: Int64) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let schedule = pending.withLock { queue -> Bool in
                queue.pending.append(Pending(record: record, milliseconds: milliseconds, continuation: continuation))
                guard !queue.drainScheduled else { return false }
                queue.drainScheduled = true
                return true
            }
            if schedule { self.queue.async { self.drainOne() } }
        }
    }

    /// Closes the open segment if it has events and either `force` is set or its first event is
    /// `segmentSeconds` old. Runs on the writer queue between group commits.
    func rotate(force: Bool) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            queue.async {
                do {
                    try self.rotateOnQueue(force: force)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Commits one batch, then re-queues itself if more appends are waiting (so rotations interleave).
    /// Under concurrent load, commits start at most every `minimumSyncInterval`: a batch that is not full waits
    /// for the rest of the interval so more appends share its fsync. A lone append (nothing else pending and the
    /// last batch a single append) is committed at once, so a sequential client is never delayed.
    private func drainOne() {
        let interval = UInt64(max(configuration.minimumSyncInterval, 0) * 1e9)
        let (batch, wait) = pending.withLock { queue -> ([Pending], UInt64) in
            let now = DispatchTime.now().uptimeNanoseconds
            let earliest = queue.lastCommit &+ interval
            let concurrent = queue.pending.count > 1 || queue.lastBatchSize > 1
            if concurrent, now < earliest, queue.pending.count < configuration.maxBatch {
                return ([], earliest - now)
            }
            queue.lastCommit = now
            queue.lastBatchSize = min(queue.pending.count, configuration.maxBatch)
            if queue.pending.count <= configuration.maxBatch {
                var taken: [Pending] = []
                swap(&taken, &queue.pending)
                return (taken, 0)
            }
            let taken = Array(queue.pending.prefix(configuration.maxBatch))
            queue.pending.removeFirst(configuration.maxBatch)
            return (taken, 0)
        }
        if wait > 0 {
            queue.asyncAfter(deadline: .now() + .nanoseconds(Int(min(wait, 1_000_000_000)))) { self.drainOne() }
            return
        }
        if !batch.isEmpty { commit(batch) }
        let more = pending.withLock { queue -> Bool in
            if queue.pending.isEmpty {
                queue.drainScheduled = false
                return false
            }
            return true
        }
        if more { queue.async { self.drainOne() } }
    }

    private func commit(_ batch: [Pending]) {
        let outcome: Result<Bool, AuditError> = state.withLock { state in
            if let poisoned = state.poisoned { return .failure(poisoned) }
            guard var segment = state.segment else { return .failure(AuditError(.unavailable, "no open segment")) }
            state.buffer.removeAll(keepingCapacity: true)
            var chain = segment.last
            for item in batch {
                SegmentCodec.appendEvent(item.record, eventMilliseconds: item.milliseconds, chain: &chain, into: &state.buffer)
            }
            do {
                try faults.check(.segmentWrite)
                try state.buffer.withUnsafeBytes { try FileIO.writeAll(segment.fd, $0, at: segment.offset, path: segment.path) }
                counters.update { $0.segmentSyncs += 1 }
                try faults.check(.segmentSync)
                try FileIO.sync(segment.fd, path: segment.path)
            } catch {
                if !FileIO.truncate(segment.fd, to: segment.offset) {
                    state.poisoned = AuditError(.unavailable, "\(segment.path) could not be restored after a failed write; restart to recover")
                }
                counters.update { $0.failedBatches += 1 }
                return .failure(error as? AuditError ?? AuditError(.io, "write failed: \(error)"))
            }
            if segment.eventCount == 0 { segment.firstEventAt = now() }
            segment.offset += state.buffer.count
            segment.eventCount += batch.count
            segment.last = chain
            state.segment = segment
            if state.buffer.capacity > 4 << 20 { state.buffer = [] }
            return .success(segment.offset >= configuration.segmentMaxBytes)
        }
        switch outcome {
        case .failure(let error):
            for item in batch { item.continuation.resume(throwing: error) }
        case .success(let full):
            counters.update {
                $0.batchesCommitted += 1
                $0.eventsCommitted += batch.count
            }
            for item in batch { item.continuation.resume() }
            if full {
                do {
                    try rotateOnQueue(force: true)
                } catch {
                    configuration.errorHandler?(error as? AuditError ?? AuditError(.io, "segment rotation failed"))
                }
            }
        }
    }

    private func rotateOnQueue(force: Bool) throws {
        let closedSequence: UInt64? = try state.withLock { state in
            if let poisoned = state.poisoned { throw poisoned }
            guard let segment = state.segment, segment.eventCount > 0 else { return nil }
            let closedAt = now()
            if !force {
                guard let first = segment.firstEventAt, closedAt.timeIntervalSince(first) >= configuration.segmentSeconds else { return nil }
            }
            let next = try SegmentFiles.create(
                layout: layout, sequence: segment.sequence + 1, previous: segment.last, openedAt: closedAt)
            let trailer = SegmentCodec.trailer(
                closedMilliseconds: SegmentCodec.milliseconds(closedAt) ?? 0, eventCount: segment.eventCount, last: segment.last)
            do {
                try trailer.withUnsafeBytes { try FileIO.writeAll(segment.fd, $0, at: segment.offset, path: segment.path) }
                try FileIO.sync(segment.fd, path: segment.path)
            } catch {
                if !FileIO.truncate(segment.fd, to: segment.offset) {
                    state.poisoned = AuditError(.unavailable, "\(segment.path) could not be restored after a failed write; restart to recover")
                }
                FileIO.closeFile(next.fd)
                try? FileIO.remove(next.path)
                try? FileIO.syncDirectory(layout.segments)
                throw error
            }
            FileIO.closeFile(segment.fd)
            state.segment = next
            return segment.sequence
        }
        if let closedSequence {
            closed.add(closedSequence)
            counters.update { $0.segmentsClosed += 1 }
        }
    }
}
