import CCofferSystem
import Dispatch
import Foundation
import Synchronization

/// The open segment and the group-commit writer.
///
/// `append` queues the record and suspends. One dedicated writer thread (off the Swift concurrency pool, because
/// `write` and `fsync` block) takes everything queued (up to `maxBatch`), encodes and chains it into one buffer,
/// writes it with one `pwrite`, makes it durable with one `fdatasync`, and only then resumes every waiter of the
/// batch. While it syncs, new appends queue up for the next batch, so the batch size follows the load. On Linux
/// the thread runs under SCHED_BATCH: waking it does not preempt the request threads, which on a busy core lets
/// them queue the rest of their work for the same batch. On failure the file is truncated back to the last good
/// offset, the chain is not advanced, and every waiter of the batch gets the error.
///
/// The open segment is extended with zeros a `preallocationChunk` at a time, and batches overwrite those zeros. An
/// append then changes neither the file's size nor its block map, so its fdatasync writes the data and flushes the
/// disk cache without a journal commit: on ext4 that halves the commit's CPU and latency, and the latency no longer
/// depends on the journal thread getting a CPU. Readers stop at the committed length (or the last full line), closing
/// a segment cuts the zeros after its `#end` line, and recovery cuts them from a segment left open by a crash.
final class SegmentWriter: Sendable {
    /// How far the open segment is extended with zeros at a time.
    static let preallocationChunk = 1 << 20

    /// The open segment's file state; only the writer thread touches it.
    struct OpenSegment: Sendable {
        var fd: Int32
        var sequence: UInt64
        var path: String
        var offset: Int
        /// The file's length: `offset` plus the zeros written ahead of the appends (see `preallocationChunk`).
        var allocated: Int
        var eventCount: Int
        var last: ChainValue
        var firstEventAt: Date?
    }

    private struct Pending: Sendable {
        var record: AuditRecord
        /// Produces the record's JSON on the writer thread; nil when `record.json` is already validated.
        var render: (@Sendable () -> [UInt8])?
        var milliseconds: Int64
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private struct RotationRequest: Sendable {
        var force: Bool
        var continuation: UnsafeContinuation<Void, any Error>
    }

    private struct Queue: Sendable {
        var pending: [Pending] = []
        var rotations: [RotationRequest] = []
        /// The writer thread is waiting (or about to wait) on `wakeup`.
        var writerIdle = false
        var stopping = false
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

    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
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
        let thread = Thread { [self] in self.run() }
        thread.name = "coffer-audit"
        thread.start()
    }

    deinit {
        state.withLock { state in
            if let fd = state.segment?.fd { FileIO.closeFile(fd) }
        }
    }

    /// Lets the writer thread end once everything queued is done (it holds the writer until then).
    func stop() {
        let signal = queue.withLock { queue -> Bool in
            queue.stopping = true
            return Self.claimWakeup(&queue)
        }
        if signal { wakeup.signal() }
    }

    /// The open segment and how many of its bytes are committed (everything a returned append wrote).
    var committedLimit: (sequence: UInt64, length: Int)? {
        state.withLock { state in state.segment.map { ($0.sequence, $0.offset) } }
    }

    /// Returns once `record` is durable in the open segment.
    func append(_ record: AuditRecord, render: (@Sendable () -> [UInt8])?, milliseconds: Int64) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let outcome = queue.withLock { queue -> (accepted: Bool, signal: Bool) in
                guard !queue.stopping else { return (false, false) }
                queue.pending.append(Pending(record: record, render: render, milliseconds: milliseconds, continuation: continuation))
                return (true, Self.claimWakeup(&queue))
            }
            if outcome.signal { wakeup.signal() }
            if !outcome.accepted { continuation.resume(throwing: AuditError(.unavailable, "the audit trail is closed")) }
        }
    }

    /// Closes the open segment if it has events and either `force` is set or its first event is
    /// `segmentSeconds` old. Runs on the writer thread between group commits.
    func rotate(force: Bool) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let signal = queue.withLock { queue -> Bool in
                queue.rotations.append(RotationRequest(force: force, continuation: continuation))
                return Self.claimWakeup(&queue)
            }
            if signal { wakeup.signal() }
        }
    }

    /// Whether the caller must signal `wakeup` (exactly one signal per idle period).
    private static func claimWakeup(_ queue: inout Queue) -> Bool {
        guard queue.writerIdle else { return false }
        queue.writerIdle = false
        return true
    }

    /// The writer thread: commits batches and runs rotations in arrival order until stopped and drained.
    private func run() {
        _ = coffer_prefer_batch_scheduling()
        let interval = UInt64(max(configuration.minimumSyncInterval, 0) * 1e9)
        while true {
            enum Step { case wait, stop, rotate([RotationRequest]), commit([Pending], delay: UInt64) }
            let step = queue.withLock { queue -> Step in
                if !queue.rotations.isEmpty {
                    var taken: [RotationRequest] = []
                    swap(&taken, &queue.rotations)
                    return .rotate(taken)
                }
                if queue.pending.isEmpty {
                    if queue.stopping { return .stop }
                    queue.writerIdle = true
                    return .wait
                }
                // Under concurrent load, an optional commit delay lets more appends share the fsync.
                let now = DispatchTime.now().uptimeNanoseconds
                let earliest = queue.lastCommit &+ interval
                let concurrent = queue.pending.count > 1 || queue.lastBatchSize > 1
                if interval > 0, concurrent, now < earliest, queue.pending.count < configuration.maxBatch {
                    return .commit([], delay: earliest - now)
                }
                let count = min(queue.pending.count, configuration.maxBatch)
                queue.lastCommit = now
                queue.lastBatchSize = count
                if count == queue.pending.count {
                    var taken: [Pending] = []
                    swap(&taken, &queue.pending)
                    return .commit(taken, delay: 0)
                }
                let taken = Array(queue.pending.prefix(count))
                queue.pending.removeFirst(count)
                return .commit(taken, delay: 0)
            }
            switch step {
            case .wait:
                wakeup.wait()
            case .stop:
                return
            case .rotate(let requests):
                for request in requests {
                    do {
                        try rotateOnWriter(force: request.force)
                        request.continuation.resume()
                    } catch {
                        request.continuation.resume(throwing: error)
                    }
                }
            case .commit(let batch, let delay):
                if delay > 0 {
                    usleep(useconds_t(min(delay, 1_000_000_000) / 1000))
                } else {
                    commit(batch)
                }
            }
        }
    }

    private func commit(_ batch: [Pending]) {
        let batch = Self.rendered(batch)
        guard !batch.isEmpty else { return }
        let outcome: Result<Bool, AuditError> = state.withLock { state in
            if let poisoned = state.poisoned { return .failure(poisoned) }
            guard var segment = state.segment else { return .failure(AuditError(.unavailable, "no open segment")) }
            state.buffer.removeAll(keepingCapacity: true)
            var chain = segment.last
            for item in batch {
                SegmentCodec.appendEvent(item.record, eventMilliseconds: item.milliseconds, chain: &chain, into: &state.buffer)
            }
            let end = segment.offset + state.buffer.count
            do {
                try faults.check(.segmentWrite)
                if end > segment.allocated {
                    let target = (end / Self.preallocationChunk + 1) * Self.preallocationChunk
                    do {
                        try faults.check(.segmentPreallocate)
                        try FileIO.writeZeros(segment.fd, at: segment.allocated, count: target - segment.allocated, path: segment.path)
                        segment.allocated = target
                    } catch {
                        // No room for the zeros ahead (a nearly full disk): cut them and append the batch as it is.
                        guard FileIO.truncate(segment.fd, to: segment.allocated) else { throw error }
                    }
                }
                try state.buffer.withUnsafeBytes { try FileIO.writeAll(segment.fd, $0, at: segment.offset, path: segment.path) }
                segment.allocated = max(segment.allocated, end)
                counters.update { $0.segmentSyncs += 1 }
                try faults.check(.segmentSync)
                try FileIO.sync(segment.fd, path: segment.path)
            } catch {
                if FileIO.truncate(segment.fd, to: segment.offset) {
                    state.segment?.allocated = segment.offset
                } else {
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
            Self.resume(batch, with: .failure(error))
        case .success(let full):
            counters.update {
                $0.batchesCommitted += 1
                $0.eventsCommitted += batch.count
            }
            Self.resume(batch, with: .success(()))
            if full {
                do {
                    try rotateOnWriter(force: true)
                } catch {
                    configuration.errorHandler?(error as? AuditError ?? AuditError(.io, "segment rotation failed"))
                }
            }
        }
    }

    /// The batch with every deferred JSON rendered and checked; an item whose rendering is invalid is
    /// answered with the error here and left out.
    private static func rendered(_ batch: [Pending]) -> [Pending] {
        guard batch.contains(where: { $0.render != nil }) else { return batch }
        var kept: [Pending] = []
        kept.reserveCapacity(batch.count)
        for var item in batch {
            if let render = item.render {
                item.record.json = render()
                item.render = nil
                do {
                    try AuditTrail.validateJSON(item.record.json)
                } catch {
                    item.continuation.resume(throwing: error)
                    continue
                }
            }
            kept.append(item)
        }
        return kept
    }

    /// Resumes every waiter of a batch. Several waiters are resumed from one task: that enqueues one job
    /// from this thread instead of one per waiter, so the request threads' executor is contended once per
    /// batch, and the resumptions themselves run on (and enqueue onto) the executor without contention.
    private static func resume(_ batch: [Pending], with result: Result<Void, AuditError>) {
        guard batch.count > 1 else {
            for item in batch { item.continuation.resume(with: result) }
            return
        }
        Task.detached {
            for item in batch { item.continuation.resume(with: result) }
        }
    }

    private func rotateOnWriter(force: Bool) throws {
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
                guard FileIO.truncate(segment.fd, to: segment.offset + trailer.count) else { throw FileIO.failure("truncate", segment.path) }
                try FileIO.sync(segment.fd, path: segment.path)
            } catch {
                if FileIO.truncate(segment.fd, to: segment.offset) {
                    state.segment?.allocated = segment.offset
                } else {
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
