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
}
