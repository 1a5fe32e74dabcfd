import Synchronization

/// Counters describing what the trail has done since it was opened (for tests, metrics and health checks).
public struct AuditStatistics: Sendable, Hashable {
    /// Events made durable by `append`.
    public var eventsCommitted = 0
    /// Group commits (one write + one fsync each) that succeeded.
    public var batchesCommitted = 0
    /// fsyncs of segment data on the append path (attempted, successful or not).
    public var segmentSyncs = 0
    /// Group commits that failed and whose waiters all got the error.
    public var failedBatches = 0
    /// Segments closed (an `#end` line written) by rotation.
    public var segmentsClosed = 0
    /// Closed segments turned into log files.
    public var segmentsDelivered = 0
    /// CloudTrail log files written.
    public var logFilesDelivered = 0
    /// Signed digests written.
    public var digestsWritten = 0
    /// Segments (with their log files) deleted by retention.
    public var segmentsPruned = 0
    /// Background cycles (delivery, pruning, digest) that failed and will be retried.
    public var backgroundFailures = 0

    /// All zero.
    public init() {}
}

/// The trail's shared, lock-protected counters.
final class TrailCounters: Sendable {
    private let state = Mutex(AuditStatistics())

    var snapshot: AuditStatistics { state.withLock { $0 } }

    func update(_ body: (inout AuditStatistics) -> Void) {
        state.withLock { body(&$0) }
    }
}
