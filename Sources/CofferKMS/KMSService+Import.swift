import CofferCore
import CofferCrypto
import Crypto
import Foundation
import _CryptoExtras

/// The parameters GetParametersForImport returns.
public struct ImportParameters: Sendable {
    public var key: KMSKey
    public var importToken: [UInt8]
    /// The wrapping public key, DER SubjectPublicKeyInfo.
    public var publicKey: [UInt8]
    public var validTo: Date
}

/// Whether ImportKeyMaterial brings new material or re-imports the material imported before.
public enum ImportType: String, Sendable {
    case newKeyMaterial = "NEW_KEY_MATERIAL"
    case existingKeyMaterial = "EXISTING_KEY_MATERIAL"
}

/// ImportKeyMaterial's parameters, already type-checked by the wire layer.
public struct ImportKeyMaterialParameters: Sendable {
    public var keyID: String
    public var importToken: [UInt8]
    public var encryptedKeyMaterial: [UInt8]
    public var validTo: Date?
    public var expirationModel: ExpirationModel?
    public var importType: ImportType?
    public var keyMaterialID: String?

    public init(keyID: String, importToken: [UInt8], encryptedKeyMaterial: [UInt8]) {
        self.keyID = keyID
        self.importToken = importToken
        self.encryptedKeyMaterial = encryptedKeyMaterial
    }
}

extension KMSService {
    /// The longest ValidTo AWS accepts: 365 days from the request.
    public static let maximumImportValidity: TimeInterval = 365 * 86_400

    /// Keys that take imported material: Origin EXTERNAL, not on their way to deletion.
    private func importableKey(_ keyID: String, operation: String, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess(operation))
        guard key.origin == .external else {
            throw KMSError(.unsupportedOperation, "\(key.arn) has Origin \(key.origin.rawValue); key material can be imported only into keys created with Origin EXTERNAL.")
        }
        return key
    }

    /// GetParametersForImport: a fresh RSA wrapping key pair and an import token that carries its
    /// private half, valid for 24 hours and for this key only.
    public func parametersForImport(
        _ keyID: String, wrappingAlgorithm: String, wrappingKeySpec: String, caller: Caller
    ) async throws -> ImportParameters {
        let key = try await importableKey(keyID, operation: "GetParametersForImport", caller: caller)
        if key.state == .pendingDeletion || key.state == .pendingReplicaDeletion {
            throw KMSError(.invalidState, "\(key.arn) is \(key.state.rawValue)")
        }
        guard let algorithm = WrappingAlgorithm(rawValue: wrappingAlgorithm) else {
            throw KMSError(.unsupportedOperation, "WrappingAlgorithm \(wrappingAlgorithm) is not supported; use RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.")
        }
        let bits: Int
        switch wrappingKeySpec {
        case "RSA_2048": bits = 2048
        case "RSA_3072": bits = 3072
        case "RSA_4096": bits = 4096
        default: throw KMSError(.unsupportedOperation, "WrappingKeySpec \(wrappingKeySpec) is not supported; use RSA_2048, RSA_3072 or RSA_4096.")
        }
        let privateKey = try _RSA.Encryption.PrivateKey(keySize: .init(bitCount: bits))
        let validTo = clock.now().addingTimeInterval(ImportToken.lifetime)
        let token = ImportToken(algorithm: algorithm, validTo: validTo, privateKeyDER: Array(privateKey.derRepresentation))
        return ImportParameters(
            key: key, importToken: try token.sealed(rootKey: rootKey, keyARN: key.arn),
            publicKey: Array(privateKey.publicKey.derRepresentation), validTo: validTo
        )
    }

    /// ImportKeyMaterial: unwraps the material with the token's private key, checks it fits the
    /// key spec (and, on re-import, that it is the material imported before), and seals it.
    public func importKeyMaterial(_ parameters: ImportKeyMaterialParameters, caller: Caller) async throws -> (key: KMSKey, keyMaterialID: String) {
        let key = try await importableKey(parameters.keyID, operation: "ImportKeyMaterial", caller: caller)
        let arn = key.arn
        try Self.checkImportable(key.state, arn: arn)
        let token = try ImportToken.open(parameters.importToken, rootKey: rootKey, keyARN: arn)
        let now = clock.now()
        guard now < token.validTo else {
            throw KMSError(.expiredImportToken, "The import token expired at \(token.validTo); call GetParametersForImport again.")
        }
        let model = parameters.expirationModel ?? .expires
        switch model {
        case .expires:
            guard let validTo = parameters.validTo else {
                throw KMSError(.validation, "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.")
            }
            guard validTo > now, validTo.timeIntervalSince(now) <= Self.maximumImportValidity else {
                throw KMSError(.validation, "ValidTo must be in the future and at most 365 days from now.")
            }
        case .doesNotExpire:
            guard parameters.validTo == nil else {
                throw KMSError(.validation, "ValidTo is not valid when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.")
            }
        }
        let unwrapped = try Self.unwrap(parameters.encryptedKeyMaterial, token: token)
        let material = try Self.normalizedImportedMaterial(unwrapped, spec: key.keySpec)
        let materialID = try importedMaterialID(keyID: key.id, material: material)
        if let given = parameters.keyMaterialID, !Bytes.constantTimeEquals(Array(given.utf8), Array(materialID.utf8)) {
            throw KMSError(.incorrectKeyMaterial, "The key material does not match KeyMaterialId \(given).")
        }
        switch parameters.importType {
        case .newKeyMaterial? where key.importedMaterialID != nil:
            throw KMSError(.unsupportedOperation, "Importing new key material into \(arn), which already has imported material, is not supported by this server; re-import the same material.")
        case .existingKeyMaterial? where key.importedMaterialID == nil:
            throw KMSError(.incorrectKeyMaterial, "No key material was imported into \(arn) before; use ImportType NEW_KEY_MATERIAL.")
        default: break
        }
        let sealed = try rootKey.seal(material, label: key.materialLabel(version: 1))
        let validTo = model == .expires ? parameters.validTo : nil
        let updated = try await store.replaceMaterial(
            keyID: key.id, region: key.region, with: SealedKeyMaterial(keyID: key.id, version: 1, sealed: sealed, creationDate: now)
        ) { key in
            try Self.checkImportable(key.state, arn: arn)
            // The first import fixes the material; every later one must bring the same bytes.
            if let previous = key.importedMaterialID, !Bytes.constantTimeEquals(Array(previous.utf8), Array(materialID.utf8)) {
                throw KMSError(.incorrectKeyMaterial, "The key material is not the key material previously imported into \(arn).")
            }
            key.importedMaterialID = materialID
            key.currentVersion = 1
            key.expirationModel = model
            key.materialValidTo = validTo
            if key.state == .pendingImport { key.state = .enabled }
        }
        guard let updated else { throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue) }
        uncacheMaterial(keyID: key.id)
        cache(updated)
        return (updated, materialID)
    }

    /// DeleteImportedKeyMaterial: the key becomes PendingImport (a key pending deletion stays so)
    /// until the same material is imported again.
    public func deleteImportedKeyMaterial(_ keyID: String, keyMaterialID: String?, caller: Caller) async throws -> (key: KMSKey, keyMaterialID: String?) {
        let key = try await importableKey(keyID, operation: "DeleteImportedKeyMaterial", caller: caller)
        if let keyMaterialID, keyMaterialID != key.importedMaterialID {
            throw KMSError(.notFound, "Key material \(keyMaterialID) is not associated with \(key.arn).")
        }
        let updated = try await removeImportedMaterial(key)
        return (updated, updated.importedMaterialID)
    }

    /// Deletes expired imported material (the lifecycle sweep).
    func expireImportedMaterial(_ key: KMSKey) async throws {
        _ = try await removeImportedMaterial(key)
    }

    private func removeImportedMaterial(_ key: KMSKey) async throws -> KMSKey {
        let updated = try await store.replaceMaterial(keyID: key.id, region: key.region, with: nil) { key in
            key.materialValidTo = nil
            key.expirationModel = nil
            key.currentVersion = 0
            if key.state != .pendingDeletion && key.state != .pendingReplicaDeletion { key.state = .pendingImport }
        }
        guard let updated else { throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue) }
        uncacheMaterial(keyID: key.id)
        cache(updated)
        return updated
    }

    private static func checkImportable(_ state: KeyState, arn: String) throws {
        guard state == .pendingImport || state == .enabled || state == .disabled else {
            throw KMSError(.invalidState, "\(arn) is \(state.rawValue)")
        }
    }

    /// Undoes the wrapping: RSA-OAEP of the material, or RSA-OAEP of an ephemeral AES key
    /// followed by the material under RFC 5649 key wrap with padding.
    private static func unwrap(_ ciphertext: [UInt8], token: ImportToken) throws -> [UInt8] {
        let invalid = KMSError(.invalidCiphertext, "The wrapped key material could not be decrypted with the import token's wrapping key.")
        guard let privateKey = try? _RSA.Encryption.PrivateKey(derRepresentation: token.privateKeyDER) else {
            throw KMSError(.internal, "The import token's wrapping key could not be read.")
        }
        let sha1 = token.algorithm == .rsaesOAEPSHA1 || token.algorithm == .rsaAESKeyWrapSHA1
        let padding: _RSA.Encryption.Padding = sha1 ? .PKCS1_OAEP : .PKCS1_OAEP_SHA256
        switch token.algorithm {
        case .rsaesOAEPSHA1, .rsaesOAEPSHA256:
            guard let plaintext = try? privateKey.decrypt(ciphertext, padding: padding) else { throw invalid }
            return Array(plaintext)
        case .rsaAESKeyWrapSHA1, .rsaAESKeyWrapSHA256:
            let modulusBytes = privateKey.keySizeInBits / 8
            guard ciphertext.count > modulusBytes,
                  let aesKey = try? privateKey.decrypt(ciphertext[..<modulusBytes], padding: padding),
                  [16, 24, 32].contains(aesKey.count),
                  let material = AESKeyWrapPadding.unwrap(Array(ciphertext[modulusBytes...]), kek: SymmetricKey(data: aesKey))
            else { throw invalid }
            return material
        }
    }

    /// Checks imported material against the key spec and returns it in the form it is sealed in.
    static func normalizedImportedMaterial(_ material: [UInt8], spec: KeySpec) throws -> [UInt8] {
        let incorrect = KMSError(.incorrectKeyMaterial, "The imported key material is not valid for KeySpec \(spec.rawValue).")
        switch spec {
        case .symmetricDefault:
            guard material.count == 32 else { throw incorrect }
            return material
        case .hmac224, .hmac256, .hmac384, .hmac512:
            // At least the MAC's own key length; at most its hash's block size.
            let blockSize = spec == .hmac224 || spec == .hmac256 ? 64 : 128
            guard let mac = spec.macAlgorithm, (mac.keyBytes...blockSize).contains(material.count) else { throw incorrect }
            return material
        case .eccNistP256:
            guard let key = try? P256.Signing.PrivateKey(derRepresentation: material) else { throw incorrect }
            return Array(key.rawRepresentation)
        case .eccNistP384:
            guard let key = try? P384.Signing.PrivateKey(derRepresentation: material) else { throw incorrect }
            return Array(key.rawRepresentation)
        case .eccNistP521:
            guard let key = try? P521.Signing.PrivateKey(derRepresentation: material) else { throw incorrect }
            return Array(key.rawRepresentation)
        case .eccSecgP256k1:
            guard let key = try? Secp256k1PrivateKey(pkcs8DER: material) else { throw incorrect }
            return key.rawRepresentation
        case .rsa2048, .rsa3072, .rsa4096:
            let bits = spec == .rsa2048 ? 2048 : spec == .rsa3072 ? 3072 : 4096
            guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: material), key.keySizeInBits == bits else { throw incorrect }
            return Array(key.derRepresentation)
        case .eccNistEdwards25519:
            // PKCS #8 for Ed25519 (RFC 8410) is a fixed 16-byte header and the 32-byte seed.
            let header: [UInt8] = [0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
            guard material.count == 48, Array(material[..<16]) == header,
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: material[16...])
            else { throw incorrect }
            return Array(key.rawRepresentation)
        default:
            throw KMSError(.unsupportedOperation, "KeySpec \(spec.rawValue) is not supported by this server.")
        }
    }

    /// KeyMaterialId: 64 hex digits that identify imported material for its key without revealing
    /// it (HMAC-SHA-256 under a key derived from the root key, over the key id and the material).
    func importedMaterialID(keyID: String, material: [UInt8]) throws -> String {
        let idKey = rootKey.withUnsafeBytes { bytes in
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: SymmetricKey(data: bytes), info: Array("coffer imported key material id v1".utf8), outputByteCount: 32
            )
        }
        var mac = HMAC<SHA256>(key: idKey)
        mac.update(data: Array(keyID.utf8))
        mac.update(data: [0])
        mac.update(data: material)
        return Bytes.hex(Array(mac.finalize()))
    }
}
