import Foundation
import Synchronization
import Testing

@testable import CofferAudit

@Suite("Group commit")
struct GroupCommitTests {
    @Test("concurrent appends are all durable and searchable, with far fewer fsyncs than events")
    func concurrentAppendsShareFsyncs() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        let count = 2000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...count {
                group.addTask { try await trail.append(Events.record(number, time: fixture.clock.now)) }
            }
            try await group.waitForAll()
        }
        let statistics = trail.statistics
        #expect(statistics.eventsCommitted == count)
        #expect(statistics.segmentSyncs < count / 2)
        #expect(statistics.batchesCommitted == statistics.segmentSyncs)

        // Every acknowledged event is in the open segment before any flush, chained.
        let segment = try fixture.read(TrailLayout.segment(1))
        var chain = ChainValue.genesis
        var ids = Set<String>()
        for line in SegmentCodec.lines(segment).dropFirst() {
            if case .partial(let zeros) = line {
                #expect(segment[zeros].allSatisfy { $0 == 0 }, "only zeros follow the committed events")
                continue
            }
            guard case .event(let event) = line else {
                Issue.record("unexpected line in the open segment")
                continue
            }
            chain = chain.next(segment[event.payload])
            #expect(chain == event.chain)
            ids.insert(event.eventID)
        }
        #expect(ids.count == count)

        // And visible to lookups at once.
        let newest = try await trail.lookup(AuditQuery(recipientAccount: TrailFixture.accountA, maxResults: 50))
        #expect(newest.records.count == 50)
        #expect(newest.nextToken != nil)
        try await trail.flush()
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
        #expect(report.eventsVerified == count)
    }

    @Test("a failed fsync fails every waiter of its batch and leaves no trace")
    func failedSyncFailsTheBatchClosed() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        try await trail.append(Events.record(1))
        trail.faults.fail(.segmentSync)
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for number in 2...21 {
                group.addTask {
                    do {
                        try await trail.append(Events.record(number))
                        return (number, true)
                    } catch let error as AuditError {
                        #expect(error.code == .io)
                        return (number, false)
                    } catch {
                        return (number, false)
                    }
                }
            }
            var results: [Int: Bool] = [:]
            for await (number, ok) in group { results[number] = ok }
            return results
        }
        let failed = Set(results.filter { !$0.value }.map(\.key))
        #expect(!failed.isEmpty)
        #expect(trail.statistics.failedBatches == 1)
        try await trail.append(Events.record(22))
        #expect(trail.statistics.eventsCommitted == 1 + (20 - failed.count) + 1)

        try await trail.flush()
        let delivered = try fixture.records(in: try #require(fixture.logFiles().first))
        let deliveredIDs = delivered.compactMap { RawJSON.topLevelString("eventID", in: $0[...]) }
        let expected = ([1, 22] + results.filter(\.value).map(\.key)).map(Events.id)
        #expect(Set(deliveredIDs) == Set(expected))
        #expect(deliveredIDs.count == expected.count)
        #expect(failed.allSatisfy { !deliveredIDs.contains(Events.id($0)) })
        let report = try fixture.verify()
        #expect(report.isValid, "\(report)")
    }

    @Test("events keep their append order in the segment chain and the delivered file")
    func appendOrderIsPreserved() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        var expected: [[UInt8]] = []
        for number in 1...50 {
            let record = Events.record(number)
            expected.append(record.json)
            try await trail.append(record)
        }
        try await trail.flush()
        let files = fixture.logFiles()
        #expect(files.count == 1)
        #expect(try fixture.records(in: files[0]) == expected)
        let segment = try fixture.read(TrailLayout.segment(1))
        let ids = SegmentCodec.lines(segment).compactMap { line -> String? in
            if case .event(let event) = line { return event.eventID }
            return nil
        }
        #expect(ids == (1...50).map(Events.id))
    }

    @Test("records the format cannot hold safely are rejected")
    func invalidRecordsAreRejected() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        var badAccount = Events.record(1)
        badAccount.recipientAccount = "../../etc"
        var badRegion = Events.record(2)
        badRegion.region = "us east/1"
        var newline = Events.record(3)
        newline.json = Array("{\"a\":\n1}".utf8)
        var notObject = Events.record(4)
        notObject.json = Array("[1,2]".utf8)
        for record in [badAccount, badRegion, newline, notObject] {
            await #expect(throws: AuditError.self) { try await trail.append(record) }
        }
        #expect(trail.statistics.eventsCommitted == 0)
    }

    @Test("JSON rendered on the writer thread is stored as rendered; a bad rendering fails only its own append")
    func deferredRendering() async throws {
        let fixture = try TrailFixture()
        defer { fixture.remove() }
        let trail = try fixture.trail()
        let records = (1...40).map { Events.record($0) }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for (index, record) in records.enumerated() {
                var deferred = record
                deferred.json = []
                let bad = index % 10 == 3
                let json = bad ? Array("{\"a\":\n1}".utf8) : record.json
                group.addTask {
                    do {
                        try await trail.append(deferred, renderedBy: { json })
                        return (index, true)
                    } catch let error as AuditError {
                        #expect(error.code == .invalidRecord)
                        return (index, false)
                    }
                }
            }
            var outcomes: [Int: Bool] = [:]
            for try await (index, stored) in group { outcomes[index] = stored }
            return outcomes
        }
        let expected = Dictionary(uniqueKeysWithValues: records.indices.map { ($0, $0 % 10 != 3) })
        #expect(outcomes == expected)
        #expect(trail.statistics.eventsCommitted == 36)
        try await trail.flush()
        let stored = try fixture.logFiles().flatMap { try fixture.records(in: $0) }
        #expect(Set(stored) == Set(records.enumerated().filter { $0.offset % 10 != 3 }.map(\.element.json)))
        #expect(try fixture.verify().isValid)
    }
}
