import Foundation
import Testing

@testable import CofferAudit

@Suite("Delivery")
struct DeliveryTests {
    @Test("a closed segment becomes one CloudTrail log file per account and region, holding the exact JSON")
    func layoutAndContent() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        var expected: [String: [[UInt8]]] = [:]
        for number in 1...12 {
            let account = number % 2 == 0 ? TrailFixture.accountA : TrailFixture.accountB
            let region = number % 3 == 0 ? "eu-west-1" : "us-east-1"
            let record = Events.record(number, account: account, region: region)
            expected["\(account)/\(region)", default: []].append(record.json)
            try await trail.append(record)
        }
        // 2023-11-14T22:13:20Z + 90 s
        fixture.clock.advance(90)
        try await trail.flush()

        let files = fixture.logFiles()
        #expect(files.count == 4)
        let pattern = #/AWSLogs/(\d{12})/CloudTrail/([a-z0-9-]+)/2023/11/14/(\d{12})_CloudTrail_([a-z0-9-]+)_20231114T2214Z_[A-Za-z0-9]{16}\.json\.gz/#
        for file in files {
            let match = try #require(file.wholeMatch(of: pattern))
            #expect(match.1 == match.3)
            #expect(match.2 == match.4)
            let key = "\(match.1)/\(match.2)"
            let records = try fixture.records(in: file)
            #expect(records == expected[key])

            // The file is exactly {"Records":[...]} with the given bytes, and valid JSON.
            let json = try Gzip.decompress(try fixture.read(file), maxSize: 1 << 20)
            var framed = Array("{\"Records\":[".utf8)
            framed.append(contentsOf: try #require(expected[key]).joined(separator: [UInt8(ascii: ",")]))
            framed.append(contentsOf: "]}".utf8)
            #expect(json == framed)
            let object = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any]
            #expect((object?["Records"] as? [Any])?.count == expected[key]?.count)
        }
        #expect(trail.statistics.logFilesDelivered == 4)
    }

    @Test("an empty segment is not closed and delivers nothing")
    func emptySegmentStaysOpen() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        try await trail.flush()
        #expect(fixture.logFiles().isEmpty)
        #expect(trail.statistics.segmentsClosed == 0)
        #expect(fixture.digestFiles().count == 1)
    }

    @Test("a segment is closed when it reaches segmentMaxBytes")
    func sizeRotation() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail { $0.segmentMaxBytes = 4096 }
        for number in 1...40 { try await trail.append(Events.record(number)) }
        #expect(trail.statistics.segmentsClosed >= 5)
        try await trail.flush()
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 40)
    }

    @Test("log files are gzip at compressionLevel: stored at 0, smaller than their JSON at 1")
    func compressionLevels() async throws {
        for level in [0, 1] {
            let fixture = try TrailFixture()
            defer { fixture.remove() }
            let trail = try fixture.trail { $0.compressionLevel = level }
            let records = (1...20).map { Events.record($0) }
            for record in records { try await trail.append(record) }
            try await trail.flush()
            let file = try #require(fixture.logFiles().first)
            let raw = try fixture.read(file)
            let content = records.reduce(0) { $0 + $1.json.count }
            #expect(level == 0 ? raw.count > content : raw.count < content / 2)
            #expect(try fixture.records(in: file) == records.map(\.json))
            #expect(try fixture.verify().isValid)
        }
    }
}
