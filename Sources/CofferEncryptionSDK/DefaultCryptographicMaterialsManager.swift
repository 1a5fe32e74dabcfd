/// The default CMM (spec: framework/default-cmm): adds the signing key for signing suites and
/// delegates data key wrapping to a keyring.
public struct DefaultCryptographicMaterialsManager: CryptographicMaterialsManager {
    public let keyring: any Keyring

    public init(keyring: any Keyring) {
        self.keyring = keyring
    }

    public func getEncryptionMaterials(_ request: EncryptionMaterialsRequest) async throws -> EncryptionMaterials {
        let suite = request.algorithmSuite ?? request.commitmentPolicy.defaultSuite
        try request.commitmentPolicy.validateForEncrypt(suite)
        var context = request.encryptionContext
        var signingKey: SigningKey?
        if let signature = suite.signature {
            guard context[publicKeyEncryptionContextKey] == nil else {
                throw ESDKError(.reservedEncryptionContextKey, "encryption context already holds '\(publicKeyEncryptionContextKey)'")
            }
            let key = SigningKey(generatingFor: signature)
            context[publicKeyEncryptionContextKey] = key.encodedPublicKey
            signingKey = key
        }
        for key in request.requiredEncryptionContextKeys where context[key] == nil {
            throw ESDKError(.missingRequiredEncryptionContext, "required encryption context key '\(key)' is missing")
        }
        let initial = EncryptionMaterials(
            algorithmSuite: suite, encryptionContext: context, signingKey: signingKey,
            requiredEncryptionContextKeys: request.requiredEncryptionContextKeys)
        let materials = try await keyring.onEncrypt(initial)
        guard let dataKey = materials.plaintextDataKey, dataKey.count == suite.dataKeyLength else {
            throw ESDKError(.invalidMaterials, "keyring returned no data key of the suite's length")
        }
        guard !materials.encryptedDataKeys.isEmpty else {
            throw ESDKError(.invalidMaterials, "keyring returned no encrypted data key")
        }
        return materials
    }

    public func decryptMaterials(_ request: DecryptionMaterialsRequest) async throws -> DecryptionMaterials {
        let suite = request.algorithmSuite
        try request.commitmentPolicy.validateForDecrypt(suite)
        var context = request.encryptionContext
        var requiredKeys: Set<String> = []
        for (key, value) in request.reproducedEncryptionContext ?? [:] {
            if let stored = context[key] {
                guard stored == value else {
                    throw ESDKError(.encryptionContextMismatch, "encryption context value for '\(key)' differs from the message's")
                }
            } else {
                context[key] = value
                requiredKeys.insert(key)
            }
        }
        var verificationKey: VerificationKey?
        if let signature = suite.signature {
            guard let encoded = context[publicKeyEncryptionContextKey] else {
                throw ESDKError(.invalidMaterials, "signing suite but the encryption context has no public key")
            }
            verificationKey = try VerificationKey(encoded: encoded, for: signature)
        } else if context[publicKeyEncryptionContextKey] != nil {
            throw ESDKError(.invalidMaterials, "non-signing suite but the encryption context holds a public key")
        }
        let initial = DecryptionMaterials(
            algorithmSuite: suite, encryptionContext: context, verificationKey: verificationKey,
            requiredEncryptionContextKeys: requiredKeys)
        let materials = try await keyring.onDecrypt(initial, encryptedDataKeys: request.encryptedDataKeys)
        guard let dataKey = materials.plaintextDataKey, dataKey.count == suite.dataKeyLength else {
            throw ESDKError(.unableToDecryptDataKey, "no keyring produced a data key")
        }
        return materials
    }
}
