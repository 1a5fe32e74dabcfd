import CofferCore
import Foundation

/// How Sign and Verify interpret `Message` (AWS `MessageType`).
public enum SigningMessageType: String, Sendable {
    case raw = "RAW"
    case digest = "DIGEST"
    case externalMu = "EXTERNAL_MU"
}

extension KMSService {
    /// Resolves a signing key and checks state, usage, algorithm and message form.
    private func signingKey(
        _ keyID: String, operation: String, algorithm: String, message: [UInt8], messageType: SigningMessageType, caller: Caller
    ) async throws -> (KMSKey, AsymmetricKey) {
        let access = KeyAccess(operation, conditions: ["kms:SigningAlgorithm": [algorithm], "kms:MessageType": [messageType.rawValue]])
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .signVerify else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for this operation.")
        }
        guard let expected = AsymmetricKey.signingAlgorithms(for: key.keySpec).first(where: { $0.name == algorithm }) else {
            throw KMSError(.invalidKeyUsage, "Algorithm \(algorithm) is incompatible with key spec \(key.keySpec.rawValue).")
        }
        if algorithm == "ED25519_PH_SHA_512" {
            throw KMSError(.unsupportedOperation, "ED25519_PH_SHA_512 (HashEdDSA) is not supported by this server; use ED25519_SHA_512.")
        }
        if algorithm == "ED25519_SHA_512", messageType != .raw {
            throw KMSError(.validation, "ED25519_SHA_512 signs RAW messages only.")
        }
        let isMLDSA = algorithm == "ML_DSA_SHAKE_256"
        switch messageType {
        case .raw: break
        case .digest:
            if isMLDSA { throw KMSError(.validation, "ML_DSA_SHAKE_256 signs RAW or EXTERNAL_MU messages, not DIGEST.") }
            guard message.count == expected.digestBytes else {
                throw KMSError(.validation, "Digest is invalid length for algorithm \(algorithm).")
            }
        case .externalMu:
            guard isMLDSA else { throw KMSError(.validation, "MessageType EXTERNAL_MU is only valid with ML-DSA keys.") }
            guard message.count == expected.digestBytes else {
                throw KMSError(.validation, "An EXTERNAL_MU message must be the 64-byte mu for algorithm \(algorithm).")
            }
            if operation == "Verify" {
                throw KMSError(
                    .unsupportedOperation,
                    "Verify with MessageType EXTERNAL_MU is not supported by this server: its crypto library cannot verify against a precomputed mu. Verify the RAW message, or verify locally with the public key.")
            }
        }
        return (key, try await asymmetricKey(for: key, version: key.currentVersion))
    }

    /// Sign: a signature of a message, or (ECC) of a digest the caller computed.
    public func sign(
        keyID: String, message: [UInt8], messageType: SigningMessageType, algorithm: String, caller: Caller
    ) async throws -> (signature: [UInt8], key: KMSKey) {
        let (key, signer) = try await signingKey(keyID, operation: "Sign", algorithm: algorithm, message: message, messageType: messageType, caller: caller)
        if messageType == .externalMu { return (try signer.sign(mu: message), key) }
        return (try signer.sign(message, algorithm: algorithm, isDigest: messageType == .digest), key)
    }

    /// Verify: a bad signature is KMSInvalidSignatureException, as in AWS, never `false`.
    public func verify(
        keyID: String, message: [UInt8], messageType: SigningMessageType, signature: [UInt8], algorithm: String, caller: Caller
    ) async throws -> KMSKey {
        let (key, signer) = try await signingKey(keyID, operation: "Verify", algorithm: algorithm, message: message, messageType: messageType, caller: caller)
        guard try signer.verify(signature, message: message, algorithm: algorithm, isDigest: messageType == .digest) else {
            throw KMSError(.invalidSignature, "")
        }
        return key
    }

    /// GetPublicKey: the DER SubjectPublicKeyInfo of an asymmetric key.
    public func publicKey(keyID: String, caller: Caller) async throws -> (der: [UInt8], key: KMSKey) {
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: KeyAccess("GetPublicKey"))
        try checkUsable(key, caller: caller)
        guard AsymmetricKey.isAsymmetric(key.keySpec) else {
            throw KMSError(.unsupportedOperation, "\(key.arn) is a symmetric key; it has no public key.")
        }
        let asymmetric = try await asymmetricKey(for: key, version: key.currentVersion)
        return (try asymmetric.publicKeyDER, key)
    }
}
