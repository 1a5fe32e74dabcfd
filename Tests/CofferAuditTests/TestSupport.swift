import Crypto
import Foundation
import Synchronization
import Testing

@testable import CofferAudit

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A temporary trail directory, a key and a clock.
struct TrailFixture {
    let directory: URL
    let key = Curve25519.Signing.PrivateKey()
    let clock = TestClock()

    static let accountA = "111122223333"
    static let accountB = "444455556666"

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    func configuration(_ adjust: (inout AuditConfiguration) -> Void = { _ in }) -> AuditConfiguration {
        var configuration = AuditConfiguration(directory: directory)
        configuration.segmentSeconds = 1
        configuration.digestSeconds = 2
        adjust(&configuration)
        return configuration
    }

    func trail(_ adjust: (inout AuditConfiguration) -> Void = { _ in }) throws -> AuditTrail {
        let clock = self.clock
        return try AuditTrail(configuration: configuration(adjust), signingKey: key, now: { clock.now })
    }

    func verify(start: Date? = nil, end: Date? = nil) throws -> AuditVerificationReport {
        let report = try AuditVerifier.verify(directory: directory, publicKey: key.publicKey, start: start, end: end)
        if ProcessInfo.processInfo.environment["AUDIT_PRINT"] != nil { print("REPORT\n\(report)\nEND") }
        return report
    }

    func path(_ relative: String) -> String { directory.path + "/" + relative }

    /// Delivered log files, relative to the trail directory, sorted.
    func logFiles() -> [String] {
        FileIO.listRecursively(directory.path + "/AWSLogs", suffix: ".json.gz")
            .filter { !$0.hasPrefix("CloudTrail-Digest/") }
            .map { "AWSLogs/" + $0 }
    }

    /// Digest files, relative to the trail directory, in sequence order.
    func digestFiles() -> [String] {
        FileIO.listRecursively(directory.path + "/AWSLogs/CloudTrail-Digest", suffix: ".json.gz")
            .map { "AWSLogs/CloudTrail-Digest/" + $0 }
            .sorted { (TrailLayout.sequence(ofDigest: $0) ?? 0) < (TrailLayout.sequence(ofDigest: $1) ?? 0) }
    }

    func read(_ relative: String) throws -> [UInt8] {
        try FileIO.readFile(path(relative), maxBytes: 1 << 30)
    }

    func write(_ bytes: [UInt8], to relative: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path(relative)))
    }

    /// The exact record JSONs of a delivered log file.
    func records(in relative: String) throws -> [[UInt8]] {
        let json = try Gzip.decompress(try read(relative), maxSize: 1 << 30)
        return try RawJSON.recordRanges(in: json).map { Array(json[$0]) }
    }

    /// Rewrites a log file as an attacker would: same framing, records changed by `transform`.
    func rewriteLogFile(_ relative: String, _ transform: (inout [[UInt8]]) -> Void) throws {
        var records = try records(in: relative)
        transform(&records)
        var content = Array("{\"Records\":[".utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { content.append(UInt8(ascii: ",")) }
            content.append(contentsOf: record)
        }
        content.append(contentsOf: "]}".utf8)
        try write(try Gzip.compress(content, level: 6), to: relative)
    }

    /// A digest's uncompressed JSON document.
    func digestJSON(_ relative: String) throws -> [UInt8] {
        try Gzip.decompress(try read(relative), maxSize: 1 << 28)
    }

    func digestObject(_ relative: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(try digestJSON(relative)))
        return try #require(object as? [String: Any])
    }
}

/// Event ids and JSON the way the HTTP layer would build them.
enum Events {
    static func id(_ number: Int) -> String {
        let digits = String(number)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }

    static func record(
        _ number: Int, account: String = TrailFixture.accountA, region: String = "us-east-1", name: String = "Encrypt",
        time: Date = Date(timeIntervalSince1970: 1_700_000_000), readOnly: Bool = false, username: String? = "alice"
    ) -> AuditRecord {
        let keyARN = "arn:aws:kms:\(region):\(account):key/1234abcd-12ab-34cd-56ef-1234567890ab"
        let json =
            "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"\(username ?? "")\"},"
            + "\"eventTime\":\"\(UTCTime(time).iso8601)\",\"eventSource\":\"kms.amazonaws.com\",\"eventName\":\"\(name)\","
            + "\"awsRegion\":\"\(region)\",\"sourceIPAddress\":\"127.0.0.1\",\"requestParameters\":{\"keyId\":\"\(keyARN)\",\"n\":\(number)},"
            + "\"eventID\":\"\(id(number))\",\"readOnly\":\(readOnly),\"resources\":[{\"accountId\":\"\(account)\","
            + "\"type\":\"AWS::KMS::Key\",\"ARN\":\"\(keyARN)\"}],\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"\(account)\"}"
        return AuditRecord(
            eventID: id(number), eventTime: time, eventSource: "kms.amazonaws.com", eventName: name, recipientAccount: account,
            region: region, username: username, accessKeyID: "AKIAEXAMPLE\(number)", readOnly: readOnly,
            resources: [AuditResource(type: "AWS::KMS::Key", name: keyARN)], json: Array(json.utf8))
    }
}

/// The standard tamper scenario: three digests (the last for an empty period), three log files, ten events.
///
/// digest 1: segment 1 with events 1–6 → log files A/us-east-1 (1, 3, 5) and B/eu-west-1 (2, 4, 6)
/// digest 2: segment 2 with events 7–10 → log file A/us-east-1 (7, 8, 9, 10)
/// digest 3: nothing delivered
struct Scenario {
    let fixture: TrailFixture
    let trail: AuditTrail
    /// Log files of segment 1: A's, then B's.
    let first: (a: String, b: String)
    /// The log file of segment 2.
    let second: String
    let digests: [String]

    init() async throws {
        let fixture = try TrailFixture()
        let trail = try fixture.trail()
        for number in 1...6 {
            let account = number % 2 == 1 ? TrailFixture.accountA : TrailFixture.accountB
            let region = number % 2 == 1 ? "us-east-1" : "eu-west-1"
            try await trail.append(Events.record(number, account: account, region: region, time: fixture.clock.now))
        }
        fixture.clock.advance(600)
        try await trail.flush()
        let firstFiles = fixture.logFiles()
        for number in 7...10 { try await trail.append(Events.record(number, time: fixture.clock.now)) }
        fixture.clock.advance(600)
        try await trail.flush()
        fixture.clock.advance(600)
        try await trail.flush()
        let allFiles = fixture.logFiles()
        let a = try #require(firstFiles.first { $0.contains("/\(TrailFixture.accountA)/") })
        let b = try #require(firstFiles.first { $0.contains("/\(TrailFixture.accountB)/") })
        self.fixture = fixture
        self.trail = trail
        self.first = (a, b)
        self.second = try #require(allFiles.first { !firstFiles.contains($0) })
        self.digests = fixture.digestFiles()
        #expect(digests.count == 3)
        #expect(allFiles.count == 3)
    }
}

extension AuditVerificationReport {
    func has(_ kind: AuditProblem.Kind, file: String, event: String? = nil) -> Bool {
        problems.contains { $0.kind == kind && $0.file == file && (event == nil || $0.event == event) }
    }
}
