import CofferAudit
@testable import CofferStorageSQLite
import Foundation
import Testing

/// The SQLite lookup index of the audit trail: what it stores comes back, filtered and paged.
struct SQLiteAuditIndexTests {
    @Test func resourcesSurviveTheHandWrittenJSON() throws {
        let resources = [AuditResource(type: "AWS::KMS::Key", name: "arn:aws:kms:us-east-1:111122223333:key/a\"b\\c\u{1}")]
        let decoded = try JSONDecoder().decode([[String]].self, from: Data(SQLiteAuditIndex.resourcesJSON(resources).utf8))
        #expect(decoded == [["AWS::KMS::Key", "arn:aws:kms:us-east-1:111122223333:key/a\"b\\c\u{1}"]])
        #expect(SQLiteAuditIndex.resourcesJSON([]) == "[]")
    }

    @Test func recordsComeBackNewestFirstFilteredAndPaged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-audit-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let index = SQLiteAuditIndex(database: try SQLiteDatabase(path: directory.appendingPathComponent("coffer.sqlite").path))
        let key = AuditResource(type: "AWS::KMS::Key", name: "arn:aws:kms:us-east-1:111122223333:key/k")
        var records: [AuditRecord] = []
        for i in 0..<5 {
            let time = Date(timeIntervalSince1970: 1_800_000_000 + Double(i))
            let name = i % 2 == 0 ? "Encrypt" : "Decrypt"
            let json: [UInt8] = Array("{\"n\":\(i)}".utf8)
            let touched: [AuditResource] = i < 3 ? [key] : []
            records.append(AuditRecord(
                eventID: "event-\(i)", eventTime: time, eventSource: "kms.amazonaws.com", eventName: name, recipientAccount: "111122223333",
                region: "us-east-1", username: "root", accessKeyID: "AKIA", readOnly: true, resources: touched, json: json
            ))
        }
        try await index.insert(records)
        try await index.insert([records[0]])  // the same event twice is stored once
        let all = try await index.query(AuditQuery(recipientAccount: "111122223333", maxResults: 50))
        #expect(all.records.map(\.eventID) == ["event-4", "event-3", "event-2", "event-1", "event-0"] && all.nextToken == nil)
        let first = try await index.query(AuditQuery(recipientAccount: "111122223333", maxResults: 2))
        let second = try await index.query(AuditQuery(recipientAccount: "111122223333", maxResults: 2, nextToken: first.nextToken))
        #expect(first.records.map(\.eventID) == ["event-4", "event-3"] && second.records.map(\.eventID) == ["event-2", "event-1"])
        let byKey = try await index.query(AuditQuery(recipientAccount: "111122223333", attribute: .resourceName(key.name), maxResults: 50))
        #expect(byKey.records.map(\.eventID) == ["event-2", "event-1", "event-0"] && byKey.records[0].resources == [key])
        let decrypts = try await index.query(AuditQuery(recipientAccount: "111122223333", attribute: .eventName("Decrypt"), maxResults: 50))
        #expect(decrypts.records.map(\.eventID) == ["event-3", "event-1"])
        let ranged = try await index.query(AuditQuery(
            recipientAccount: "111122223333", startTime: Date(timeIntervalSince1970: 1_800_000_001), endTime: Date(timeIntervalSince1970: 1_800_000_003), maxResults: 50
        ))
        #expect(ranged.records.map(\.eventID) == ["event-3", "event-2", "event-1"])
        #expect(try await index.query(AuditQuery(recipientAccount: "444455556666", maxResults: 50)).records.isEmpty)
        #expect(try await index.existing(eventIDs: ["event-1", "nope"]) == ["event-1"])
        #expect(all.records.last?.json == Array("{\"n\":0}".utf8))
        await #expect(throws: AuditIndexTokenError.self) { _ = try await index.query(AuditQuery(recipientAccount: "111122223333", maxResults: 2, nextToken: "x")) }
    }
}
