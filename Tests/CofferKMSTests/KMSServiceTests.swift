import CofferCore
import CofferCrypto
import CofferKMS
import Foundation
import Testing

/// The key ring's behaviour, identical over every store back end.
struct KMSServiceTests {
    @Test(arguments: StoreKind.allCases)
    func encryptDecryptRoundTripAcrossRestart(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        #expect(key.state == .enabled && key.keySpec == .symmetricDefault && key.keyUsage == .encryptDecrypt)
        #expect(key.arn == "arn:aws:kms:us-east-1:111122223333:key/\(key.id)")
        let context = EncryptionContext(["k": "v"])
        let (blob, used) = try await f.kms.encrypt(keyID: key.id, plaintext: Array("hello".utf8), context: context, caller: f.alice)
        #expect(used.id == key.id)
        let (plaintext, _) = try await f.restarted().decrypt(ciphertext: blob, context: context, keyID: nil, caller: f.alice)
        #expect(plaintext == Array("hello".utf8))
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .invalidCiphertext)
    }

    @Test(arguments: StoreKind.allCases)
    func keysAreAddressableByEveryForm(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        try await f.kms.createAlias(name: "alias/app", targetKeyID: key.id, caller: f.alice)
        for reference in [key.id, key.arn, "alias/app", "arn:aws:kms:us-east-1:111122223333:alias/app"] {
            #expect(try await f.kms.describeKey(reference, caller: f.alice).id == key.id)
        }
        for reference in ["alias/missing", "00000000-0000-0000-0000-000000000000", "not-a-key", "arn:aws:s3:::bucket"] {
            #expect(await code { _ = try await f.kms.describeKey(reference, caller: f.alice) } == .notFound)
        }
        // Aliases are not accepted where AWS wants a key id or ARN.
        #expect(await code { try await f.kms.disableKey("alias/app", caller: f.alice) } == .notFound)
        // Other regions do not see the key.
        var west = f.alice
        west.region = Region("eu-west-1")!
        #expect(await code { _ = try await f.kms.describeKey(key.id, caller: west) } == .notFound)
    }

    @Test(arguments: StoreKind.allCases)
    func otherAccountsCannotUseOrSeeKeys(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice)
        #expect(await code { _ = try await f.kms.describeKey(key.id, caller: f.bob) } == .notFound)
        #expect(await code { _ = try await f.kms.encrypt(keyID: key.arn, plaintext: [1], context: EncryptionContext(), caller: f.bob) } == .accessDenied)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.bob) } == .accessDenied)
        #expect(try await f.kms.listKeys(caller: f.bob, limit: 10, marker: nil).keys.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func disabledKeysRefuseCryptoUntilEnabled(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice)
        try await f.kms.disableKey(key.id, caller: f.alice)
        #expect(try await f.restarted().describeKey(key.id, caller: f.alice).state == .disabled)
        #expect(await code { _ = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice) } == .disabled)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .disabled)
        #expect(await code { _ = try await f.kms.generateDataKey(keyID: key.id, byteCount: 32, context: EncryptionContext(), caller: f.alice) } == .disabled)
        try await f.kms.enableKey(key.id, caller: f.alice)
        #expect(try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [1])
    }

    @Test(arguments: StoreKind.allCases)
    func decryptWithTheWrongKeyIDIsIncorrectKey(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let a = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let b = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: a.id, plaintext: [1], context: EncryptionContext(), caller: f.alice)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: b.id, caller: f.alice) } == .incorrectKey)
        #expect(try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: a.arn, caller: f.alice).key.id == a.id)
    }

    @Test(arguments: StoreKind.allCases)
    func reEncryptMovesCiphertextBetweenKeys(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let a = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let b = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let (blob, _) = try await f.kms.encrypt(keyID: a.id, plaintext: [4, 2], context: EncryptionContext(["s": "1"]), caller: f.alice)
        let result = try await f.kms.reEncrypt(
            ciphertext: blob, sourceContext: EncryptionContext(["s": "1"]), sourceKeyID: nil,
            destinationKeyID: b.id, destinationContext: EncryptionContext(["d": "2"]), caller: f.alice
        )
        #expect(result.sourceKey.id == a.id && result.destinationKey.id == b.id)
        let (plaintext, key) = try await f.kms.decrypt(ciphertext: result.ciphertext, context: EncryptionContext(["d": "2"]), keyID: nil, caller: f.alice)
        #expect(plaintext == [4, 2] && key.id == b.id)
    }

    @Test(arguments: StoreKind.allCases)
    func dataKeysHaveTheRequestedSizeAndDecrypt(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        for size in [1, 16, 32, 1024] {
            let result = try await f.kms.generateDataKey(keyID: key.id, byteCount: size, context: EncryptionContext(), caller: f.alice)
            #expect(result.plaintext.count == size)
            #expect(try await f.kms.decrypt(ciphertext: result.ciphertext, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == result.plaintext)
        }
        #expect(KMSService.randomBytes(64) != KMSService.randomBytes(64))
    }

    @Test(arguments: StoreKind.allCases)
    func listKeysPagesThroughEveryKeyOnce(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var created = Set<String>()
        for _ in 0..<5 { created.insert(try await f.kms.createKey(CreateKeyParameters(), caller: f.alice).id) }
        var seen: [String] = []
        var marker: String?
        repeat {
            let page = try await f.kms.listKeys(caller: f.alice, limit: 2, marker: marker)
            seen += page.keys.map(\.id)
            marker = page.nextMarker
        } while marker != nil
        #expect(seen.count == 5 && Set(seen) == created)
        #expect(await code { _ = try await f.kms.listKeys(caller: f.alice, limit: 2, marker: "bogus") } == .invalidMarker)
    }

    @Test(arguments: StoreKind.allCases)
    func aliasRulesFollowAWS(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let a = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let b = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        try await f.kms.createAlias(name: "alias/x", targetKeyID: a.id, caller: f.alice)
        #expect(await code { try await f.kms.createAlias(name: "alias/x", targetKeyID: b.id, caller: f.alice) } == .alreadyExists)
        #expect(await code { try await f.kms.createAlias(name: "x", targetKeyID: b.id, caller: f.alice) } == .validation)
        #expect(await code { try await f.kms.createAlias(name: "alias/aws/x", targetKeyID: b.id, caller: f.alice) } == .notAuthorized)
        #expect(await code { try await f.kms.createAlias(name: "alias/y", targetKeyID: "alias/x", caller: f.alice) } == .validation)
        #expect(await code { try await f.kms.createAlias(name: "alias/my:alias", targetKeyID: b.id, caller: f.alice) } == .validation)
        // The same name in another account is independent.
        let bobKey = try await f.kms.createKey(CreateKeyParameters(), caller: f.bob)
        try await f.kms.createAlias(name: "alias/x", targetKeyID: bobKey.id, caller: f.bob)
        try await f.kms.updateAlias(name: "alias/x", targetKeyID: b.id, caller: f.alice)
        #expect(try await f.kms.describeKey("alias/x", caller: f.alice).id == b.id)
        #expect(try await f.restarted().describeKey("alias/x", caller: f.alice).id == b.id)
        let listed = try await f.kms.listAliases(keyID: b.id, limit: 10, marker: nil, caller: f.alice)
        #expect(listed.aliases.map(\.name) == ["alias/x"])
        #expect(try await f.kms.listAliases(keyID: a.id, limit: 10, marker: nil, caller: f.alice).aliases.isEmpty)
        try await f.kms.deleteAlias(name: "alias/x", caller: f.alice)
        #expect(await code { _ = try await f.kms.describeKey("alias/x", caller: f.alice) } == .notFound)
        #expect(await code { try await f.kms.deleteAlias(name: "alias/x", caller: f.alice) } == .notFound)
        #expect(try await f.kms.describeKey("alias/x", caller: f.bob).id == bobKey.id)
    }

    @Test(arguments: StoreKind.allCases)
    func tagsFollowAWSRules(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var parameters = CreateKeyParameters()
        parameters.tags = [KMSTag(key: "b", value: "1")]
        let key = try await f.kms.createKey(parameters, caller: f.alice)
        try await f.kms.tagResource(keyID: key.id, tags: [KMSTag(key: "a", value: "2"), KMSTag(key: "b", value: "3")], caller: f.alice)
        #expect(try await f.restarted().listResourceTags(keyID: key.id, limit: 50, marker: nil, caller: f.alice).tags == [KMSTag(key: "a", value: "2"), KMSTag(key: "b", value: "3")])
        let firstPage = try await f.kms.listResourceTags(keyID: key.id, limit: 1, marker: nil, caller: f.alice)
        #expect(firstPage.tags.map(\.key) == ["a"] && firstPage.nextMarker == "a")
        try await f.kms.untagResource(keyID: key.id, tagKeys: ["a", "zz"], caller: f.alice)
        #expect(try await f.kms.listResourceTags(keyID: key.id, limit: 50, marker: nil, caller: f.alice).tags.map(\.key) == ["b"])
        #expect(await code { try await f.kms.tagResource(keyID: key.id, tags: [KMSTag(key: "aws:x", value: "")], caller: f.alice) } == .tag)
        let many = (0..<50).map { KMSTag(key: "t\($0)", value: "") }
        #expect(await code { try await f.kms.tagResource(keyID: key.id, tags: many, caller: f.alice) } == .tag)
    }

    @Test(arguments: StoreKind.allCases)
    func unsupportedKeySpecsAreRefusedClearly(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var parameters = CreateKeyParameters()
        parameters.keySpec = .sm2
        #expect(await code { _ = try await f.kms.createKey(parameters, caller: f.alice) } == .unsupportedOperation)
        parameters = CreateKeyParameters()
        parameters.keyUsage = .signVerify
        #expect(await code { _ = try await f.kms.createKey(parameters, caller: f.alice) } == .validation)
        parameters = CreateKeyParameters()
        parameters.policy = "not json"
        #expect(await code { _ = try await f.kms.createKey(parameters, caller: f.alice) } == .malformedPolicyDocument)
    }

    @Test(arguments: StoreKind.allCases)
    func keyMaterialIsStoredSealedAndBoundToItsKey(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        let material = try #require(try await f.store.material(keyID: key.id, version: 1))
        #expect(material.sealed.count == 32 + 29)
        #expect(throws: (any Error).self) { try f.rootKey.open(material.sealed, label: SealedKeyMaterial.sealingLabel(keyARN: key.arn, version: 2)) }
        #expect(try f.rootKey.open(material.sealed, label: SealedKeyMaterial.sealingLabel(keyARN: key.arn, version: 1)).count == 32)
    }

    @Test(arguments: StoreKind.allCases)
    func removeAllForgetsEverything(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        let key = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        try await f.kms.createAlias(name: "alias/gone", targetKeyID: key.id, caller: f.alice)
        try await f.kms.removeAll()
        #expect(await code { _ = try await f.kms.describeKey(key.id, caller: f.alice) } == .notFound)
        #expect(await code { _ = try await f.kms.describeKey("alias/gone", caller: f.alice) } == .notFound)
    }
}
