import CofferCore
import CofferCrypto
import Crypto
import Testing

struct CiphertextBlobTests {
    let key = SymmetricKey(size: .bits256)
    let keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
    let context = EncryptionContext(["purpose": "test", "tenant": "a"])

    func seal(_ plaintext: [UInt8], version: UInt32 = 3) throws -> [UInt8] {
        try CiphertextBlob.seal(plaintext, keyID: keyID, keyVersion: version, key: key, context: context)
    }

    @Test(arguments: [1, 15, 16, 17, 4096])
    func roundTrips(_ length: Int) throws {
        let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
        let sealed = try seal(plaintext)
        #expect(sealed.count == plaintext.count + CiphertextBlob.overhead(keyIDLength: keyID.utf8.count))
        let blob = try CiphertextBlob(parsing: sealed)
        #expect(blob.keyID == keyID)
        #expect(blob.keyVersion == 3)
        #expect(try blob.open(with: key, context: context) == plaintext)
    }

    @Test func layoutStartsWithVersionAndKeyID() throws {
        let sealed = try seal([1, 2, 3], version: 0x0102_0304)
        #expect(sealed[0] == 0x01)
        #expect(Int(sealed[1]) == keyID.utf8.count)
        #expect(Array(sealed[2..<38]) == Array(keyID.utf8))
        #expect(Array(sealed[38..<42]) == [1, 2, 3, 4])
    }

    @Test func encryptionIsRandomized() throws {
        #expect(try seal([9, 9, 9]) != seal([9, 9, 9]))
    }

    @Test func everyFlippedByteFails() throws {
        let sealed = try seal(Array("attack at dawn".utf8))
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x01
            let opened = try? CiphertextBlob(parsing: tampered).open(with: key, context: context)
            #expect(opened == nil, "byte \(index) flipped and the blob still opened")
        }
    }

    @Test func truncationAndExtensionFail() throws {
        let sealed = try seal(Array("attack at dawn".utf8))
        for length in [0, 1, 2, 30, sealed.count - 1] {
            #expect((try? CiphertextBlob(parsing: Array(sealed.prefix(length))).open(with: key, context: context)) == nil)
        }
        #expect((try? CiphertextBlob(parsing: sealed + [0]).open(with: key, context: context)) == nil)
    }

    @Test func wrongContextOrKeyFails() throws {
        let blob = try CiphertextBlob(parsing: try seal([1, 2, 3]))
        #expect(throws: CofferCryptoError.self) { try blob.open(with: key, context: EncryptionContext(["purpose": "test"])) }
        #expect(throws: CofferCryptoError.self) { try blob.open(with: key, context: EncryptionContext()) }
        #expect(throws: CofferCryptoError.self) { try blob.open(with: SymmetricKey(size: .bits256), context: context) }
    }

    @Test func collidingContextsDoNotDecryptEachOther() throws {
        let sealed = try CiphertextBlob.seal([7], keyID: keyID, keyVersion: 1, key: key, context: EncryptionContext(["ab": "c"]))
        #expect(throws: CofferCryptoError.self) { try CiphertextBlob(parsing: sealed).open(with: key, context: EncryptionContext(["a": "bc"])) }
    }

    @Test func unknownFormatVersionIsRejected() throws {
        var sealed = try seal([1])
        sealed[0] = 0x02
        let error = #expect(throws: CofferCryptoError.self) { _ = try CiphertextBlob(parsing: sealed) }
        #expect(error?.code == .unsupportedVersion)
    }
}

struct SealedSecretTests {
    @Test func opensOnlyUnderTheSameLabelAndRootKey() throws {
        let root = RootKey.generate()
        let sealed = try root.seal(Array("secret".utf8), label: "kms-key-material:arn:v1")
        #expect(try root.open(sealed, label: "kms-key-material:arn:v1") == Array("secret".utf8))
        #expect(throws: CofferCryptoError.self) { try root.open(sealed, label: "kms-key-material:arn:v2") }
        #expect(throws: CofferCryptoError.self) { try RootKey.generate().open(sealed, label: "kms-key-material:arn:v1") }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 0x80
        #expect(throws: CofferCryptoError.self) { try root.open(tampered, label: "kms-key-material:arn:v1") }
    }

    @Test func sealedBytesDoNotContainThePlaintext() throws {
        let secret = Array("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".utf8)
        let sealed = try RootKey.generate().seal(secret, label: "x")
        #expect(!sealed.indices.contains { sealed[$0...].starts(with: secret.prefix(8)) })
    }

    @Test func rootKeyMustBe32BytesAndHasAStableFingerprint() throws {
        #expect(throws: CofferCryptoError.self) { _ = try RootKey(bytes: [UInt8](repeating: 1, count: 16)) }
        let a = try RootKey(bytes: [UInt8](repeating: 1, count: 32))
        let b = try RootKey(bytes: [UInt8](repeating: 1, count: 32))
        let c = try RootKey(bytes: [UInt8](repeating: 2, count: 32))
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
    }
}
