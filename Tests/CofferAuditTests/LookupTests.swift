import Foundation
import Testing

@testable import CofferAudit

@Suite("Lookup")
struct LookupTests {
    @Test("newest first, paginated, filtered by account, attribute and time")
    func lookupPagesAndFilters() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for number in 1...7 {
            try await trail.append(
                Events.record(
                    number, name: number % 2 == 0 ? "Decrypt" : "Encrypt", time: base.addingTimeInterval(Double(number)),
                    readOnly: number == 3, username: number == 5 ? "bob" : "alice"))
        }
        for number in 8...10 { try await trail.append(Events.record(number, account: TrailFixture.accountB)) }

        var seen: [String] = []
        var token: String?
        repeat {
            let page = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 3, nextToken: token))
            #expect(page.records.count <= 3)
            seen += page.records.map(\.eventID)
            token = page.nextToken
        } while token != nil
        #expect(seen == (1...7).reversed().map(Events.id))

        func ids(_ attribute: AuditQuery.Attribute?, start: Date? = nil, end: Date? = nil) async throws -> [String] {
            try await trail.lookup(
                AuditQuery(recipientAccount: TrailFixture.accountA, attribute: attribute, startTime: start, endTime: end)
            ).records.map(\.eventID)
        }
        #expect(try await ids(.eventName("Decrypt")) == [6, 4, 2].map(Events.id))
        #expect(try await ids(.readOnly(true)) == [Events.id(3)])
        #expect(try await ids(.username("bob")) == [Events.id(5)])
        #expect(try await ids(.eventID(Events.id(4))) == [Events.id(4)])
        #expect(try await ids(.accessKeyID("AKIAEXAMPLE2")) == [Events.id(2)])
        #expect(try await ids(.resourceType("AWS::KMS::Key")).count == 7)
        #expect(try await ids(.eventSource("kms.amazonaws.com")).count == 7)
        #expect(try await ids(nil, start: base.addingTimeInterval(2), end: base.addingTimeInterval(4)) == [4, 3, 2].map(Events.id))
        #expect(try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountB)).records.count == 3)

        await #expect(throws: AuditError(.invalidQuery, "maxResults must be between 1 and 50")) {
            _ = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 51))
        }
        do {
            _ = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, nextToken: "garbage"))
            Issue.record("a bad token was accepted")
        } catch let error as AuditError {
            #expect(error.code == .invalidNextToken)
        }
    }

    @Test("pages run across closed segments, ignore events appended meanwhile, and read the same offline")
    func lookupAcrossSegments() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        for number in 1...9 {
            try await trail.append(Events.record(number, time: base.addingTimeInterval(Double(number))))
            if number % 3 == 0 { try await trail.flush() }  // segments 1, 2, 3 hold 3 events each
        }
        let first = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 4))
        #expect(first.records.map(\.eventID) == [9, 8, 7, 6].map(Events.id))
        // Appended after the first page: newer than the page boundary, so never part of later pages.
        try await trail.append(Events.record(10, time: base.addingTimeInterval(10)))
        var seen = first.records.map(\.eventID)
        var token = first.nextToken
        while let current = token {
            let page = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 4, nextToken: current))
            seen += page.records.map(\.eventID)
            token = page.nextToken
        }
        #expect(seen == (1...9).reversed().map(Events.id))

        // Offline (as `coffer audit search` reads it), the open segment up to its last complete line.
        let offline = try AuditSearch(directory: fixture.directory).lookup(
            AuditQuery(recipientAccount: TrailFixture.accountA, startTime: base.addingTimeInterval(5), maxResults: 1000))
        #expect(offline.records.map(\.eventID) == [10, 9, 8, 7, 6, 5].map(Events.id))
        #expect(offline.nextToken == nil)
        #expect(offline.records.first { $0.eventID == Events.id(7) } == Events.record(7, time: base.addingTimeInterval(7)))

        // A segment deleted from under the search is simply gone.
        try FileManager.default.removeItem(at: fixture.directory.appendingPathComponent(TrailLayout.segment(2)))
        let rest = try AuditSearch(directory: fixture.directory).lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 1000))
        #expect(rest.records.map(\.eventID) == [10, 9, 8, 7, 3, 2, 1].map(Events.id))
    }
}
