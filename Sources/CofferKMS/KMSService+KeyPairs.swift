import CofferCore
import CofferCrypto
import Foundation

extension KMSService {
    /// GenerateDataKeyPair(WithoutPlaintext): a fresh key pair whose private key (PKCS #8 DER) is
    /// returned encrypted under a symmetric KMS key, bound to the encryption context.
    public func generateDataKeyPair(
        keyID: String, keyPairSpec: String, context: EncryptionContext, withoutPlaintext: Bool = false, caller: Caller
    ) async throws -> (privateKey: [UInt8], privateKeyCiphertext: [UInt8], publicKey: [UInt8], key: KMSKey) {
        let access = KeyAccess(
            withoutPlaintext ? "GenerateDataKeyPairWithoutPlaintext" : "GenerateDataKeyPair", context: context,
            conditions: ["kms:DataKeyPairSpec": [keyPairSpec]]
        )
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        try checkUsable(key, caller: caller)
        guard key.keySpec == .symmetricDefault, key.keyUsage == .encryptDecrypt else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) must be a symmetric encryption KMS key to protect a data key pair.")
        }
        let pair = try AsymmetricKey.generateDataKeyPair(keyPairSpec)
        guard pair.privateKeyPKCS8.count <= Self.maximumPlaintextLength else {
            throw KMSError(.internal, "The generated private key is larger than a KMS plaintext.")
        }
        let ciphertext = try await seal(pair.privateKeyPKCS8, under: key, context: context, caller: caller)
        return (pair.privateKeyPKCS8, ciphertext, pair.publicKey, key)
    }

    /// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and a peer's public key.
    public func deriveSharedSecret(keyID: String, peerPublicKey: [UInt8], caller: Caller) async throws -> (secret: [UInt8], key: KMSKey) {
        let access = KeyAccess("DeriveSharedSecret", conditions: ["kms:KeyAgreementAlgorithm": ["ECDH"]])
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .keyAgreement else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for DeriveSharedSecret.")
        }
        return (try await asymmetricKey(for: key, version: key.currentVersion).sharedSecret(peerPublicKeyDER: peerPublicKey), key)
    }
}
