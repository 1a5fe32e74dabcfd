import Crypto
import Dispatch
import Foundation
import Synchronization

/// Background work, serialized on its own dispatch queue (it blocks on gzip and fsync): delivering closed
/// segments, pruning per retention, and writing signed digests.
final class TrailMaintenance: Sendable {
    struct State: Sendable {
        var head: DigestHead?
        var trailStart: Date
        var undigested: [DeliveryRecord]
        /// Delivered and digested segments still on disk (kept only when retention is configured).
        var digested: [DeliveryRecord]
        var prunedPending: [DeliveryRecord]
    }

    private let queue = DispatchQueue(label: "coffer.audit.maintenance")
    private let state: Mutex<State>
    private let layout: TrailLayout
    private let configuration: AuditConfiguration
    private let signingKey: Curve25519.Signing.PrivateKey
    private let now: @Sendable () -> Date
    private let counters: TrailCounters
    private let closed: ClosedSegments

    init(
        state: State, layout: TrailLayout, configuration: AuditConfiguration, signingKey: Curve25519.Signing.PrivateKey,
        now: @escaping @Sendable () -> Date, counters: TrailCounters, closed: ClosedSegments
    ) {
        self.state = Mutex(state)
        self.layout = layout
        self.configuration = configuration
        self.signingKey = signingKey
        self.now = now
        self.counters = counters
        self.closed = closed
    }

    /// Delivers closed segments, prunes, and writes a digest if one is due (or `forceDigest`).
    /// Every step runs even if an earlier one failed; the first failure is thrown at the end.
    func cycle(forceDigest: Bool) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            queue.async {
                do {
                    try self.cycleOnQueue(forceDigest: forceDigest)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private var retentionConfigured: Bool {
        configuration.retentionSeconds != nil || configuration.retentionMaxBytes != nil
    }

    private func cycleOnQueue(forceDigest: Bool) throws {
        var firstError: (any Error)?
        do { try deliverClosed() } catch { firstError = firstError ?? error }
        do { try prune() } catch { firstError = firstError ?? error }
        do { try writeDigestIfDue(force: forceDigest) } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    private func deliverClosed() throws {
        var remaining = closed.take().sorted()
        defer { if !remaining.isEmpty { closed.restore(remaining) } }
        while let sequence = remaining.first {
            let record = try SegmentDelivery.deliver(
                sequence: sequence, layout: layout, compressionLevel: configuration.compressionLevel, now: now())
            remaining.removeFirst()
            state.withLock { $0.undigested.append(record) }
            counters.update {
                $0.segmentsDelivered += 1
                $0.logFilesDelivered += record.logFiles.count
            }
        }
    }

    private func prune() throws {
        guard retentionConfigured else { return }
        let current = now()
        try state.withLock { state in
            var total = (state.digested + state.undigested).reduce(0) { $0 + $1.bytes }
            while let oldest = state.digested.first {
                let closedAt = UTCTime.parseISO8601(oldest.segment.closedTime) ?? .distantPast
                let expired = configuration.retentionSeconds.map { current.timeIntervalSince(closedAt) > $0 } ?? false
                let oversize = configuration.retentionMaxBytes.map { total > $0 } ?? false
                guard expired || oversize else { break }
                let sequence = oldest.segment.sequence
                try FileIO.move(
                    layout.absolute(TrailLayout.deliveryRecord(sequence)), to: layout.absolute(TrailLayout.prunedRecord(sequence)))
                try FileIO.syncDirectory(layout.segments)
                try Self.deleteFiles(of: oldest, layout: layout)
                state.digested.removeFirst()
                state.prunedPending.append(oldest)
                total -= oldest.bytes
                counters.update { $0.segmentsPruned += 1 }
            }
        }
    }

    /// Deletes a delivered segment's log files and segment file (missing files are fine).
    static func deleteFiles(of record: DeliveryRecord, layout: TrailLayout) throws {
        for file in record.logFiles where TrailLayout.isSafeRelative(file.s3Object) {
            try FileIO.remove(layout.absolute(file.s3Object))
        }
        if TrailLayout.isSafeRelative(record.segment.segment) {
            try FileIO.remove(layout.absolute(record.segment.segment))
        }
    }

    private func writeDigestIfDue(force: Bool) throws {
        let current = now()
        try state.withLock { state in
            if !force {
                let periodStart = state.head.flatMap { UTCTime.parseISO8601($0.endTime) } ?? state.trailStart
                guard current.timeIntervalSince(periodStart) >= configuration.digestSeconds else { return }
            }
            try writeDigest(state: &state, at: current)
        }
    }

    /// Writes the next digest: the signature file first, then the digest, each atomically.
    private func writeDigest(state: inout State, at time: Date) throws {
        let records = state.undigested.sorted { $0.segment.sequence < $1.segment.sequence }
        let head = state.head
        let sequence = (head?.sequence ?? 0) + 1
        let relative = TrailLayout.digestFile(time: time, sequence: sequence)
        let lastSegment = records.last?.segment
        let document = DigestDocument(
            digestSequence: sequence,
            digestStartTime: head?.endTime ?? UTCTime(state.trailStart).iso8601,
            digestEndTime: UTCTime(time).iso8601,
            digestS3Object: relative,
            previousDigestS3Object: head?.path,
            previousDigestHashValue: head?.hashValue,
            previousDigestSignature: head?.signature,
            publicKeyFingerprint: Self.fingerprint(of: signingKey.publicKey),
            lastSegmentSequence: max(head?.lastSegmentSequence ?? 0, lastSegment?.sequence ?? 0),
            lastChain: lastSegment?.lastChain ?? head?.lastChain.description ?? ChainValue.genesis.description,
            segments: records.map(\.segment),
            logFiles: records.flatMap(\.logFiles),
            prunedSegments: state.prunedPending.map(\.segment),
            prunedLogFiles: state.prunedPending.flatMap(\.logFiles)
        )
        let json = try TrailJSON.encode(document)
        let signature: Data
        do {
            signature = try signingKey.signature(for: json)
        } catch {
            throw AuditError(.io, "signing digest \(relative) failed")
        }
        let signatureHex = Hex.encode(signature)
        let compressed = try Gzip.compress(json, level: 6)
        let path = layout.absolute(relative)
        try FileIO.ensureDirectory(FileIO.parent(of: path))
        try FileIO.writeAtomically(
            Array(signatureHex.utf8), to: layout.absolute(TrailLayout.signatureFile(ofDigest: relative)),
            temporaryDirectory: layout.temporary)
        try FileIO.writeAtomically(compressed, to: path, temporaryDirectory: layout.temporary)

        state.head = DigestHead(
            sequence: sequence,
            path: relative,
            hashValue: Hex.encode(SHA256.hash(data: compressed)),
            signature: signatureHex,
            endTime: document.digestEndTime,
            lastSegmentSequence: document.lastSegmentSequence,
            lastChain: ChainValue(hex: document.lastChain) ?? .genesis,
            prunedSequences: Set(document.prunedSegments.map(\.sequence))
        )
        if retentionConfigured { state.digested.append(contentsOf: records) }
        state.undigested.removeAll()
        for record in state.prunedPending {
            try? FileIO.remove(layout.absolute(TrailLayout.prunedRecord(record.segment.sequence)))
        }
        state.prunedPending.removeAll()
        counters.update { $0.digestsWritten += 1 }
    }

    /// SHA-256 hex of the raw 32-byte Ed25519 public key.
    static func fingerprint(of key: Curve25519.Signing.PublicKey) -> String {
        Hex.encode(SHA256.hash(data: key.rawRepresentation))
    }
}
