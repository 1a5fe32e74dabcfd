import Crypto
import Foundation
import Synchronization
import Testing

@testable import CofferAudit

@Suite("Crash recovery")
struct RecoveryTests {
    @Test("a torn last line is cut, acknowledged events survive, the chain continues and lookups see the survivors")
    func tornLineIsCut() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail()
            for number in 1...6 { try await trail.append(Events.record(number)) }
        }
        // Simulate a crash in the middle of writing event 6: keep half of its line, then the preallocated zeros.
        let segmentPath = TrailLayout.segment(1)
        let bytes = try fixture.read(segmentPath)
        let written = SegmentCodec.lines(bytes).compactMap { line -> SegmentCodec.Event? in
            if case .event(let event) = line { return event }
            return nil
        }
        let sixth = try #require(written.last)
        #expect(sixth.eventID == Events.id(6))
        let torn = Array(bytes[..<(sixth.line.lowerBound + sixth.line.count / 2)])
        try fixture.write(torn + [UInt8](repeating: 0, count: bytes.count - torn.count), to: segmentPath)

        let trail = try fixture.trail()
        let page = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 50))
        #expect(Set(page.records.map(\.eventID)) == Set((1...5).map(Events.id)))
        #expect(page.records.first { $0.eventID == Events.id(3) } == Events.record(3))

        try await trail.append(Events.record(7))
        let recovered = try fixture.read(segmentPath)
        let events = SegmentCodec.lines(recovered).compactMap { line -> SegmentCodec.Event? in
            if case .event(let event) = line { return event }
            return nil
        }
        #expect(events.map(\.eventID) == [1, 2, 3, 4, 5, 7].map(Events.id))
        // Event 7 chains from event 5.
        #expect(events[5].chain == events[4].chain.next(recovered[events[5].payload]))

        try await trail.flush()
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 6)
    }

    @Test("the open segment is extended with zeros ahead of its appends; closing and restarting cut them")
    func preallocatedTail() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let segmentPath = TrailLayout.segment(1)
        var committed = 0
        do {
            let trail = try fixture.trail()
            for number in 1...5 { try await trail.append(Events.record(number)) }
            let bytes = try fixture.read(segmentPath)
            #expect(bytes.count == SegmentWriter.preallocationChunk)
            committed = try #require(bytes.lastIndex(of: SegmentCodec.newline)) + 1
            #expect(bytes[committed...].allSatisfy { $0 == 0 })
            let page = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 50))
            #expect(page.records.count == 5)
        }
        // A restart (as after kill -9) cuts the zeros and continues at the committed length.
        let trail = try fixture.trail()
        #expect(try fixture.read(segmentPath).count == committed)
        try await trail.append(Events.record(6))
        try await trail.flush()
        let closed = try fixture.read(segmentPath)
        #expect(closed.last == SegmentCodec.newline)
        #expect(!closed.contains(0))
        guard case .trailer(let trailer)? = SegmentCodec.lines(closed).last else {
            Issue.record("expected the #end line last")
            return
        }
        #expect(trailer.eventCount == 6)
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 6)
    }

    @Test("when the zeros ahead cannot be written (a full disk), the batch is appended as it is")
    func preallocationFailureFallsBack() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        trail.faults.fail(.segmentPreallocate)
        try await trail.append(Events.record(1))
        let segment = try fixture.read(TrailLayout.segment(1))
        #expect(segment.last == SegmentCodec.newline, "no zeros after the first batch")
        try await trail.append(Events.record(2))
        #expect(try fixture.read(TrailLayout.segment(1)).count == SegmentWriter.preallocationChunk)
        #expect(trail.statistics.failedBatches == 0)
        try await trail.flush()
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 2)
    }

    @Test("a restart continues the segment sequence and the digest chain")
    func restartContinuesChains() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail()
            for number in 1...3 { try await trail.append(Events.record(number)) }
            try await trail.flush()
            try await trail.append(Events.record(4))
        }
        fixture.clock.advance(60)
        let trail = try fixture.trail()
        try await trail.append(Events.record(5))
        try await trail.flush()
        #expect(fixture.digestFiles().count == 2)
        let second = try fixture.digestObject(fixture.digestFiles()[1])
        #expect(second["previousDigestS3Object"] as? String == fixture.digestFiles()[0])
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 5)
        #expect(report.digestsVerified == 2)
    }

    @Test("a segment closed just before a crash is delivered on restart")
    func closedButUndeliveredSegmentIsDelivered() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail()
            for number in 1...3 { try await trail.append(Events.record(number)) }
            try await trail.flush()
            try await trail.append(Events.record(4))
        }
        // Crash after segment 2 got its #end line but before delivery: remove what delivery would have written.
        let segment2 = fixture.path(TrailLayout.segment(2))
        let bytes = try fixture.read(TrailLayout.segment(2))
        let lines = SegmentCodec.lines(bytes)
        guard case .event(let last) = try #require(lines.last) else { return }
        let trailer = SegmentCodec.trailer(closedMilliseconds: 1_700_000_000_000, eventCount: 1, last: last.chain)
        try fixture.write(bytes + trailer, to: TrailLayout.segment(2))
        #expect(FileManager.default.fileExists(atPath: segment2))

        let trail = try fixture.trail()
        try await trail.flush()
        #expect(FileManager.default.fileExists(atPath: fixture.path(TrailLayout.deliveryRecord(2))))
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 4)
    }

    @Test("unacknowledged complete lines after damage are cut, kept aside and reported")
    func damagedTailIsKeptAside() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail()
            for number in 1...3 { try await trail.append(Events.record(number)) }
        }
        let segmentPath = TrailLayout.segment(1)
        let preallocated = try fixture.read(segmentPath)
        let bytes = Array(preallocated[...(try #require(preallocated.lastIndex(of: SegmentCodec.newline)))])
        // A line whose chain does not match, then a torn one, then the zeros written ahead of the appends.
        let bogus = Array(String(repeating: "ab", count: 32).utf8) + [SegmentCodec.tab] + Array("x\tjunk\n{\"half".utf8)
        try fixture.write(bytes + bogus + [UInt8](repeating: 0, count: preallocated.count - bytes.count - bogus.count), to: segmentPath)

        let notes = Mutex<[AuditError]>([])
        let trail = try fixture.trail { $0.errorHandler = { error in notes.withLock { $0.append(error) } } }
        #expect(try fixture.read(segmentPath) == bytes)
        let kept = FileIO.list(fixture.path("segments")).filter { $0.hasPrefix("0000000000000001.log.cut-") }
        #expect(kept.count == 1)
        #expect(try fixture.read("segments/" + kept[0]) == bogus)
        #expect(notes.withLock { $0.map(\.code) } == [.corrupt])
        try await trail.append(Events.record(4))
        try await trail.flush()
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 4)
    }

    @Test("a crash between starting the next segment and closing the previous one")
    func crashDuringRotation() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        do {
            let trail = try fixture.trail()
            for number in 1...3 { try await trail.append(Events.record(number)) }
        }
        // The next segment exists (header only) but segment 1 never got its #end line.
        let bytes = try fixture.read(TrailLayout.segment(1))
        guard case .event(let last) = try #require(SegmentCodec.lines(bytes).last) else { return }
        let next = try SegmentFiles.create(
            layout: TrailLayout(directory: fixture.directory), sequence: 2, previous: last.chain, openedAt: fixture.clock.now)
        FileIO.closeFile(next.fd)

        let trail = try fixture.trail()
        try await trail.append(Events.record(4))
        try await trail.flush()
        #expect(trail.statistics.segmentsDelivered == 2)
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == 4)
        #expect(report.logFilesVerified == 2)
    }
}
