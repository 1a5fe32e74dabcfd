/// Wraps and unwraps data keys (spec: keyring interface).
public protocol Keyring: Sendable {
    /// Adds an encrypted data key, generating the plaintext data key first if the materials have none.
    func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials
    /// Sets the plaintext data key from one of `encryptedDataKeys`, or throws.
    func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials
}

/// Produces materials for encryption and decryption (spec: CMM interface).
public protocol CryptographicMaterialsManager: Sendable {
    func getEncryptionMaterials(_ request: EncryptionMaterialsRequest) async throws -> EncryptionMaterials
    func decryptMaterials(_ request: DecryptionMaterialsRequest) async throws -> DecryptionMaterials
}
