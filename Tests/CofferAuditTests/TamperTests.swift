import Crypto
import Foundation
import Testing

@testable import CofferAudit

@Suite("Tamper detection")
struct TamperTests {
    @Test("an untouched trail is valid with exact counts")
    func untouchedTrailIsValid() async throws {
        let scenario = try await Scenario()
        defer { scenario.fixture.remove() }
        let report = try scenario.fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.digestsVerified == 3)
        #expect(report.logFilesVerified == 3)
        #expect(report.eventsVerified == 10)
        #expect(report.description.hasSuffix("VALID: 3 digests, 3 log files, 10 events verified; 0 problems"))
    }

    @Test("a bit flip in a log file")
    func bitFlip() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        var bytes = try fixture.read(scenario.first.a)
        bytes[bytes.count / 2] ^= 0x01
        try fixture.write(bytes, to: scenario.first.a)
        let report = try fixture.verify()
        #expect(report.has(.logFileModified, file: scenario.first.a), "\(report)")
        #expect(report.problems.allSatisfy { $0.file == scenario.first.a }, "\(report)")
        #expect(report.logFilesVerified == 2)
    }

    @Test("an event deleted from a log file")
    func deletedEvent() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        // Segment 2's file holds events 7, 8, 9, 10; drop 8.
        try fixture.rewriteLogFile(scenario.second) { $0.remove(at: 1) }
        let report = try fixture.verify()
        #expect(report.has(.eventDeleted, file: scenario.second, event: Events.id(8)), "\(report)")
        #expect(report.has(.logFileModified, file: scenario.second))
        #expect(report.problems(.eventDeleted).count == 1)
        #expect(report.problems(.eventsReordered).isEmpty)
        #expect(report.eventsVerified == 9)
    }

    @Test("an event inserted into a log file")
    func insertedEvent() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let forged = Events.record(99).json
        try fixture.rewriteLogFile(scenario.first.a) { $0.insert(forged, at: 1) }
        let report = try fixture.verify()
        #expect(report.has(.eventInserted, file: scenario.first.a, event: Events.id(99)), "\(report)")
        #expect(report.problems(.eventInserted).count == 1)
        #expect(report.problems(.eventDeleted).isEmpty)
        #expect(report.eventsVerified == 10)
    }

    @Test("two events swapped inside a log file")
    func swappedEvents() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try fixture.rewriteLogFile(scenario.second) { $0.swapAt(1, 2) }
        let report = try fixture.verify()
        let reordered = report.problems(.eventsReordered)
        #expect(reordered.count == 1, "\(report)")
        #expect(reordered.allSatisfy { $0.file == scenario.second && [Events.id(8), Events.id(9)].contains($0.event ?? "") })
        #expect(report.problems(.eventDeleted).isEmpty && report.problems(.eventInserted).isEmpty)
    }

    @Test("an event's content modified inside a log file")
    func modifiedEvent() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try fixture.rewriteLogFile(scenario.first.b) { records in
            let text = String(decoding: records[2], as: UTF8.self).replacingOccurrences(of: "Encrypt", with: "Decrypt")
            records[2] = Array(text.utf8)
        }
        let report = try fixture.verify()
        #expect(report.has(.eventModified, file: scenario.first.b, event: Events.id(6)), "\(report)")
    }

    @Test("a deleted log file")
    func deletedLogFile() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.path(scenario.first.b))
        let report = try fixture.verify()
        #expect(report.has(.logFileMissing, file: scenario.first.b), "\(report)")
        #expect(report.problems.count == 1)
    }

    @Test("two log files' contents swapped")
    func swappedLogFiles() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let one = try fixture.read(scenario.first.a)
        let two = try fixture.read(scenario.second)
        try fixture.write(two, to: scenario.first.a)
        try fixture.write(one, to: scenario.second)
        let report = try fixture.verify()
        #expect(report.has(.filesReordered, file: scenario.first.a), "\(report)")
        #expect(report.has(.filesReordered, file: scenario.second))
        #expect(report.problems.count == 2)
    }

    @Test("a modified digest")
    func modifiedDigest() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        // Hide segment 2's log file from digest 2 (the signature file is left alone).
        let target = scenario.digests[1]
        let text = String(decoding: try fixture.digestJSON(target), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"events\":4", with: "\"events\":3")
        #expect(edited != text)
        try fixture.write(try Gzip.compress(Array(edited.utf8), level: 6), to: target)
        let report = try fixture.verify()
        #expect(report.has(.digestModified, file: target), "\(report)")
        #expect(report.problems(.digestSignatureInvalid).isEmpty)
        #expect(report.digestsVerified == 2)
    }

    @Test("a digest re-signed with another key")
    func forgedDigestSignature() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let target = scenario.digests[1]
        let forger = Curve25519.Signing.PrivateKey()
        let text = String(decoding: try fixture.digestJSON(target), as: UTF8.self)
        let edited = Array(text.replacingOccurrences(of: "\"events\":4", with: "\"events\":3").utf8)
        try fixture.write(try Gzip.compress(edited, level: 6), to: target)
        try fixture.write(Array(Hex.encode(try forger.signature(for: edited)).utf8), to: TrailLayout.signatureFile(ofDigest: target))
        let report = try fixture.verify()
        #expect(report.has(.digestSignatureInvalid, file: target), "\(report)")
        // The forger's own key accepts it; ours does not.
        let forgedView = try AuditVerifier.verify(directory: fixture.directory, publicKey: forger.publicKey, start: nil, end: nil)
        #expect(!forgedView.has(.digestSignatureInvalid, file: target))
    }

    @Test("a deleted digest")
    func deletedDigest() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let target = scenario.digests[1]
        try FileManager.default.removeItem(atPath: fixture.path(target))
        try FileManager.default.removeItem(atPath: fixture.path(TrailLayout.signatureFile(ofDigest: target)))
        let report = try fixture.verify()
        #expect(report.has(.digestMissing, file: target), "\(report)")
        // What only the deleted digest listed is now vouched for by nothing.
        #expect(report.has(.logFileUnlisted, file: scenario.second))
        #expect(report.digestsVerified == 2)
    }

    @Test("every digest deleted")
    func allDigestsDeleted() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.path("AWSLogs/CloudTrail-Digest"))
        let report = try fixture.verify()
        #expect(report.has(.digestMissing, file: "AWSLogs/CloudTrail-Digest"), "\(report)")
    }

    @Test("a segment cut short")
    func truncatedSegment() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let segment = TrailLayout.segment(1)
        let bytes = try fixture.read(segment)
        let events = SegmentCodec.lines(bytes).compactMap { line -> SegmentCodec.Event? in
            if case .event(let event) = line { return event }
            return nil
        }
        try fixture.write(Array(bytes[..<events[4].line.lowerBound]), to: segment)
        let report = try fixture.verify()
        #expect(report.has(.segmentTruncated, file: segment), "\(report)")
    }

    @Test("a log file nobody listed")
    func unlistedLogFile() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let stray = String(scenario.first.a.dropLast("0123456789abcdef.json.gz".count)) + "AAAAAAAAAAAAAAAA.json.gz"
        try fixture.write(try fixture.read(scenario.first.a), to: stray)
        let report = try fixture.verify()
        #expect(report.has(.logFileUnlisted, file: stray), "\(report)")
        #expect(report.problems.count == 1)
    }

    @Test("a time range only checks the digests that overlap it")
    func timeRange() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.path(scenario.first.b))
        let start = Date(timeIntervalSince1970: 1_700_000_000 + 900)
        let later = try fixture.verify(start: start, end: nil)
        #expect(later.isValid, "\(later)")
        #expect(later.digestsVerified == 2)
        #expect(later.eventsVerified == 4)
        let all = try fixture.verify()
        #expect(all.has(.logFileMissing, file: scenario.first.b))
    }
}
