import Crypto
import Foundation
import Testing

@testable import CofferAudit

@Suite("Digests")
struct DigestTests {
    @Test("digests chain by hash and signature, are signed over their JSON bytes, and empty periods still get one")
    func chainAndSignature() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        let digests = scenario.digests
        #expect(digests.count == 3)
        var previous: (path: String, bytes: [UInt8], signature: String, end: String)?
        for (position, digest) in digests.enumerated() {
            let json = try fixture.digestJSON(digest)
            let object = try fixture.digestObject(digest)
            let signature = String(decoding: try fixture.read(TrailLayout.signatureFile(ofDigest: digest)), as: UTF8.self)
            let raw = try #require(Hex.decode(signature))
            #expect(scenario.trail.publicKey.isValidSignature(raw, for: json))
            #expect(object["digestSignatureAlgorithm"] as? String == "Ed25519")
            #expect(object["digestS3Object"] as? String == digest)
            #expect(object["digestSequence"] as? Int == position + 1)
            #expect(
                object["publicKeyFingerprint"] as? String
                    == Hex.encode(SHA256.hash(data: scenario.trail.publicKey.rawRepresentation)))
            if let previous {
                #expect(object["previousDigestS3Object"] as? String == previous.path)
                #expect(object["previousDigestHashValue"] as? String == Hex.encode(SHA256.hash(data: previous.bytes)))
                #expect(object["previousDigestSignature"] as? String == previous.signature)
                #expect(object["digestStartTime"] as? String == previous.end)
            } else {
                let text = String(decoding: json, as: UTF8.self)
                #expect(text.contains("\"previousDigestS3Object\":null"))
                #expect(text.contains("\"previousDigestHashValue\":null"))
                #expect(text.contains("\"previousDigestSignature\":null"))
            }
            previous = (digest, try fixture.read(digest), signature, try #require(object["digestEndTime"] as? String))
        }

        // Digest 1 lists segment 1's two files, digest 2 one file, digest 3 (an empty period) none.
        let counts = try digests.map { try #require(try fixture.digestObject($0)["logFiles"] as? [[String: Any]]).count }
        #expect(counts == [2, 1, 0])
        let listed = try #require(try fixture.digestObject(digests[0])["logFiles"] as? [[String: Any]])
        for file in listed {
            let path = try #require(file["s3Object"] as? String)
            #expect(file["hashValue"] as? String == Hex.encode(SHA256.hash(data: try fixture.read(path))))
            #expect((file["firstEventChain"] as? String)?.count == 64)
            #expect((file["lastEventChain"] as? String)?.count == 64)
        }
    }

    @Test("run() closes due segments, delivers, digests each period and flushes on cancellation")
    func runLoop() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let configuration = fixture.configuration {
            $0.segmentSeconds = 0.2
            $0.digestSeconds = 0.4
        }
        let trail = try AuditTrail(
            configuration: configuration, signingKey: fixture.key, now: { Date() })
        let runner = Task { try await trail.run() }
        for number in 1...20 {
            try await trail.append(Events.record(number, time: Date()))
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(600))
        let whileRunning = trail.statistics
        #expect(whileRunning.segmentsDelivered >= 2)
        #expect(whileRunning.digestsWritten >= 2)
        try await trail.append(Events.record(21, time: Date()))
        runner.cancel()
        try await runner.value
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 21)
        #expect(report.digestsVerified == trail.statistics.digestsWritten)
    }
}
