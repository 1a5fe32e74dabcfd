import Crypto
import Foundation

/// Turns a closed segment into gzipped CloudTrail log files, one per (account, region), then records the
/// delivery in `segments/<seq>.json`. Re-running it after a crash rewrites identical files under the same names.
enum SegmentDelivery {
    /// Closed segments are bounded by `segmentMaxBytes` plus one batch; this is a sanity bound for reading them.
    static let maxSegmentBytes = 2 << 30

    static func deliver(
        sequence: UInt64, layout: TrailLayout, compressionLevel: Int, now: Date
    ) throws -> DeliveryRecord {
        let relativeSegment = TrailLayout.segment(sequence)
        let bytes = try FileIO.readFile(layout.absolute(relativeSegment), maxBytes: maxSegmentBytes)
        guard let scan = SegmentScan(bytes), scan.header.sequence == sequence else {
            throw AuditError(.corrupt, "\(relativeSegment) has a damaged line or an invalid account or region")
        }
        let header = scan.header
        let trailer = scan.trailer
        let events = scan.events
        func chain(_ event: SegmentScan.Event) -> ChainValue? { ChainValue(hex: bytes[event.line..<(event.line + 64)]) }
        let last: ChainValue
        if let trailer {
            last = trailer.last
        } else if let final = events.last {
            guard let value = chain(final) else { throw AuditError(.corrupt, "\(relativeSegment) has a damaged chain value") }
            last = value
        } else {
            last = header.previous
        }
        let closedAt = trailer.map { Date(timeIntervalSince1970: TimeInterval($0.closedMilliseconds) / 1000) } ?? now
        // Group by (account, region), keeping append order inside each group.
        var groups: [ArraySlice<UInt8>: [Int]] = [:]
        for (index, event) in events.enumerated() {
            groups[bytes[event.route], default: []].append(index)
        }
        var logFiles: [DigestLogFile] = []
        var total = bytes.count
        for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let members = groups[key], let first = members.first, let final = members.last,
                let firstChain = chain(events[first]), let lastChain = chain(events[final])
            else { throw AuditError(.corrupt, "\(relativeSegment) has a damaged chain value") }
            let account = String(decoding: bytes[events[first].account], as: UTF8.self)
            let region = String(decoding: bytes[events[first].region], as: UTF8.self)
            var content: [UInt8] = []
            content.reserveCapacity(members.reduce(16) { $0 + events[$1].json.count + 1 })
            content.append(contentsOf: "{\"Records\":[".utf8)
            for (position, index) in members.enumerated() {
                if position > 0 { content.append(UInt8(ascii: ",")) }
                content.append(contentsOf: bytes[events[index].json])
            }
            content.append(contentsOf: "]}".utf8)
            let compressed = try Gzip.compress(content, level: compressionLevel)
            let unique = TrailLayout.uniqueSuffix(last: last, account: account, region: region)
            let relative = TrailLayout.logFile(account: account, region: region, time: closedAt, unique: unique)
            let path = layout.absolute(relative)
            try FileIO.ensureDirectory(FileIO.parent(of: path))
            try FileIO.writeAtomically(compressed, to: path, temporaryDirectory: layout.temporary)
            total += compressed.count
            let times = members.map { events[$0].milliseconds }
            logFiles.append(
                DigestLogFile(
                    s3Object: relative,
                    hashValue: Hex.encode(SHA256.hash(data: compressed)),
                    recipientAccountId: account,
                    awsRegion: region,
                    segmentSequence: sequence,
                    events: members.count,
                    oldestEventTime: iso(times.min() ?? 0),
                    newestEventTime: iso(times.max() ?? 0),
                    firstEventChain: firstChain.description,
                    lastEventChain: lastChain.description
                )
            )
        }
        let record = DeliveryRecord(
            segment: DigestSegment(
                segment: relativeSegment,
                sequence: sequence,
                hashValue: Hex.encode(SHA256.hash(data: bytes)),
                previousChain: header.previous.description,
                lastChain: last.description,
                events: events.count,
                openedTime: iso(header.openedMilliseconds),
                closedTime: UTCTime(closedAt).iso8601
            ),
            logFiles: logFiles,
            bytes: total
        )
        try FileIO.writeAtomically(
            try TrailJSON.encode(record), to: layout.absolute(TrailLayout.deliveryRecord(sequence)),
            temporaryDirectory: layout.temporary)
        return record
    }

    private static func iso(_ milliseconds: Int64) -> String {
        UTCTime(Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)).iso8601
    }
}
