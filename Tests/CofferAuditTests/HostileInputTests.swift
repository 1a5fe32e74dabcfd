import Foundation
import Testing

@testable import CofferAudit

@Suite("Hostile input")
struct HostileInputTests {
    @Test("garbage gzip, bad JSON, deep nesting, truncated gzip and a garbage digest are reported, not trapped on")
    func hostileFiles() async throws {
        let scenario = try await Scenario()
        let fixture = scenario.fixture
        defer { fixture.remove() }
        try fixture.write(Array(repeating: 0xFF, count: 5000), to: scenario.first.a)
        try fixture.write(try Gzip.compress(Array("{\"Records\":[{\"a\":".utf8), level: 1), to: scenario.first.b)
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        try fixture.write(try Gzip.compress(Array("{\"Records\":".utf8) + deep, level: 1), to: scenario.second)
        let digest = scenario.digests[2]
        try fixture.write(Array((try fixture.read(digest)).prefix(20)), to: digest)
        // A segment full of junk lines and one enormous line.
        try fixture.write(Array("#coffer-audit-segment\t1\t1\tzz\t0\n\t\t\t\n".utf8) + Array(repeating: 0x41, count: 2 << 20), to: TrailLayout.segment(1))

        let report = try fixture.verify()
        #expect(!report.isValid)
        #expect(report.has(.logFileModified, file: scenario.first.a))
        #expect(report.has(.logFileModified, file: scenario.first.b))
        #expect(report.has(.logFileModified, file: scenario.second))
        #expect(report.has(.digestModified, file: digest))
        #expect(report.has(.logFileModified, file: TrailLayout.segment(1)))
    }

    @Test("gzip decoding is bounded and strict")
    func gzipBounds() throws {
        let big = try Gzip.compress(Array(repeating: 0x20, count: 1 << 20), level: 9)
        #expect(throws: AuditError.self) { try Gzip.decompress(big, maxSize: 1000) }
        #expect(try Gzip.decompress(big, maxSize: 1 << 20).count == 1 << 20)
        #expect(throws: AuditError.self) { try Gzip.decompress(Array(big.dropLast(4)), maxSize: 1 << 21) }
        #expect(throws: AuditError.self) { try Gzip.decompress(big + [0], maxSize: 1 << 21) }
        #expect(throws: AuditError.self) { try Gzip.decompress([], maxSize: 10) }
    }

    @Test("the raw JSON scanner returns exact record bytes and rejects malformed input")
    func rawJSON() throws {
        let text = Array(#"{"x":[1,{"Records":2}], "Records" : [ {"eventID":"a\"b"} , {"eventID":"\u00e9"},[],"s" ] }"#.utf8)
        let ranges = try RawJSON.recordRanges(in: text)
        #expect(ranges.map { String(decoding: text[$0], as: UTF8.self) } == [#"{"eventID":"a\"b"}"#, #"{"eventID":"\u00e9"}"#, "[]", "\"s\""])
        #expect(RawJSON.topLevelString("eventID", in: text[ranges[0]]) == "a\"b")
        #expect(RawJSON.topLevelString("eventID", in: text[ranges[1]]) == "é")
        for bad in [#"{"Records":[1,]}"#, #"{"Records":[1]"#, #"{"Records":[1]} x"#, #"{"Other":[]}"#, "\"Records\"", ""] {
            #expect(throws: (any Error).self) { try RawJSON.recordRanges(in: Array(bad.utf8)) }
        }
    }
}
