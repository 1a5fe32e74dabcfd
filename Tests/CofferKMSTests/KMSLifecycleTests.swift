import CofferCore
import CofferCrypto
import CofferKMS
import Foundation
import Testing

/// Rotation and deletion, with a clock the tests move, over every store back end.
struct KMSLifecycleTests {
    static let day: TimeInterval = 86_400

    func version(of blob: [UInt8]) throws -> UInt32 { try CiphertextBlob(parsing: blob).keyVersion }

    @Test(arguments: StoreKind.allCases)
    func onDemandRotationKeepsOldCiphertextsDecryptable(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (before, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [1, 2, 3], context: EncryptionContext(), caller: f.alice)
        let rotated = try await f.kms.rotateKeyOnDemand(key.id, caller: f.alice)
        #expect(rotated.currentVersion == 2 && rotated.onDemandRotations == 1)
        let (after, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [4, 5, 6], context: EncryptionContext(), caller: f.alice)
        #expect(try version(of: before) == 1 && version(of: after) == 2)
        let fresh = f.restarted()
        #expect(try await fresh.decrypt(ciphertext: before, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [1, 2, 3])
        #expect(try await fresh.decrypt(ciphertext: after, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [4, 5, 6])
        let rotations = try await f.kms.listKeyRotations(key.id, includeOriginal: false, limit: 10, marker: nil, caller: f.alice)
        #expect(rotations.entries.map(\.rotationType) == [.onDemand])
        #expect(rotations.entries.first?.isCurrent == true)
        let all = try await f.kms.listKeyRotations(key.id, includeOriginal: true, limit: 1, marker: nil, caller: f.alice)
        #expect(all.entries.map(\.version) == [1] && all.nextMarker == "1")
        #expect(Set(try await f.kms.listKeyRotations(key.id, includeOriginal: true, limit: 5, marker: nil, caller: f.alice).entries.map(\.keyMaterialID)).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func onDemandRotationIsLimitedTo25(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        for _ in 0..<25 { _ = try await f.kms.rotateKeyOnDemand(key.id, caller: f.alice) }
        #expect(await code { _ = try await f.kms.rotateKeyOnDemand(key.id, caller: f.alice) } == .limitExceeded)
        try await f.kms.disableKey(key.id, caller: f.alice)
        #expect(await code { _ = try await f.kms.rotateKeyOnDemand(key.id, caller: f.alice) } == .disabled)
    }

    @Test(arguments: StoreKind.allCases)
    func automaticRotationHappensWhenDue(_ kind: StoreKind) async throws {
        let clock = AdjustableWallClock()
        let f = try KMSFixture(kind, clock: clock)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let idle = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        try await f.kms.enableKeyRotation(key.id, periodDays: 90, caller: f.alice)
        let status = try await f.kms.keyRotationStatus(key.id, caller: f.alice)
        #expect(status.rotationPeriodDays == 90)
        let firstDue = try #require(status.nextRotationDate)
        #expect(abs(firstDue.timeIntervalSince(clock.now()) - 90 * Self.day) < 5)
        let (old, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [9], context: EncryptionContext(), caller: f.alice)

        clock.advance(by: 89 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (0, 0))
        clock.advance(by: 2 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (1, 0))
        let rotated = try await f.kms.describeKey(key.id, caller: f.alice)
        #expect(rotated.currentVersion == 2)
        #expect(try #require(rotated.nextRotationDate) > firstDue)
        #expect(try await f.kms.describeKey(idle.id, caller: f.alice).currentVersion == 1)
        #expect(try await f.kms.decrypt(ciphertext: old, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [9])
        #expect(try await f.kms.listKeyRotations(key.id, includeOriginal: false, limit: 10, marker: nil, caller: f.alice).entries.map(\.rotationType) == [.automatic])

        // A disabled key is not rotated; rotation off clears the schedule.
        try await f.kms.disableKey(key.id, caller: f.alice)
        clock.advance(by: 100 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (0, 0))
        try await f.kms.enableKey(key.id, caller: f.alice)
        try await f.kms.disableKeyRotation(key.id, caller: f.alice)
        #expect(try await f.kms.keyRotationStatus(key.id, caller: f.alice).nextRotationDate == nil)
        clock.advance(by: 400 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (0, 0))
    }

    @Test(arguments: StoreKind.allCases)
    func scheduledDeletionBlocksUseAndCanBeCancelled(_ kind: StoreKind) async throws {
        let clock = AdjustableWallClock()
        let f = try KMSFixture(kind, clock: clock)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [7], context: EncryptionContext(), caller: f.alice)
        let pending = try await f.kms.scheduleKeyDeletion(key.id, windowDays: 7, caller: f.alice)
        #expect(pending.state == .pendingDeletion && pending.pendingWindowDays == 7)
        #expect(await code { _ = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice) } == .invalidState)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .invalidState)
        #expect(await code { try await f.kms.enableKey(key.id, caller: f.alice) } == .invalidState)
        #expect(await code { _ = try await f.kms.scheduleKeyDeletion(key.id, windowDays: 7, caller: f.alice) } == .invalidState)
        let cancelled = try await f.kms.cancelKeyDeletion(key.id, caller: f.alice)
        #expect(cancelled.state == .disabled && cancelled.deletionDate == nil)
        #expect(await code { _ = try await f.kms.cancelKeyDeletion(key.id, caller: f.alice) } == .invalidState)
        clock.advance(by: 30 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (0, 0))
    }

    @Test(arguments: StoreKind.allCases)
    func keysAreDeletedAfterTheWindow(_ kind: StoreKind) async throws {
        let clock = AdjustableWallClock()
        let f = try KMSFixture(kind, clock: clock)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let keep = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        try await f.kms.createAlias(name: "alias/doomed", targetKeyID: key.id, caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [7], context: EncryptionContext(), caller: f.alice)
        _ = try await f.kms.scheduleKeyDeletion(key.id, windowDays: 7, caller: f.alice)
        clock.advance(by: 6 * Self.day)
        #expect(try await f.kms.runDueLifecycle() == (0, 0))
        clock.advance(by: 1 * Self.day + 60)
        #expect(try await f.kms.runDueLifecycle() == (0, 1))
        #expect(await code { _ = try await f.kms.describeKey(key.id, caller: f.alice) } == .notFound)
        #expect(await code { _ = try await f.kms.describeKey("alias/doomed", caller: f.alice) } == .notFound)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .invalidCiphertext)
        #expect(try await f.restarted().listAliases(keyID: nil, limit: 10, marker: nil, caller: f.alice).aliases.isEmpty)
        #expect(try await f.store.materials(keyID: key.id).isEmpty)
        #expect(try await f.kms.describeKey(keep.id, caller: f.alice).state == .enabled)
    }
}
