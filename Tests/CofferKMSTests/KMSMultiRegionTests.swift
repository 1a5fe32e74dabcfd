import CofferCore
import CofferKMS
import Foundation
import Testing

/// Multi-Region keys over every store back end (through boto3 in tests/e2e/test_multi_region.py).
struct KMSMultiRegionTests {
    @Test(arguments: StoreKind.allCases)
    func replicasShareMaterialAndAreDeletedBeforeThePrimary(_ kind: StoreKind) async throws {
        let clock = AdjustableWallClock()
        let f = try KMSFixture(kind, clock: clock)
        defer { f.cleanUp() }
        var west = f.alice
        west.region = try #require(Region("us-west-2"))
        var create = CreateKeyParameters()
        create.multiRegion = true
        let primary = try await f.kms.createKey(create, caller: f.alice)
        #expect(primary.id.hasPrefix("mrk-") && primary.isPrimary)
        let (blob, _) = try await f.kms.encrypt(keyID: primary.id, plaintext: [1, 2], context: EncryptionContext(), caller: f.alice)
        let replica = try await f.kms.replicateKey(ReplicateKeyParameters(keyID: primary.id, replicaRegion: "us-west-2"), caller: f.alice)
        #expect(replica.isReplica && replica.region == west.region)
        #expect(try await f.restarted(clock: clock).decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: west).plaintext == [1, 2])
        #expect(await code { _ = try await f.kms.replicateKey(ReplicateKeyParameters(keyID: primary.id, replicaRegion: "us-west-2"), caller: f.alice) } == .alreadyExists)
        #expect(try await f.kms.multiRegionCopies(of: primary).count == 2)

        #expect(try await f.kms.scheduleKeyDeletion(primary.id, windowDays: 7, caller: f.alice).state == .pendingReplicaDeletion)
        _ = try await f.kms.scheduleKeyDeletion(primary.id, windowDays: 7, caller: west)
        clock.advance(by: 8 * 86_400)
        var deleted = try await f.kms.runDueLifecycle().deleted
        deleted += try await f.kms.runDueLifecycle().deleted
        #expect(deleted == 2)
        #expect(try await f.store.keyCopies(id: primary.id).isEmpty)
        #expect(try await f.store.materials(keyID: primary.id).isEmpty)
    }
}

/// AWS managed keys: created once per account and region, usable only through their service.
struct KMSAWSManagedKeyTests {
    @Test(arguments: StoreKind.allCases)
    func awsManagedKeyWorksThroughItsServiceOnly(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.awsManagedKey(service: "s3", caller: f.alice)
        #expect(key.keyManager == .aws && key.awsService == "s3")
        #expect(try await f.restarted().describeKey("alias/aws/s3", caller: f.alice).id == key.id)
        var viaS3 = f.alice
        viaS3.viaService = "s3"
        let (blob, _) = try await f.kms.encrypt(keyID: "alias/aws/s3", plaintext: [9], context: EncryptionContext(), caller: viaS3)
        #expect(try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: viaS3).plaintext == [9])
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .accessDenied)
        var viaEBS = f.alice
        viaEBS.viaService = "ebs"
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: viaEBS) } == .accessDenied)
        #expect(try await f.kms.awsManagedKey(service: "s3", caller: f.bob).id != key.id)
    }
}
