import Foundation

/// Startup: brings the directory to a consistent state and says where appending continues.
///
/// - Temporary files are removed (every durable write goes through `tmp/` and a rename).
/// - Pruning interrupted by a crash is finished; pruned records not yet in a digest are carried forward.
/// - Every segment after the last digested one without a delivery record is scanned: lines are checked against
///   the chain, and the zeros written ahead of the appends and any damaged tail (a partial last line or a line whose
///   chain does not match) are cut off. A damaged tail
///   can only hold events whose batch was never fsync'ed, so never acknowledged; the cut bytes are kept in
///   `segments/<seq>.log.cut-<ms>` for inspection. A closed segment without its `#end` line gets one.
/// - The last segment stays open for appends unless it is closed, in which case a new one is started.
enum TrailRecovery {
    struct Result {
        var open: SegmentWriter.OpenSegment
        var undelivered: [UInt64]
        var undigested: [DeliveryRecord]
        var digested: [DeliveryRecord]
        var prunedPending: [DeliveryRecord]
        var head: DigestHead?
        var trailStart: Date
        var notes: [String]
    }

    private struct Scanned {
        var header: SegmentCodec.Header
        var last: ChainValue
        var eventCount: Int
        var trailer: SegmentCodec.Trailer?
        var length: Int
    }

    static let maxRecordBytes = 64 << 20

    static func recover(layout: TrailLayout, configuration: AuditConfiguration, now: Date) throws -> Result {
        for directory in [layout.root, layout.segments, layout.temporary, layout.logs] {
            try FileIO.ensureDirectory(directory)
        }
        for name in FileIO.list(layout.temporary) {
            try FileIO.remove(layout.temporary + "/" + name)
        }
        var notes: [String] = []
        let head = try DigestHead.load(layout: layout)
        let digestedThrough = head?.lastSegmentSequence ?? 0
        let names = FileIO.list(layout.segments)
        let logSequences = Set(names.compactMap { TrailLayout.sequence(ofSegmentFile: $0, suffix: ".log") })
        let recordSequences = Set(names.compactMap { TrailLayout.sequence(ofSegmentFile: $0, suffix: ".json") })
        let prunedSequences = Set(names.compactMap { TrailLayout.sequence(ofSegmentFile: $0, suffix: ".pruned.json") })

        // Pruning: finish deletions; keep records a digest has not listed yet.
        var prunedPending: [DeliveryRecord] = []
        for sequence in prunedSequences.sorted() {
            let path = layout.absolute(TrailLayout.prunedRecord(sequence))
            guard let bytes = try FileIO.readIfPresent(path, maxBytes: maxRecordBytes),
                let record = TrailJSON.decode(DeliveryRecord.self, from: bytes)
            else { throw AuditError(.corrupt, "\(TrailLayout.prunedRecord(sequence)) cannot be read") }
            try TrailMaintenance.deleteFiles(of: record, layout: layout)
            if head?.prunedSequences.contains(sequence) == true {
                try FileIO.remove(path)
            } else {
                prunedPending.append(record)
            }
        }

        // Delivery records.
        var undigested: [DeliveryRecord] = []
        var digested: [DeliveryRecord] = []
        let keepDigested = configuration.retentionSeconds != nil || configuration.retentionMaxBytes != nil
        var lastKnown: (sequence: UInt64, chain: ChainValue) = (digestedThrough, head?.lastChain ?? .genesis)
        for sequence in recordSequences.subtracting(prunedSequences).sorted() {
            guard sequence > digestedThrough || keepDigested else { continue }
            let relative = TrailLayout.deliveryRecord(sequence)
            guard let bytes = try FileIO.readIfPresent(layout.absolute(relative), maxBytes: maxRecordBytes),
                let record = TrailJSON.decode(DeliveryRecord.self, from: bytes),
                let chain = ChainValue(hex: record.segment.lastChain)
            else { throw AuditError(.corrupt, "\(relative) cannot be read") }
            if sequence > digestedThrough { undigested.append(record) } else { digested.append(record) }
            if sequence >= lastKnown.sequence { lastKnown = (sequence, chain) }
        }

        // Segments still needing delivery (and the open one).
        let pendingSegments = logSequences.subtracting(recordSequences).subtracting(prunedSequences)
            .filter { $0 > digestedThrough }.sorted()
        var undelivered: [UInt64] = []
        var open: SegmentWriter.OpenSegment?
        for (position, sequence) in pendingSegments.enumerated() {
            let isLast = position == pendingSegments.count - 1
            var scanned = try scan(sequence: sequence, layout: layout, notes: &notes)
            if scanned.header.previous != lastKnown.chain, lastKnown.sequence + 1 == sequence {
                notes.append("\(TrailLayout.segment(sequence)) does not start where segment \(lastKnown.sequence) ended")
            }
            if isLast, scanned.trailer == nil {
                let path = layout.absolute(TrailLayout.segment(sequence))
                let fd = try FileIO.openForWriting(path)
                open = SegmentWriter.OpenSegment(
                    fd: fd, sequence: sequence, path: path, offset: scanned.length, allocated: scanned.length, eventCount: scanned.eventCount,
                    last: scanned.last, firstEventAt: scanned.eventCount > 0 ? now : nil)
            } else {
                if scanned.trailer == nil { try close(&scanned, sequence: sequence, layout: layout, now: now) }
                undelivered.append(sequence)
            }
            lastKnown = (sequence, scanned.last)
        }
        if open == nil {
            let sequence = max(lastKnown.sequence, logSequences.max() ?? 0, recordSequences.max() ?? 0, prunedSequences.max() ?? 0) + 1
            open = try SegmentFiles.create(layout: layout, sequence: sequence, previous: lastKnown.chain, openedAt: now)
        }
        guard let open else { throw AuditError(.io, "no segment could be opened") }

        var trailStart = now
        if head == nil, let first = logSequences.union(recordSequences).min(),
            let bytes = try? FileIO.readIfPresent(layout.absolute(TrailLayout.segment(first)), maxBytes: 4096),
            let newline = bytes.firstIndex(of: SegmentCodec.newline),
            case .header(let header) = SegmentCodec.parseLine(bytes, 0..<newline)
        {
            trailStart = Date(timeIntervalSince1970: TimeInterval(header.openedMilliseconds) / 1000)
        }
        return Result(
            open: open, undelivered: undelivered, undigested: undigested, digested: digested, prunedPending: prunedPending,
            head: head, trailStart: trailStart, notes: notes)
    }

    /// Reads a segment, keeps the longest prefix whose lines parse and chain correctly, and cuts the rest.
    private static func scan(sequence: UInt64, layout: TrailLayout, notes: inout [String]) throws -> Scanned {
        let relative = TrailLayout.segment(sequence)
        let path = layout.absolute(relative)
        let bytes = try FileIO.readFile(path, maxBytes: SegmentDelivery.maxSegmentBytes)
        let lines = SegmentCodec.lines(bytes)
        guard case .header(let header)? = lines.first, header.sequence == sequence else {
            throw AuditError(.corrupt, "\(relative) has no valid header")
        }
        var chain = header.previous
        var count = 0
        var trailer: SegmentCodec.Trailer?
        var length = bytes.firstIndex(of: SegmentCodec.newline).map { $0 + 1 } ?? bytes.count
        scanning: for line in lines.dropFirst() {
            switch line {
            case .event(let event) where trailer == nil:
                let expected = chain.next(bytes[event.payload])
                guard expected == event.chain else { break scanning }
                chain = expected
                count += 1
                length = event.line.upperBound
            case .trailer(let found) where trailer == nil && found.eventCount == count && found.last == chain:
                trailer = found
                length = found.line.upperBound
            default:
                break scanning
            }
        }
        if length < bytes.count {
            // The damaged bytes, without the zeros written ahead of the appends after them.
            let tail = Array(bytes[length..<((bytes.lastIndex { $0 != 0 } ?? (length - 1)) + 1)])
            if tail.contains(SegmentCodec.newline) {
                let stamp = SegmentCodec.milliseconds(Date()) ?? 0
                try FileIO.writeAtomically(tail, to: path + ".cut-\(stamp)", temporaryDirectory: layout.temporary)
                notes.append("\(relative): cut \(tail.count) damaged bytes after \(count) valid events (kept in \(relative).cut-\(stamp))")
            }
            let fd = try FileIO.openForWriting(path)
            defer { FileIO.closeFile(fd) }
            guard FileIO.truncate(fd, to: length) else { throw FileIO.failure("truncate", path) }
            try FileIO.sync(fd, path: path)
        }
        return Scanned(header: header, last: chain, eventCount: count, trailer: trailer, length: length)
    }

    /// Appends the `#end` line to a segment that was left open by a crash before a later one was started.
    private static func close(_ scanned: inout Scanned, sequence: UInt64, layout: TrailLayout, now: Date) throws {
        let path = layout.absolute(TrailLayout.segment(sequence))
        let closedMilliseconds = SegmentCodec.milliseconds(now) ?? 0
        let bytes = SegmentCodec.trailer(closedMilliseconds: closedMilliseconds, eventCount: scanned.eventCount, last: scanned.last)
        let trailer = SegmentCodec.Trailer(
            closedMilliseconds: closedMilliseconds, eventCount: scanned.eventCount, last: scanned.last,
            line: scanned.length..<(scanned.length + bytes.count))
        let fd = try FileIO.openForWriting(path)
        defer { FileIO.closeFile(fd) }
        try bytes.withUnsafeBytes { try FileIO.writeAll(fd, $0, at: scanned.length, path: path) }
        try FileIO.sync(fd, path: path)
        scanned.trailer = trailer
        scanned.length += bytes.count
    }
}
