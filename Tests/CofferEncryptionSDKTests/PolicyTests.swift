import CofferEncryptionSDK
import Testing

@Suite("Commitment policy and encryption context")
struct PolicyTests {
    let keyring = Fixtures.aesKeyring()

    @Test("REQUIRE policies refuse non-committing suites for encryption", arguments: Fixtures.nonCommittingSuites)
    func requireRefusesLegacyEncrypt(_ suite: AlgorithmSuite) async {
        for policy in [CommitmentPolicy.requireEncryptRequireDecrypt, .requireEncryptAllowDecrypt] {
            await expectESDKError(.commitmentPolicyViolation) {
                try await EncryptionSDK(commitmentPolicy: policy).encrypt([1], keyring: keyring, algorithmSuite: suite)
            }
        }
    }

    @Test("FORBID refuses committing suites for encryption", arguments: Fixtures.committingSuites)
    func forbidRefusesCommittingEncrypt(_ suite: AlgorithmSuite) async {
        await expectESDKError(.commitmentPolicyViolation) {
            try await EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt).encrypt([1], keyring: keyring, algorithmSuite: suite)
        }
    }

    @Test("REQUIRE_REQUIRE refuses to decrypt non-committing messages; the ALLOW policies decrypt them")
    func decryptPolicies() async throws {
        let legacy = try await EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt).encrypt([5], keyring: keyring)
        await expectESDKError(.commitmentPolicyViolation) { try await EncryptionSDK().decrypt(legacy.ciphertext, keyring: keyring) }
        for policy in [CommitmentPolicy.requireEncryptAllowDecrypt, .forbidEncryptAllowDecrypt] {
            #expect(try await EncryptionSDK(commitmentPolicy: policy).decrypt(legacy.ciphertext, keyring: keyring).plaintext == [5])
        }
    }

    @Test("reserved prefix refused in user context")
    func reservedPrefix() async {
        await expectESDKError(.reservedEncryptionContextKey) {
            try await EncryptionSDK().encrypt([1], keyring: keyring, encryptionContext: ["aws-crypto-public-key": "x"])
        }
        await expectESDKError(.reservedEncryptionContextKey) {
            try await EncryptionSDK().encrypt([1], keyring: keyring, encryptionContext: ["aws-crypto-anything": "x"])
        }
    }

    @Test("a reproduced context that conflicts with the message fails")
    func reproducedMismatch() async throws {
        let sdk = EncryptionSDK()
        let message = try await sdk.encrypt([1], keyring: keyring, encryptionContext: ["tenant": "a"])
        await expectESDKError(.encryptionContextMismatch) {
            try await sdk.decrypt(message.ciphertext, keyring: keyring, encryptionContext: ["tenant": "b"])
        }
        #expect(try await sdk.decrypt(message.ciphertext, keyring: keyring, encryptionContext: ["tenant": "a"]).plaintext == [1])
        // Pairs not in the message become part of the keyring's AAD, so the data key no longer unwraps.
        await expectESDKError(.unableToDecryptDataKey) {
            try await sdk.decrypt(message.ciphertext, keyring: keyring, encryptionContext: ["extra": "x"])
        }
    }

    @Test("required encryption context CMM: keys are authenticated, not stored, and must be reproduced")
    func requiredContext() async throws {
        let sdk = EncryptionSDK()
        let cmm = RequiredEncryptionContextCMM(keyring: keyring, requiredEncryptionContextKeys: ["tenant"])
        let message = try await sdk.encrypt([7], materialsManager: cmm, encryptionContext: ["tenant": "a", "other": "o"])
        #expect(message.header.encryptionContext["tenant"] == nil)
        #expect(message.header.encryptionContext["other"] == "o")
        await expectESDKError(.missingRequiredEncryptionContext) { try await sdk.decrypt(message.ciphertext, materialsManager: cmm) }
        await expectESDKError(.unableToDecryptDataKey) {
            try await sdk.decrypt(message.ciphertext, materialsManager: cmm, encryptionContext: ["tenant": "b"])
        }
        let decrypted = try await sdk.decrypt(message.ciphertext, materialsManager: cmm, encryptionContext: ["tenant": "a"])
        #expect(decrypted.plaintext == [7])
        #expect(decrypted.encryptionContext["tenant"] == "a")
        await expectESDKError(.missingRequiredEncryptionContext) {
            try await sdk.encrypt([7], materialsManager: cmm, encryptionContext: ["other": "o"])
        }
    }

    @Test("encryption context serialization sorts keys by UTF-8 bytes")
    func contextOrder() async throws {
        let context = ["b": "2", "a": "1", "\u{e9}": "3", "Z": "4"]
        let message = try await EncryptionSDK().encrypt([1], keyring: keyring, encryptionContext: context,
                                                       algorithmSuite: .aes256GcmHkdfSha512CommitKey)
        // Header: version(1) suite(2) message ID(32) then AAD length(2), count(2), entries.
        let aad = Array(message.ciphertext[35...])
        #expect(aad[2...3] == [0, 4])
        #expect(aad[4...7] == [0, 1, UInt8(ascii: "Z"), 0])
        #expect(aad[10...12] == [0, 1, UInt8(ascii: "a")])
    }

    @Test("invalid arguments are refused")
    func invalidArguments() async {
        await expectESDKError(.invalidFrameLength) { try await EncryptionSDK().encrypt([1], keyring: keyring, frameLength: 0) }
        #expect(throws: ESDKError.self) { try RawAESKeyring(keyNamespace: "n", keyName: "k", wrappingKey: [1, 2, 3]) }
        #expect(throws: ESDKError.self) { try RawAESKeyring(keyNamespace: "aws-kms", keyName: "k", wrappingKey: Array(repeating: 0, count: 16)) }
        #expect(throws: ESDKError.self) { try RawRSAKeyring(keyNamespace: "n", keyName: "k", padding: .oaepSHA512MGF1, publicKeyPEM: "x") }
    }
}
