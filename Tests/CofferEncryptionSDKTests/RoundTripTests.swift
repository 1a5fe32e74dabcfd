import Foundation
import CofferEncryptionSDK
import Testing

@Suite("Round trips")
struct RoundTripTests {
    @Test("every suite round-trips at several sizes", arguments: AlgorithmSuite.allSuites)
    func everySuite(_ suite: AlgorithmSuite) async throws {
        let sdk = Fixtures.sdk(for: suite)
        let keyring = Fixtures.aesKeyring()
        for size in [0, 1, 127, 128, 129, 1000] {
            let plaintext = Fixtures.plaintext(size)
            let encrypted = try await sdk.encrypt(plaintext, keyring: keyring, encryptionContext: ["a": "b"], algorithmSuite: suite, frameLength: 128)
            #expect(encrypted.header.algorithmSuite == suite)
            #expect(encrypted.ciphertext[0] == suite.messageFormatVersion)
            let decrypted = try await sdk.decrypt(encrypted.ciphertext, keyring: keyring)
            #expect(decrypted.plaintext == plaintext)
            #expect(decrypted.encryptionContext["a"] == "b")
            #expect((decrypted.encryptionContext[publicKeyEncryptionContextKey] != nil) == (suite.signature != nil))
        }
    }

    @Test("default suite is 0x0578 under the default policy, 0x0378 under FORBID")
    func defaultSuites() async throws {
        let keyring = Fixtures.aesKeyring()
        let committed = try await EncryptionSDK().encrypt([1, 2, 3], keyring: keyring)
        #expect(committed.header.algorithmSuite.id == 0x0578)
        let legacy = try await EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt).encrypt([1, 2, 3], keyring: keyring)
        #expect(legacy.header.algorithmSuite.id == 0x0378)
        #expect(legacy.header.frameLength == 4096)
    }

    @Test("a plaintext that fills its frames exactly ends with an empty final frame, as Python writes")
    func exactFrames() async throws {
        let sdk = EncryptionSDK()
        let keyring = Fixtures.aesKeyring()
        let encrypted = try await sdk.encrypt(Fixtures.plaintext(256), keyring: keyring, algorithmSuite: .aes256GcmHkdfSha512CommitKey, frameLength: 128)
        let headerLength = encrypted.ciphertext.count - (2 * (4 + 12 + 128 + 16) + (4 + 4 + 12 + 4 + 0 + 16))
        #expect(Array(encrypted.ciphertext[(encrypted.ciphertext.count - 40)..<(encrypted.ciphertext.count - 32)]) == [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 3])
        #expect(headerLength > 0)
    }

    @Test("AES 128/192/256 wrapping keys, RSA paddings and a multi-keyring round-trip")
    func keyrings() async throws {
        let pem = try RSATestKey.privatePEM()
        var keyrings: [any Keyring] = [
            try RawAESKeyring(keyNamespace: "ns", keyName: "k128", wrappingKey: Array(repeating: 1, count: 16)),
            try RawAESKeyring(keyNamespace: "ns", keyName: "k192", wrappingKey: Array(repeating: 2, count: 24)),
            try RawAESKeyring(keyNamespace: "ns", keyName: "k256", wrappingKey: Array(repeating: 3, count: 32)),
        ]
        for padding in RSAPadding.allCases {
            keyrings.append(try RawRSAKeyring(keyNamespace: "ns", keyName: "rsa", padding: padding, privateKeyPEM: pem, provider: RSATestKey.provider))
        }
        keyrings.append(try MultiKeyring(generator: keyrings[0], children: [keyrings[4], keyrings[2]]))
        let sdk = EncryptionSDK()
        for keyring in keyrings {
            let encrypted = try await sdk.encrypt(Fixtures.plaintext(300), keyring: keyring)
            #expect(try await sdk.decrypt(encrypted.ciphertext, keyring: keyring).plaintext == Fixtures.plaintext(300))
        }
        // Any child of the multi-keyring can decrypt alone.
        let multi = try await sdk.encrypt([9], keyring: keyrings[keyrings.count - 1])
        #expect(multi.header.encryptedDataKeys.count == 3)
        #expect(try await sdk.decrypt(multi.ciphertext, keyring: keyrings[2]).plaintext == [9])
    }

    @Test("raw AES provider info is key name, tag bits, IV length and IV")
    func rawAESProviderInfo() async throws {
        let encrypted = try await EncryptionSDK().encrypt([1], keyring: Fixtures.aesKeyring("name"))
        let key = try #require(encrypted.header.encryptedDataKeys.first)
        #expect(key.providerID == "coffer-tests")
        #expect(key.providerInfo.count == 4 + 8 + 12)
        #expect(Array(key.providerInfo[0..<12]) == Array("name".utf8) + [0, 0, 0, 128, 0, 0, 0, 12])
        #expect(key.ciphertext.count == 32 + 16)
    }
}

extension RoundTripTests {
    @Test("Data overloads")
    func dataOverloads() async throws {
        let keyring = Fixtures.aesKeyring()
        let encrypted = try await EncryptionSDK().encrypt(Data([1, 2, 3]), keyring: keyring)
        #expect(try await EncryptionSDK().decrypt(Data(encrypted.ciphertext), keyring: keyring).plaintext == [1, 2, 3])
    }
}
