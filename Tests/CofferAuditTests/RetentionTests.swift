import Crypto
import Foundation
import Testing

@testable import CofferAudit

@Suite("Retention")
struct RetentionTests {
    @Test("files past retentionSeconds are pruned, recorded in the next digest, and not reported missing")
    func ageRetention() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail { $0.retentionSeconds = 3600 }
        for number in 1...4 {
            let account = number % 2 == 0 ? TrailFixture.accountA : TrailFixture.accountB
            try await trail.append(Events.record(number, account: account))
        }
        try await trail.flush()
        let old = fixture.logFiles()
        #expect(old.count == 2)
        let oldHashes = try old.map { Hex.encode(SHA256.hash(data: try fixture.read($0))) }

        fixture.clock.advance(7200)
        for number in 5...6 { try await trail.append(Events.record(number)) }
        try await trail.flush()
        #expect(trail.statistics.segmentsPruned == 1)
        for file in old { #expect(!FileManager.default.fileExists(atPath: fixture.path(file))) }
        #expect(!FileManager.default.fileExists(atPath: fixture.path(TrailLayout.segment(1))))
        #expect(fixture.logFiles().count == 1)

        let digest = try fixture.digestObject(try #require(fixture.digestFiles().last))
        let pruned = try #require(digest["prunedLogFiles"] as? [[String: Any]])
        #expect(Set(pruned.compactMap { $0["s3Object"] as? String }) == Set(old))
        #expect(Set(pruned.compactMap { $0["hashValue"] as? String }) == Set(oldHashes))
        let prunedSegments = try #require(digest["prunedSegments"] as? [[String: Any]])
        #expect(prunedSegments.compactMap { $0["sequence"] as? Int } == [1])

        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 2)
        #expect(report.logFilesVerified == 1)
    }

    @Test("retentionMaxBytes prunes oldest first, and a prune interrupted by a crash is finished and recorded on restart")
    func sizeRetentionAcrossRestart() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail { $0.retentionMaxBytes = 1 }
            for round in 0..<3 {
                try await trail.append(Events.record(round + 1))
                fixture.clock.advance(60)
                try await trail.flush()
            }
            // Each flush prunes what earlier digests listed: segments 1 and 2; segment 3 is listed by the last digest.
            #expect(trail.statistics.segmentsPruned == 2)
            #expect(fixture.logFiles().count == 1)
        }
        // A crash after pruning began on segment 3 (record renamed) but before its files were deleted and a digest listed it.
        try FileIO.move(fixture.path(TrailLayout.deliveryRecord(3)), to: fixture.path(TrailLayout.prunedRecord(3)))
        let trail = try fixture.trail { $0.retentionMaxBytes = 1 }
        #expect(fixture.logFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.path(TrailLayout.segment(3))))
        try await trail.flush()
        let digest = try fixture.digestObject(try #require(fixture.digestFiles().last))
        let prunedSegments = try #require(digest["prunedSegments"] as? [[String: Any]])
        #expect(prunedSegments.compactMap { $0["sequence"] as? Int } == [3])
        let names = FileIO.list(fixture.path("segments"))
        #expect(!names.contains { $0.hasSuffix(".pruned.json") })
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.digestsVerified == 4)
    }
}
