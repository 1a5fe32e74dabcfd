/// A CMM that requires certain encryption context keys and authenticates them without storing
/// them in the message (spec: required-encryption-context-cmm).
public struct RequiredEncryptionContextCMM: CryptographicMaterialsManager {
    public let underlying: any CryptographicMaterialsManager
    public let requiredEncryptionContextKeys: Set<String>

    public init(underlying: any CryptographicMaterialsManager, requiredEncryptionContextKeys: Set<String>) {
        self.underlying = underlying
        self.requiredEncryptionContextKeys = requiredEncryptionContextKeys
    }

    public init(keyring: any Keyring, requiredEncryptionContextKeys: Set<String>) {
        self.init(underlying: DefaultCryptographicMaterialsManager(keyring: keyring), requiredEncryptionContextKeys: requiredEncryptionContextKeys)
    }

    public func getEncryptionMaterials(_ request: EncryptionMaterialsRequest) async throws -> EncryptionMaterials {
        for key in requiredEncryptionContextKeys where request.encryptionContext[key] == nil {
            throw ESDKError(.missingRequiredEncryptionContext, "required encryption context key '\(key)' is missing")
        }
        var forwarded = request
        forwarded.requiredEncryptionContextKeys.formUnion(requiredEncryptionContextKeys)
        let materials = try await underlying.getEncryptionMaterials(forwarded)
        guard requiredEncryptionContextKeys.isSubset(of: materials.requiredEncryptionContextKeys) else {
            throw ESDKError(.invalidMaterials, "underlying CMM dropped required encryption context keys")
        }
        return materials
    }

    public func decryptMaterials(_ request: DecryptionMaterialsRequest) async throws -> DecryptionMaterials {
        let reproduced = request.reproducedEncryptionContext ?? [:]
        for key in requiredEncryptionContextKeys where reproduced[key] == nil {
            throw ESDKError(.missingRequiredEncryptionContext, "required encryption context key '\(key)' was not supplied to decrypt")
        }
        let materials = try await underlying.decryptMaterials(request)
        for key in requiredEncryptionContextKeys where materials.encryptionContext[key] == nil {
            throw ESDKError(.invalidMaterials, "decryption materials lack required encryption context key '\(key)'")
        }
        return materials
    }
}
