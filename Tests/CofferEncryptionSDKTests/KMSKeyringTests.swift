import CofferEncryptionSDK
import Crypto
import Foundation
import Synchronization
import Testing

/// An in-memory KMS: each key ARN has an AES key; ciphertext blobs name their key.
final class FakeKMS: KMSClient {
    struct Call: Sendable, Equatable {
        var operation: String
        var keyId: String
        var encryptionContext: [String: String]
        var grantTokens: [String]
    }

    let keys: [String: SymmetricKey]
    let aliases: [String: String]
    let responseKeyOverride: String?
    let calls = Mutex<[Call]>([])

    init(arns: [String], aliases: [String: String] = [:], responseKeyOverride: String? = nil) {
        keys = Dictionary(uniqueKeysWithValues: arns.map { ($0, SymmetricKey(size: .bits256)) })
        self.aliases = aliases
        self.responseKeyOverride = responseKeyOverride
    }

    struct NotFound: Error {}

    private func resolve(_ keyId: String) throws -> (String, SymmetricKey) {
        let arn = aliases[keyId] ?? keyId
        guard let key = keys[arn] else { throw NotFound() }
        return (arn, key)
    }

    private func seal(_ plaintext: [UInt8], arn: String, key: SymmetricKey, context: [String: String]) throws -> [UInt8] {
        let aad = Array(context.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value);" }.joined().utf8)
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: aad)
        return Array(arn.utf8) + [0] + Array(box.combined!)  // Invariant: 12-byte nonces always give a combined form.
    }

    func generateDataKey(_ request: KMSGenerateDataKeyRequest) async throws -> KMSGenerateDataKeyResponse {
        calls.withLock { $0.append(Call(operation: "GenerateDataKey", keyId: request.keyId, encryptionContext: request.encryptionContext, grantTokens: request.grantTokens)) }
        let (arn, key) = try resolve(request.keyId)
        let plaintext = (0..<request.numberOfBytes).map { _ in UInt8.random(in: 0...255) }
        return KMSGenerateDataKeyResponse(keyId: responseKeyOverride ?? arn, plaintext: plaintext,
                                          ciphertextBlob: try seal(plaintext, arn: arn, key: key, context: request.encryptionContext))
    }

    func encrypt(_ request: KMSEncryptRequest) async throws -> KMSEncryptResponse {
        calls.withLock { $0.append(Call(operation: "Encrypt", keyId: request.keyId, encryptionContext: request.encryptionContext, grantTokens: request.grantTokens)) }
        let (arn, key) = try resolve(request.keyId)
        return KMSEncryptResponse(keyId: responseKeyOverride ?? arn, ciphertextBlob: try seal(request.plaintext, arn: arn, key: key, context: request.encryptionContext))
    }

    func decrypt(_ request: KMSDecryptRequest) async throws -> KMSDecryptResponse {
        calls.withLock { $0.append(Call(operation: "Decrypt", keyId: request.keyId, encryptionContext: request.encryptionContext, grantTokens: request.grantTokens)) }
        guard let separator = request.ciphertextBlob.firstIndex(of: 0) else { throw NotFound() }
        let arn = String(decoding: request.ciphertextBlob[..<separator], as: UTF8.self)
        let (_, key) = try resolve(arn)
        let aad = Array(request.encryptionContext.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value);" }.joined().utf8)
        let plaintext = try AES.GCM.open(AES.GCM.SealedBox(combined: request.ciphertextBlob[(separator + 1)...]), using: key, authenticating: aad)
        return KMSDecryptResponse(keyId: responseKeyOverride ?? arn, plaintext: Array(plaintext))
    }
}

@Suite("AWS KMS keyrings")
struct KMSKeyringTests {
    static let arnA = "arn:aws:kms:us-west-2:111122223333:key/aaaaaaaa-1111-2222-3333-444444444444"
    static let arnB = "arn:aws:kms:eu-west-1:444455556666:key/bbbbbbbb-1111-2222-3333-444444444444"
    let sdk = EncryptionSDK()

    @Test("the key ARN from KMS goes into provider info; the context and grant tokens reach KMS")
    func roundTrip() async throws {
        let kms = FakeKMS(arns: [Self.arnA], aliases: ["alias/app": Self.arnA])
        let keyring = try AwsKmsKeyring(keyId: "alias/app", client: kms, grantTokens: ["grant"])
        let message = try await sdk.encrypt([1, 2, 3], keyring: keyring, encryptionContext: ["tenant": "t"])
        let key = try #require(message.header.encryptedDataKeys.first)
        #expect(key.providerID == "aws-kms")
        #expect(String(decoding: key.providerInfo, as: UTF8.self) == Self.arnA)
        let call = try #require(kms.calls.withLock { $0.first })
        #expect(call.operation == "GenerateDataKey")
        #expect(call.encryptionContext["tenant"] == "t")
        #expect(call.encryptionContext[publicKeyEncryptionContextKey] != nil)
        #expect(call.grantTokens == ["grant"])
        // Decrypting needs the keyring configured with the key ARN itself.
        let byARN = try AwsKmsKeyring(keyId: Self.arnA, client: kms)
        #expect(try await sdk.decrypt(message.ciphertext, keyring: byARN).plaintext == [1, 2, 3])
        await expectESDKError(.unableToDecryptDataKey) { try await sdk.decrypt(message.ciphertext, keyring: keyring) }
    }

    @Test("a multi-keyring with a KMS generator and a KMS child calls GenerateDataKey then Encrypt")
    func multi() async throws {
        let kms = FakeKMS(arns: [Self.arnA, Self.arnB])
        let keyring = try MultiKeyring(generator: try AwsKmsKeyring(keyId: Self.arnA, client: kms), children: [try AwsKmsKeyring(keyId: Self.arnB, client: kms)])
        let message = try await sdk.encrypt([4], keyring: keyring)
        #expect(kms.calls.withLock { $0.map(\.operation) } == ["GenerateDataKey", "Encrypt"])
        #expect(message.header.encryptedDataKeys.count == 2)
        #expect(try await sdk.decrypt(message.ciphertext, keyring: try AwsKmsKeyring(keyId: Self.arnB, client: kms)).plaintext == [4])
    }

    @Test("a response KeyId that differs from the requested key is refused")
    func responseKeyChecked() async throws {
        let honest = FakeKMS(arns: [Self.arnA])
        let message = try await sdk.encrypt([1], keyring: try AwsKmsKeyring(keyId: Self.arnA, client: honest))
        let lying = FakeKMS(arns: [Self.arnA], responseKeyOverride: Self.arnB)
        await expectESDKError(.unableToDecryptDataKey) {
            try await sdk.decrypt(message.ciphertext, keyring: try AwsKmsKeyring(keyId: Self.arnA, client: lying))
        }
        let aliasReturning = FakeKMS(arns: [Self.arnA], responseKeyOverride: "alias/x")
        await expectESDKError(.kmsResponseInvalid) {
            try await sdk.encrypt([1], keyring: try AwsKmsKeyring(keyId: Self.arnA, client: aliasReturning))
        }
    }

    @Test("discovery keyring decrypts with the ARN from the message, within its filter")
    func discovery() async throws {
        let kms = FakeKMS(arns: [Self.arnA, Self.arnB])
        let message = try await sdk.encrypt([8], keyring: try AwsKmsKeyring(keyId: Self.arnB, client: kms))
        #expect(try await sdk.decrypt(message.ciphertext, keyring: AwsKmsDiscoveryKeyring(client: kms)).plaintext == [8])
        let allowed = try KMSDiscoveryFilter(partition: "aws", accountIDs: ["444455556666"])
        #expect(try await sdk.decrypt(message.ciphertext, keyring: AwsKmsDiscoveryKeyring(client: kms, discoveryFilter: allowed)).plaintext == [8])
        for filter in [try KMSDiscoveryFilter(partition: "aws", accountIDs: ["111122223333"]),
                       try KMSDiscoveryFilter(partition: "aws-cn", accountIDs: ["444455556666"])] {
            await expectESDKError(.unableToDecryptDataKey) {
                try await sdk.decrypt(message.ciphertext, keyring: AwsKmsDiscoveryKeyring(client: kms, discoveryFilter: filter))
            }
        }
        await expectESDKError(.keyringFailure) { try await sdk.encrypt([1], keyring: AwsKmsDiscoveryKeyring(client: kms)) }
    }

    @Test("ARN parsing")
    func arns() {
        #expect(KMSKeyARN(Self.arnA)?.account == "111122223333")
        #expect(KMSKeyARN(Self.arnA)?.isKey == true)
        #expect(KMSKeyARN("arn:aws:kms:us-west-2:111122223333:alias/app")?.isKey == false)
        #expect(KMSKeyARN("alias/app") == nil)
        #expect(KMSKeyARN("arn:aws:s3:us-west-2:111122223333:key/x") == nil)
        #expect(KMSKeyARN("arn:aws:kms:us-west-2:111122223333:key/") == nil)
    }
}
