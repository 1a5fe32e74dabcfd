import CofferAudit
import Foundation
import GRDB

/// The SQLite adapter of ``AuditIndex``: one row per event (with its whole record, for
/// LookupEvents), resources in a side table. Pages are ordered newest first by (time, sequence);
/// a NextToken is the sequence number of the last event returned.
public final class SQLiteAuditIndex: AuditIndex {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func insert(_ records: [AuditRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.pool.write { db in
            // One batch per group commit: cached statements, resources written by hand (this runs
            // once per event on the server's busiest path).
            let event = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO audit_events(event_id, recipient_account, event_time, event_source, event_name, region, username,
                access_key_id, read_only, resources, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let resource = try db.cachedStatement(sql: "INSERT INTO audit_event_resources(seq, resource_type, resource_name) VALUES (?, ?, ?)")
            for record in records {
                try event.execute(arguments: [
                    record.eventID, record.recipientAccount, record.eventTime.timeIntervalSince1970, record.eventSource, record.eventName,
                    record.region, record.username, record.accessKeyID, record.readOnly, Self.resourcesJSON(record.resources), Data(record.json),
                ])
                guard db.changesCount > 0 else { continue }
                let seq = db.lastInsertedRowID
                for item in record.resources {
                    try resource.execute(arguments: [seq, item.type, item.name])
                }
            }
        }
    }

    /// `[["type","name"],...]`, the form ``decode(_:)`` reads back.
    static func resourcesJSON(_ resources: [AuditResource]) -> String {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        return "[" + resources.map { "[" + quoted($0.type) + "," + quoted($0.name) + "]" }.joined(separator: ",") + "]"
    }

    public func existing(eventIDs: [String]) async throws -> Set<String> {
        guard !eventIDs.isEmpty else { return [] }
        return try await database.pool.read { db in
            var found = Set<String>()
            for chunk in stride(from: 0, to: eventIDs.count, by: 500).map({ Array(eventIDs[$0..<min($0 + 500, eventIDs.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                found.formUnion(try String.fetchAll(db, sql: "SELECT event_id FROM audit_events WHERE event_id IN (\(marks))", arguments: StatementArguments(chunk)))
            }
            return found
        }
    }

    public func query(_ query: AuditQuery) async throws -> (records: [AuditRecord], nextToken: String?) {
        var clauses = ["e.recipient_account = ?"]
        var arguments: [DatabaseValue] = [query.recipientAccount.databaseValue]
        if let start = query.startTime {
            clauses.append("e.event_time >= ?")
            arguments.append(start.timeIntervalSince1970.databaseValue)
        }
        if let end = query.endTime {
            clauses.append("e.event_time <= ?")
            arguments.append(end.timeIntervalSince1970.databaseValue)
        }
        if let token = query.nextToken {
            guard let seq = Int64(token), seq > 0 else { throw AuditIndexTokenError() }
            clauses.append("e.seq < ?")
            arguments.append(seq.databaseValue)
        }
        switch query.attribute {
        case .eventID(let value)?: clauses.append("e.event_id = ?"); arguments.append(value.databaseValue)
        case .eventName(let value)?: clauses.append("e.event_name = ?"); arguments.append(value.databaseValue)
        case .readOnly(let value)?: clauses.append("e.read_only = ?"); arguments.append(value.databaseValue)
        case .username(let value)?: clauses.append("e.username = ?"); arguments.append(value.databaseValue)
        case .eventSource(let value)?: clauses.append("e.event_source = ?"); arguments.append(value.databaseValue)
        case .accessKeyID(let value)?: clauses.append("e.access_key_id = ?"); arguments.append(value.databaseValue)
        case .resourceType(let value)?:
            clauses.append("e.seq IN (SELECT seq FROM audit_event_resources WHERE resource_type = ?)"); arguments.append(value.databaseValue)
        case .resourceName(let value)?:
            clauses.append("e.seq IN (SELECT seq FROM audit_event_resources WHERE resource_name = ?)"); arguments.append(value.databaseValue)
        case nil: break
        }
        let limit = max(1, min(query.maxResults, 1000))
        let sql = "SELECT * FROM audit_events e WHERE \(clauses.joined(separator: " AND ")) ORDER BY e.seq DESC LIMIT \(limit + 1)"
        let values = arguments
        let page = try await database.pool.read { db -> (records: [AuditRecord], lastSeq: Int64?, more: Bool) in
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values))
            let shown = rows.prefix(limit)
            let lastSeq: Int64? = shown.last.map { $0["seq"] }
            return (try shown.map(Self.decode), lastSeq, rows.count > limit)
        }
        return (page.records, page.more ? page.lastSeq.map(String.init) : nil)
    }

    private static func decode(_ row: Row) throws -> AuditRecord {
        let resourcesText: String = row["resources"]
        let pairs = try JSONDecoder().decode([[String]].self, from: Data(resourcesText.utf8))
        let json: Data = row["record"]
        let readOnly: Bool = row["read_only"]
        return AuditRecord(
            eventID: row["event_id"], eventTime: Date(timeIntervalSince1970: row["event_time"]), eventSource: row["event_source"],
            eventName: row["event_name"], recipientAccount: row["recipient_account"], region: row["region"], username: row["username"],
            accessKeyID: row["access_key_id"], readOnly: readOnly,
            resources: pairs.compactMap { $0.count == 2 ? AuditResource(type: $0[0], name: $0[1]) : nil }, json: Array(json)
        )
    }
}

/// A NextToken that this index did not hand out.
public struct AuditIndexTokenError: Error, CustomStringConvertible {
    public var description: String { "invalid next token" }
}
