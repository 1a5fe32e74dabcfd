#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import Foundation

/// The tamper-evident audit trail (the CloudTrail role).
///
/// `append` returns once the record is durable (fsync'ed in its segment file): many concurrent
/// appends share one write+fsync (group commit), so the cost per event stays small. `run` closes and
/// delivers segments, writes signed digests and prunes; `AuditVerifier` checks the result offline.
///
/// ## On-disk format (FORMAT.md / docs/audit-format.md has the long form)
///
/// Everything lives under `AuditConfiguration.directory`:
///
/// - `segments/<seq>.log` (16-digit sequence; append-only; one open at a time). Lines, each ending in LF:
///   ```
///   #coffer-audit-segment TAB 1 TAB <seq> TAB <previous chain hex> TAB <opened ms>
///   <chain hex> TAB <eventID> TAB <eventTime ms> TAB <account> TAB <region> TAB <eventSource> TAB <eventName>
///       TAB <readOnly 0|1> TAB <username> TAB <accessKeyID> TAB <type;name,type;name> TAB <event JSON>
///   #end TAB <closed ms> TAB <event count> TAB <last chain hex>        (when the segment is closed)
///   ```
///   Meta fields are percent-escaped (`%` TAB LF CR `,` `;`); an absent optional is `%-`.
///   `chain_i = SHA-256(chain_{i-1} as 32 raw bytes ‖ the line's bytes after its first TAB, LF excluded)`: the
///   chain covers the lookup fields and the exact JSON, and runs across the whole trail (a segment's header
///   carries the previous segment's last value; 32 zero bytes before the first event).
/// - `segments/<seq>.json`: the delivery record (hashes, chain anchors and sizes of the segment and its log files);
///   `segments/<seq>.pruned.json`: a record whose files retention deleted, until a digest has listed it.
/// - `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alnum>.json.gz`:
///   gzip of `{"Records":[<event JSON>,...]}`, one file per (account, region) of a closed segment, in append order.
///   The time is the segment's close time; the suffix is derived from its last chain value, so a re-delivery after
///   a crash rewrites the same names.
/// - `AWSLogs/CloudTrail-Digest/YYYY/MM/DD/coffer_CloudTrail-Digest_<YYYYMMDDTHHmmssZ>_<seq>.json.gz` and `.sig`:
///   one trail-wide digest per period listing what was delivered and pruned since the previous digest, chained to
///   it by path, SHA-256 of its `.json.gz` bytes, and signature. The `.sig` file is the lowercase hex Ed25519
///   signature of the exact uncompressed JSON bytes of the digest.
/// - `tmp/`: staging for atomic writes (temp file + fsync + rename + fsync of the directory).
///
/// Closed segments are kept as the per-event chain evidence for their log files: the verifier recomputes each
/// segment's chain, anchors it in the signed digest, and compares each log file's records byte for byte with that
/// account's and region's events in the segment, which names the event deleted, inserted, reordered or modified.
public final class AuditTrail: Sendable {
    private let configuration: AuditConfiguration
    private let layout: TrailLayout
    private let signingKey: Curve25519.Signing.PrivateKey
    private let counters = TrailCounters()
    private let closed = ClosedSegments()
    private let writer: SegmentWriter
    private let maintenance: TrailMaintenance
    /// Failure injection for tests.
    let faults = FaultInjection()

    /// Opens (creating directories as needed) and recovers the trail in `configuration.directory`.
    public init(
        configuration: AuditConfiguration, signingKey: Curve25519.Signing.PrivateKey, now: @escaping @Sendable () -> Date
    ) throws {
        guard configuration.maxBatch >= 1, configuration.segmentMaxBytes >= 1, configuration.segmentSeconds > 0,
            configuration.digestSeconds > 0
        else { throw AuditError(.invalidRecord, "invalid audit configuration") }
        self.configuration = configuration
        self.layout = TrailLayout(directory: configuration.directory)
        self.signingKey = signingKey
        let recovered = try TrailRecovery.recover(layout: layout, configuration: configuration, now: now())
        for note in recovered.notes { configuration.errorHandler?(AuditError(.corrupt, note)) }
        for sequence in recovered.undelivered { closed.add(sequence) }
        writer = SegmentWriter(
            segment: recovered.open, layout: layout, configuration: configuration, now: now,
            counters: counters, faults: faults, closed: closed)
        maintenance = TrailMaintenance(
            state: TrailMaintenance.State(
                head: recovered.head, trailStart: recovered.trailStart, undigested: recovered.undigested,
                digested: recovered.digested, prunedPending: recovered.prunedPending),
            layout: layout, configuration: configuration, signingKey: signingKey, now: now, counters: counters, closed: closed)
    }

    deinit {
        writer.stop()
    }

    /// Stores `record`; returns once it is durable. Throws `AuditError` if the record is invalid or the write
    /// or fsync failed (then the record was not stored).
    public func append(_ record: AuditRecord) async throws {
        guard let milliseconds = try Self.validateFields(record) else {
            throw AuditError(.invalidRecord, "eventTime is out of range")
        }
        try Self.validateJSON(record.json)
        try await writer.append(record, render: nil, milliseconds: milliseconds)
    }

    /// Stores `record` with the CloudTrail JSON that `render` returns (`record.json` is ignored); returns once
    /// it is durable. `render` runs on the trail's writer thread as part of the group commit, which keeps the
    /// encoding off the caller's thread. A rendering that is not one JSON object without line breaks fails
    /// this append alone with `.invalidRecord`.
    public func append(_ record: AuditRecord, renderedBy render: @escaping @Sendable () -> [UInt8]) async throws {
        guard let milliseconds = try Self.validateFields(record) else {
            throw AuditError(.invalidRecord, "eventTime is out of range")
        }
        try await writer.append(record, render: render, milliseconds: milliseconds)
    }

    /// The background work: closes due segments and delivers them, writes due digests, prunes per retention.
    /// Runs until the task is cancelled; on cancellation closes the open segment, delivers it and writes a final
    /// digest. Failures of a cycle go to `errorHandler` and are retried on the next tick.
    public func run() async throws {
        let shortest = min(configuration.segmentSeconds, configuration.digestSeconds)
        let tick = Duration.milliseconds(Int64(max(0.02, min(1.0, shortest / 4)) * 1000))
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tick)
            } catch {
                break
            }
            do {
                try await writer.rotate(force: false)
                try await maintenance.cycle(forceDigest: false)
            } catch {
                counters.update { $0.backgroundFailures += 1 }
                configuration.errorHandler?(error as? AuditError ?? AuditError(.io, "background cycle failed: \(error)"))
            }
        }
        try await flush()
    }

    /// For tests and the CLI: close the open segment now (deliver it), prune, and write a digest now.
    public func flush() async throws {
        try await writer.rotate(force: true)
        try await maintenance.cycle(forceDigest: true)
    }

    /// The key digests are verified with.
    public var publicKey: Curve25519.Signing.PublicKey { signingKey.publicKey }

    /// LookupEvents, newest first (see `AuditSearch`). Sees every append that returned before the call and
    /// nothing that has not been committed.
    public func lookup(_ query: AuditQuery) async throws -> (records: [AuditRecord], nextToken: String?) {
        try query.validate()
        let limit = writer.committedLimit
        let search = AuditSearch(layout: layout)
        // File reads: off the Swift executor, which in the server is the event loops.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try search.page(query, openSegmentLimit: limit) })
            }
        }
    }

    /// What the trail has done since it was opened.
    public var statistics: AuditStatistics { counters.snapshot }

    /// Checks the lookup fields the format depends on; returns the event time in milliseconds.
    private static func validateFields(_ record: AuditRecord) throws -> Int64? {
        guard TrailLayout.isValidAccount(record.recipientAccount) else {
            throw AuditError(.invalidRecord, "recipientAccount must be 12 digits")
        }
        guard TrailLayout.isValidRegion(record.region) else {
            throw AuditError(.invalidRecord, "region must be 1-32 characters of a-z, 0-9 and -")
        }
        guard !record.eventID.isEmpty, record.eventID.utf8.count <= 256 else {
            throw AuditError(.invalidRecord, "eventID must be 1-256 bytes")
        }
        return SegmentCodec.milliseconds(record.eventTime)
    }

    /// Checks that `json` is one JSON object of bounded size on one line.
    static func validateJSON(_ json: [UInt8]) throws {
        guard json.count >= 2, json.count <= SegmentCodec.maxEventBytes, json.first == UInt8(ascii: "{"),
            json.last == UInt8(ascii: "}")
        else {
            throw AuditError(.invalidRecord, "json must be one JSON object of at most \(SegmentCodec.maxEventBytes) bytes")
        }
        let hasNewline = json.withUnsafeBytes { bytes in bytes.baseAddress.map { memchr($0, 0x0A, bytes.count) != nil } ?? false }
        guard !hasNewline else { throw AuditError(.invalidRecord, "json must not contain line breaks") }
    }
}
