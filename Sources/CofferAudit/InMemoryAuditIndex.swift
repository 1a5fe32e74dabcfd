import Foundation

/// The reference `AuditIndex`: everything in memory, ordered by (eventTime, insertion order).
public actor InMemoryAuditIndex: AuditIndex {
    private struct Entry {
        var sequence: Int
        var record: AuditRecord
    }

    private var entries: [Entry] = []
    private var ids: Set<String> = []
    private var nextSequence = 0

    /// An empty index.
    public init() {}

    /// The number of indexed records.
    public var count: Int { entries.count }

    public func insert(_ records: [AuditRecord]) async throws {
        for record in records where !ids.contains(record.eventID) {
            ids.insert(record.eventID)
            let entry = Entry(sequence: nextSequence, record: record)
            nextSequence += 1
            let position = insertionPoint(for: record.eventTime)
            entries.insert(entry, at: position)
        }
    }

    public func query(_ query: AuditQuery) async throws -> (records: [AuditRecord], nextToken: String?) {
        try query.validate()
        var index = entries.count - 1
        if let token = query.nextToken {
            guard let position = PageToken(token) else {
                throw AuditError(.invalidNextToken, "nextToken was not issued by this index")
            }
            // Skip everything at or newer than the position the previous page ended on.
            while index >= 0, !position.isAfter(entries[index]) { index -= 1 }
        }
        var page: [AuditRecord] = []
        var last: PageToken?
        while index >= 0 {
            let entry = entries[index]
            index -= 1
            guard query.matches(entry.record) else { continue }
            if page.count == query.maxResults {
                return (page, last?.description)
            }
            page.append(entry.record)
            last = PageToken(time: entry.record.eventTime, sequence: entry.sequence)
        }
        return (page, nil)
    }

    public func existing(eventIDs: [String]) async throws -> Set<String> {
        Set(eventIDs.filter { ids.contains($0) })
    }

    /// The first position whose time is later than `time` (keeps equal times in insertion order).
    private func insertionPoint(for time: Date) -> Int {
        if let last = entries.last, last.record.eventTime <= time { return entries.count }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].record.eventTime <= time { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A page boundary: the (time, sequence) of the last record returned.
    private struct PageToken: CustomStringConvertible {
        var time: Date
        var sequence: Int

        init(time: Date, sequence: Int) {
            self.time = time
            self.sequence = sequence
        }

        init?(_ token: String) {
            let parts = token.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let bits = UInt64(parts[0], radix: 16), let sequence = Int(parts[1]), sequence >= 0 else {
                return nil
            }
            let seconds = Double(bitPattern: bits)
            guard seconds.isFinite else { return nil }
            self.time = Date(timeIntervalSince1970: seconds)
            self.sequence = sequence
        }

        var description: String {
            String(time.timeIntervalSince1970.bitPattern, radix: 16) + "-" + String(sequence)
        }

        /// Whether `entry` sorts strictly before (is older than) this position.
        func isAfter(_ entry: Entry) -> Bool {
            let entryTime = entry.record.eventTime
            if entryTime != time { return entryTime < time }
            return entry.sequence < sequence
        }
    }
}
