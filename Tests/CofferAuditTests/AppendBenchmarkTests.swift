#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

@testable import CofferAudit

/// CPU cost of the trail. Off by default; run with
/// `COFFER_AUDIT_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter AppendBenchmarkTests`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["COFFER_AUDIT_BENCH"] != nil))
struct AppendBenchmarkTests {
    @Test("closed loop: 256 concurrent writers, 204,800 appends")
    func appendThroughput() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        let writers = 256
        let perWriter = 800
        let before = Self.cpuSeconds()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var record = Events.record(writer)
                    for number in 0..<perWriter {
                        record.eventID = Events.id(writer * perWriter + number)
                        try await trail.append(record)
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Self.seconds(ContinuousClock.now - start)
        let cpu = Self.cpuSeconds() - before
        let events = writers * perWriter
        let statistics = trail.statistics
        print(
            "closed loop: \(Int(Double(events) / seconds)) appends/s, \(Self.format(cpu * 1e6 / Double(events))) µs CPU per append "
                + "(test tasks included), \(events / max(statistics.segmentSyncs, 1)) appends per fsync")
        let flushCPU = Self.cpuSeconds()
        try await trail.flush()
        print("delivery of \(statistics.segmentsClosed + 1) segments: \(Self.format((Self.cpuSeconds() - flushCPU) * 1e6 / Double(events))) µs CPU per event")
        #expect(statistics.eventsCommitted == events)
    }

    @Test("paced: 18,000 appends/s from 64 writers for 3 s")
    func steadyRate() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail { $0.segmentMaxBytes = 4 << 20 }
        let seconds = 3.0
        let rate = 18_000.0
        func drive(_ body: @escaping @Sendable (AuditRecord) async throws -> Void) async throws -> Double {
            let writers = 64
            let perWriter = Int(rate * seconds) / writers
            let period = Duration.nanoseconds(Int64(1e9 * Double(writers) / rate))
            let before = Self.cpuSeconds()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        let clock = ContinuousClock()
                        var deadline = clock.now
                        var record = Events.record(writer)
                        for number in 0..<perWriter {
                            deadline = deadline.advanced(by: period)
                            try await Task.sleep(until: deadline, clock: clock)
                            record.eventID = Events.id(writer * perWriter + number)
                            try await body(record)
                        }
                    }
                }
                try await group.waitForAll()
            }
            return Self.cpuSeconds() - before
        }
        let baseline = try await drive { _ in }
        let withTrail = try await drive { try await trail.append($0) }
        let flushCPU = Self.cpuSeconds()
        try await trail.flush()
        let delivery = Self.cpuSeconds() - flushCPU
        print(
            "paced 18k/s: the same loop without the trail \(Self.format(baseline / seconds * 100))% of a core, with it "
                + "\(Self.format(withTrail / seconds * 100))%; delivery \(Self.format(delivery / seconds * 100))%; "
                + "\(trail.statistics.segmentSyncs) fsyncs (timer noise makes single runs vary)")
    }

    @Test("component costs per event")
    func componentCosts() throws {
        let count = 20_000
        let records = (0..<count).map { Events.record($0) }
        var chain = ChainValue.genesis
        var buffer: [UInt8] = []
        var segment = SegmentCodec.header(sequence: 1, previous: .genesis, openedMilliseconds: 0)
        var start = Self.cpuSeconds()
        for (index, record) in records.enumerated() {
            if index % 128 == 0 {
                segment.append(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
            SegmentCodec.appendEvent(record, eventMilliseconds: 1, chain: &chain, into: &buffer)
        }
        segment.append(contentsOf: buffer)
        print("encode + chain hash: \(Self.format((Self.cpuSeconds() - start) * 1e6 / Double(count))) µs")
        start = Self.cpuSeconds()
        let scan = SegmentScan(segment)
        print("delivery scan: \(Self.format((Self.cpuSeconds() - start) * 1e6 / Double(count))) µs (\(scan?.events.count ?? 0) events)")

        // Realistic variety (random ids, keys, addresses): the test records compress unrealistically well.
        let json = (0..<count).flatMap { _ -> [UInt8] in
            let id = { UUID().uuidString.lowercased() }
            let text =
                "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA\(id().prefix(16))\","
                + "\"arn\":\"arn:aws:iam::111122223333:user/svc-\(Int.random(in: 0..<50))\",\"accountId\":\"111122223333\","
                + "\"accessKeyId\":\"AKIA\(id().prefix(16))\",\"userName\":\"svc-\(Int.random(in: 0..<50))\"},"
                + "\"eventTime\":\"2024-05-01T12:\(Int.random(in: 10...59)):\(Int.random(in: 10...59))Z\",\"eventSource\":\"kms.amazonaws.com\","
                + "\"eventName\":\"Decrypt\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.\(Int.random(in: 0..<255)).\(Int.random(in: 0..<255))\","
                + "\"userAgent\":\"aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21\",\"requestParameters\":{\"keyId\":\"arn:aws:kms:us-east-1:"
                + "111122223333:key/\(id())\",\"encryptionContext\":{\"tenant\":\"\(id())\"},\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"},"
                + "\"responseElements\":null,\"requestID\":\"\(id())\",\"eventID\":\"\(id())\",\"readOnly\":true,\"resources\":[{\"accountId\":"
                + "\"111122223333\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"arn:aws:kms:us-east-1:111122223333:key/\(id())\"}],"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"111122223333\"},"
            return Array(text.utf8)
        }
        for level in [0, 1, 6] {
            start = Self.cpuSeconds()
            let compressed = try Gzip.compress(json, level: level)
            print(
                "gzip level \(level), \(json.count / count)-byte events: \(Self.format((Self.cpuSeconds() - start) * 1e6 / Double(count))) µs, "
                    + "ratio \(Self.format(Double(json.count) / Double(compressed.count)))")
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
