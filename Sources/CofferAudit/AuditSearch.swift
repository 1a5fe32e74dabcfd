import Foundation

/// LookupEvents over the segment files themselves: the segments already hold every lookup field of every event
/// still within retention, so no second index is written on the append path.
///
/// Results are newest first: segments in descending sequence, and within a segment events by descending
/// (eventTime, position). A page token names the last event returned as `<sequence>-<eventTime ms>-<offset>`;
/// the next page continues strictly after it, so events appended meanwhile (always in a later position) never
/// shift a page. A closed segment that closed well before `startTime` (by more than `clockSlack`, for clock
/// steps) ends the search, since every event is committed after its eventTime and older segments closed earlier.
public struct AuditSearch: Sendable {
    /// The most events one page may ask for (LookupEvents itself allows 50; the CLI pages by 1,000).
    public static let maxPageSize = 1000

    /// How far a clock step may put an event's time after its segment's close time.
    static let clockSlackMilliseconds: Int64 = 15 * 60 * 1000

    private let layout: TrailLayout

    /// A search over the trail in `directory` (read-only; works while a server appends to it).
    public init(directory: URL) {
        layout = TrailLayout(directory: directory)
    }

    init(layout: TrailLayout) {
        self.layout = layout
    }

    /// One page of `query`, newest first. Reads the open segment up to its last complete line.
    public func lookup(_ query: AuditQuery) throws -> (records: [AuditRecord], nextToken: String?) {
        try page(query, openSegmentLimit: nil)
    }

    /// One page; `openSegmentLimit` (sequence, byte length) caps the open segment at what has been committed.
    func page(_ query: AuditQuery, openSegmentLimit: (sequence: UInt64, length: Int)?) throws -> (records: [AuditRecord], nextToken: String?) {
        guard (1...Self.maxPageSize).contains(query.maxResults) else {
            throw AuditError(.invalidQuery, "maxResults must be between 1 and \(Self.maxPageSize)")
        }
        let after = try query.nextToken.map(PageToken.init(parsing:))
        let startMilliseconds = query.startTime.flatMap(SegmentCodec.milliseconds)
        let sequences = FileIO.list(layout.segments).compactMap { TrailLayout.sequence(ofSegmentFile: $0, suffix: ".log") }
            .filter { sequence in
                if let limit = openSegmentLimit, sequence > limit.sequence { return false }
                if let after, sequence > after.sequence { return false }
                return true
            }
            .sorted(by: >)
        var records: [AuditRecord] = []
        var last: PageToken?
        for sequence in sequences {
            guard var bytes = try FileIO.readIfPresent(layout.absolute(TrailLayout.segment(sequence)), maxBytes: SegmentDelivery.maxSegmentBytes)
            else { continue }  // pruned since the listing
            if let limit = openSegmentLimit, limit.sequence == sequence, bytes.count > limit.length {
                bytes.removeSubrange(limit.length...)
            }
            let (events, closedMilliseconds) = Self.events(in: bytes, matching: query)
            for event in events.sorted(by: { ($0.eventMilliseconds, $0.line.lowerBound) > ($1.eventMilliseconds, $1.line.lowerBound) }) {
                let position = PageToken(sequence: sequence, milliseconds: event.eventMilliseconds, offset: event.line.lowerBound)
                if let after, !position.isOlder(than: after) { continue }
                if records.count == query.maxResults { return (records, last?.description) }
                records.append(event.record(in: bytes))
                last = position
            }
            if let startMilliseconds, let closedMilliseconds, closedMilliseconds < startMilliseconds - Self.clockSlackMilliseconds { break }
        }
        return (records, nil)
    }

    /// The events of one segment that satisfy `query`'s filters, and the segment's close time if it is closed.
    private static func events(in bytes: [UInt8], matching query: AuditQuery) -> (events: [SegmentCodec.Event], closed: Int64?) {
        let account = Array(query.recipientAccount.utf8)
        var found: [SegmentCodec.Event] = []
        var closed: Int64?
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: SegmentCodec.newline) else { break }  // a line being written
            defer { start = end + 1 }
            // Cheap pre-filter on the account field (the third meta field) before decoding the line.
            guard bytes[start] != UInt8(ascii: "#") else {
                if case .trailer(let trailer) = SegmentCodec.parseLine(bytes, start..<end) { closed = trailer.closedMilliseconds }
                continue
            }
            guard Self.accountField(bytes, start..<end).map({ bytes[$0].elementsEqual(account) }) == true,
                case .event(let event) = SegmentCodec.parseLine(bytes, start..<end), query.matches(event)
            else { continue }
            found.append(event)
        }
        return (found, closed)
    }

    /// The range of the account field of an event line, without decoding the rest.
    private static func accountField(_ bytes: [UInt8], _ line: Range<Int>) -> Range<Int>? {
        var fieldStart = line.lowerBound + 65
        guard fieldStart <= line.upperBound else { return nil }
        for field in 0..<3 {
            guard let tab = bytes[fieldStart..<line.upperBound].firstIndex(of: SegmentCodec.tab) else { return nil }
            if field == 2 { return fieldStart..<tab }
            fieldStart = tab + 1
        }
        return nil
    }

    /// A page boundary: the position of the last event returned.
    struct PageToken: CustomStringConvertible {
        var sequence: UInt64
        var milliseconds: Int64
        var offset: Int

        init(sequence: UInt64, milliseconds: Int64, offset: Int) {
            self.sequence = sequence
            self.milliseconds = milliseconds
            self.offset = offset
        }

        init(parsing token: String) throws {
            let parts = token.split(separator: "-", omittingEmptySubsequences: false)
            guard token.utf8.count <= 64, parts.count == 3, let sequence = UInt64(parts[0]), let milliseconds = Int64(parts[1]),
                let offset = Int(parts[2]), offset >= 0
            else { throw AuditError(.invalidNextToken, "nextToken was not issued by this trail") }
            self.init(sequence: sequence, milliseconds: milliseconds, offset: offset)
        }

        var description: String { "\(sequence)-\(milliseconds)-\(offset)" }

        /// Whether this position comes after `other` in newest-first order.
        func isOlder(than other: PageToken) -> Bool {
            if sequence != other.sequence { return sequence < other.sequence }
            return (milliseconds, offset) < (other.milliseconds, other.offset)
        }
    }
}

extension AuditQuery {
    /// Whether a decoded segment event satisfies the account, attribute and time filters.
    func matches(_ event: SegmentCodec.Event) -> Bool {
        guard event.account == recipientAccount else { return false }
        if let startTime, let start = SegmentCodec.milliseconds(startTime), event.eventMilliseconds < start { return false }
        if let endTime, let end = SegmentCodec.milliseconds(endTime), event.eventMilliseconds > end { return false }
        guard let attribute else { return true }
        switch attribute {
        case .eventID(let value): return event.eventID == value
        case .eventName(let value): return event.eventName == value
        case .readOnly(let value): return event.readOnly == value
        case .username(let value): return event.username == value
        case .resourceType(let value): return event.resources.contains { $0.type == value }
        case .resourceName(let value): return event.resources.contains { $0.name == value }
        case .eventSource(let value): return event.eventSource == value
        case .accessKeyID(let value): return event.accessKeyID == value
        }
    }
}
