import CofferCore
import CofferCrypto
import Crypto
import Foundation

extension KMSService {
    /// AWS's limits on plaintext and ciphertext sizes.
    public static let maximumPlaintextLength = 4096
    public static let maximumCiphertextLength = 6144

    /// Checks that a key can encrypt, and returns its current material.
    private func encryptionMaterial(_ key: KMSKey, caller: Caller) async throws -> SymmetricKey {
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .encryptDecrypt, key.keySpec == .symmetricDefault else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for this operation.")
        }
        return try await material(for: key, version: key.currentVersion)
    }

    func seal(_ plaintext: [UInt8], under key: KMSKey, context: EncryptionContext, caller: Caller) async throws -> [UInt8] {
        let material = try await encryptionMaterial(key, caller: caller)
        return try CiphertextBlob.seal(plaintext, keyID: key.id, keyVersion: key.currentVersion, key: material, context: context)
    }

    /// Encrypt: seals up to 4096 bytes under a symmetric key's current version, or encrypts with
    /// RSAES-OAEP under an RSA key (`algorithm` RSAES_OAEP_SHA_1/256).
    public func encrypt(
        keyID: String, plaintext: [UInt8], context: EncryptionContext, algorithm: String? = nil, caller: Caller
    ) async throws -> (ciphertext: [UInt8], key: KMSKey) {
        let access = KeyAccess("Encrypt", context: context, conditions: ["kms:EncryptionAlgorithm": [algorithm ?? "SYMMETRIC_DEFAULT"]])
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        guard let algorithm, algorithm != "SYMMETRIC_DEFAULT" else {
            return (try await seal(plaintext, under: key, context: context, caller: caller), key)
        }
        let rsa = try await rsaEncryptionKey(key, algorithm: algorithm, context: context, caller: caller)
        guard plaintext.count <= rsa.maximumOAEPPlaintext(algorithm: algorithm) else {
            throw KMSError(.validation, "Plaintext is too long for \(algorithm) with \(key.keySpec.rawValue): at most \(rsa.maximumOAEPPlaintext(algorithm: algorithm)) bytes.")
        }
        return (try rsa.encrypt(plaintext, algorithm: algorithm), key)
    }

    /// Checks that an RSA key may encrypt or decrypt with `algorithm`, and returns its private key.
    private func rsaEncryptionKey(_ key: KMSKey, algorithm: String, context: EncryptionContext, caller: Caller) async throws -> AsymmetricKey {
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .encryptDecrypt, AsymmetricKey.isRSA(key.keySpec), AsymmetricKey.rsaEncryptionAlgorithms.contains(algorithm) else {
            throw KMSError(.invalidKeyUsage, "The encryption algorithm \(algorithm) is not valid for \(key.arn) (\(key.keySpec.rawValue), \(key.keyUsage.rawValue)).")
        }
        guard context.isEmpty else {
            throw KMSError(.validation, "EncryptionContext is not supported with asymmetric KMS keys.")
        }
        return try await asymmetricKey(for: key, version: key.currentVersion)
    }

    /// Decrypt with an RSA key and RSAES-OAEP; the key must be named.
    private func decryptRSA(
        ciphertext: [UInt8], context: EncryptionContext, keyID: String?, algorithm: String, operation: String, caller: Caller
    ) async throws -> (plaintext: [UInt8], key: KMSKey) {
        guard let keyID else {
            throw KMSError(.validation, "KeyId is required to decrypt with an asymmetric KMS key.")
        }
        let access = KeyAccess(operation, context: context, conditions: ["kms:EncryptionAlgorithm": [algorithm]])
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        let rsa = try await rsaEncryptionKey(key, algorithm: algorithm, context: context, caller: caller)
        do {
            return (try rsa.decrypt(ciphertext, algorithm: algorithm), key)
        } catch {
            throw KMSError(.invalidCiphertext, "")
        }
    }

    /// Decrypt: finds the key from the blob; a given `keyID` must name that same key. ReEncrypt
    /// decrypts as `ReEncryptFrom`.
    public func decrypt(
        ciphertext: [UInt8], context: EncryptionContext, keyID: String?, algorithm: String? = nil, operation: String = "Decrypt", caller: Caller
    ) async throws -> (plaintext: [UInt8], key: KMSKey) {
        if let algorithm, algorithm != "SYMMETRIC_DEFAULT" {
            return try await decryptRSA(ciphertext: ciphertext, context: context, keyID: keyID, algorithm: algorithm, operation: operation, caller: caller)
        }
        let access = KeyAccess(operation, context: context, conditions: ["kms:EncryptionAlgorithm": ["SYMMETRIC_DEFAULT"]])
        var named: KMSKey?
        var requestAlias: String?
        if let keyID {
            let reference = try KeyReference(parsing: keyID, forms: .keyOrAlias)
            if case .aliasName(let name) = reference { requestAlias = name }
            if case .aliasARN(_, _, let name) = reference { requestAlias = name }
            let key = try await locate(reference, caller: caller)
            guard key.keySpec == .symmetricDefault else {
                throw KMSError(.invalidKeyUsage, "The encryption algorithm SYMMETRIC_DEFAULT is not valid for \(key.arn) (\(key.keySpec.rawValue)).")
            }
            named = key
        }
        let blob: CiphertextBlob
        do {
            blob = try CiphertextBlob(parsing: ciphertext)
        } catch {
            throw KMSError(.invalidCiphertext, "")
        }
        guard let key = try await loadKey(id: blob.keyID, region: caller.region) else {
            throw KMSError(.invalidCiphertext, "")
        }
        if let named {
            guard named.id == key.id else {
                throw KMSError(.incorrectKey, "The key ID in the request does not identify a CMK that can perform this operation.")
            }
        }
        try await authorize(caller, key: key, access: access, requestAlias: requestAlias)
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .encryptDecrypt, key.keySpec == .symmetricDefault else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for this operation.")
        }
        guard blob.keyVersion >= 1, blob.keyVersion <= key.currentVersion else { throw KMSError(.invalidCiphertext, "") }
        let material = try await material(for: key, version: blob.keyVersion)
        do {
            return (try blob.open(with: material, context: context), key)
        } catch {
            throw KMSError(.invalidCiphertext, "")
        }
    }

    /// ReEncrypt: decrypts under the source key and encrypts under the destination key without
    /// the plaintext leaving the server.
    public func reEncrypt(
        ciphertext: [UInt8], sourceContext: EncryptionContext, sourceKeyID: String?,
        destinationKeyID: String, destinationContext: EncryptionContext, caller: Caller
    ) async throws -> (ciphertext: [UInt8], sourceKey: KMSKey, destinationKey: KMSKey) {
        var conditions: [String: [String]] = ["kms:EncryptionAlgorithm": ["SYMMETRIC_DEFAULT"]]
        let destinationReference = try KeyReference(parsing: destinationKeyID, forms: .keyOrAlias)
        let destination = try await locate(destinationReference, caller: caller)
        if let sourceKeyID, let source = try? await locate(KeyReference(parsing: sourceKeyID, forms: .keyOrAlias), caller: caller) {
            conditions["kms:ReEncryptOnSameKey"] = [source.id == destination.id ? "true" : "false"]
        }
        let (plaintext, source) = try await decrypt(
            ciphertext: ciphertext, context: sourceContext, keyID: sourceKeyID, operation: "ReEncryptFrom", caller: caller
        )
        conditions["kms:ReEncryptOnSameKey"] = [source.id == destination.id ? "true" : "false"]
        try await authorize(caller, key: destination, access: KeyAccess("ReEncryptTo", context: destinationContext, conditions: conditions))
        return (try await seal(plaintext, under: destination, context: destinationContext, caller: caller), source, destination)
    }

    /// GenerateDataKey / GenerateDataKeyWithoutPlaintext: a fresh random data key and its
    /// encrypted copy.
    public func generateDataKey(
        keyID: String, byteCount: Int, context: EncryptionContext, withoutPlaintext: Bool = false, caller: Caller
    ) async throws -> (plaintext: [UInt8], ciphertext: [UInt8], key: KMSKey) {
        let access = KeyAccess(withoutPlaintext ? "GenerateDataKeyWithoutPlaintext" : "GenerateDataKey", context: context)
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: access)
        let dataKey = Self.randomBytes(byteCount)
        return (dataKey, try await seal(dataKey, under: key, context: context, caller: caller), key)
    }

    /// GenerateRandom and data keys: bytes from the kernel's CSPRNG (see ``SecureRandom``).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        SecureRandom.bytes(count)
    }
}
