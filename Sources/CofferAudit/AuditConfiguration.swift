import Foundation

/// Where the trail lives and how often it closes segments, writes digests and prunes.
public struct AuditConfiguration: Sendable {
    /// The trail's root directory, e.g. `<data dir>/audit`.
    public var directory: URL
    /// A segment with events is closed and delivered once its first event is this old.
    public var segmentSeconds: TimeInterval = 300
    /// A segment is closed as soon as it reaches this size.
    public var segmentMaxBytes: Int = 16 << 20
    /// The digest period.
    public var digestSeconds: TimeInterval = 3600
    /// Delivered log files (and their segments) whose segment closed longer ago than this are pruned.
    public var retentionSeconds: TimeInterval? = nil
    /// Delivered log files plus their segments are pruned, oldest first, while they exceed this many bytes.
    public var retentionMaxBytes: Int? = nil
    /// The most appends one write+fsync commits.
    public var maxBatch: Int = 1024
    /// Under concurrent load, group commits start at most this often, so more appends share each fsync (like
    /// PostgreSQL's commit_delay); a lone append is committed at once. It bounds throughput to about
    /// (concurrent appenders) / interval, and only binds when an fsync is faster than the interval.
    public var minimumSyncInterval: TimeInterval = 0
    /// The gzip level for delivered log files (0 stored, 1 fastest ... 9 smallest). Level 1 shrinks CloudTrail
    /// JSON about 25-fold and costs less CPU than storing it, because far fewer bytes reach the page cache.
    public var compressionLevel: Int = 1
    /// Receives failures that do not fail an append: index insertion and background delivery/digest errors.
    public var errorHandler: (@Sendable (AuditError) -> Void)? = nil

    /// A configuration with the defaults above.
    public init(directory: URL) {
        self.directory = directory
    }
}
