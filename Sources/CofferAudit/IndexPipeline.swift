import Synchronization

/// Feeds committed batches to the index in commit order on one background task, off the write path,
/// and lets lookups wait until everything committed before them is indexed (read-your-writes).
final class IndexPipeline: Sendable {
    private enum Work: Sendable {
        /// One committed batch.
        case insert([AuditRecord])
        /// Records found in segments at startup: insert those the index does not already have.
        case recover([AuditRecord])
    }

    private struct Progress {
        var submitted = 0
        var completed = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private final class Tracker: Sendable {
        let progress = Mutex(Progress())

        func complete() {
            let ready = progress.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.completed += 1
                let completed = state.completed
                let ready = state.waiters.filter { $0.target <= completed }.map(\.continuation)
                state.waiters.removeAll { $0.target <= completed }
                return ready
            }
            for continuation in ready { continuation.resume() }
        }
    }

    private let continuation: AsyncStream<Work>.Continuation
    private let tracker = Tracker()

    init(index: any AuditIndex, counters: TrailCounters, faults: FaultInjection, errorHandler: (@Sendable (AuditError) -> Void)?) {
        let (stream, continuation) = AsyncStream.makeStream(of: Work.self)
        self.continuation = continuation
        let tracker = self.tracker
        Task {
            for await work in stream {
                do {
                    try faults.check(.index)
                    switch work {
                    case .insert(let records):
                        try await index.insert(records)
                    case .recover(let records):
                        try await IndexPipeline.recover(records, index: index, counters: counters)
                    }
                } catch {
                    counters.update { $0.indexFailures += 1 }
                    errorHandler?(AuditError(.index, "index update failed: \(error)"))
                }
                tracker.complete()
            }
        }
    }

    private static func recover(_ records: [AuditRecord], index: any AuditIndex, counters: TrailCounters) async throws {
        let chunk = 512
        var start = 0
        while start < records.count {
            let slice = Array(records[start..<min(start + chunk, records.count)])
            start += chunk
            let present = try await index.existing(eventIDs: slice.map(\.eventID))
            let missing = slice.filter { !present.contains($0.eventID) }
            if !missing.isEmpty {
                try await index.insert(missing)
                counters.update { $0.eventsReindexed += missing.count }
            }
        }
    }

    /// Queues one committed batch.
    func submit(_ records: [AuditRecord]) {
        enqueue(.insert(records))
    }

    /// Queues the startup re-index of records already in segments.
    func submitRecovery(_ records: [AuditRecord]) {
        guard !records.isEmpty else { return }
        enqueue(.recover(records))
    }

    private func enqueue(_ work: Work) {
        tracker.progress.withLock { $0.submitted += 1 }
        continuation.yield(work)
    }

    /// Returns once every batch submitted before the call has been handed to the index.
    func waitUntilIndexed() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = tracker.progress.withLock { state -> Bool in
                if state.completed >= state.submitted { return true }
                state.waiters.append((state.submitted, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Ends the background task once queued work is done.
    func finish() {
        continuation.finish()
    }
}
