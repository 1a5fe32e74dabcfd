import Crypto

/// Derives the per-message data key and commitment key from a plaintext data key.
enum KeyDerivation {
    private static let deriveKeyLabel = Array("DERIVEKEY".utf8)
    private static let commitKeyLabel = Array("COMMITKEY".utf8)
    static let commitmentKeyLength = 32

    static func deriveDataKey(_ plaintextDataKey: [UInt8], suite: AlgorithmSuite, messageID: [UInt8]) -> SymmetricKey {
        let input = SymmetricKey(data: plaintextDataKey)
        var info = ByteWriter(capacity: 2 + messageID.count)
        info.write(suite.id)
        switch suite.keyDerivation {
        case .identity:
            return input
        case .hkdfSHA256:
            info.write(messageID)
            return HKDF<SHA256>.deriveKey(inputKeyMaterial: input, info: info.bytes, outputByteCount: suite.encryptionKeyLength)
        case .hkdfSHA384:
            info.write(messageID)
            return HKDF<SHA384>.deriveKey(inputKeyMaterial: input, info: info.bytes, outputByteCount: suite.encryptionKeyLength)
        case .hkdfSHA512:
            info.write(deriveKeyLabel)
            return HKDF<SHA512>.deriveKey(inputKeyMaterial: input, salt: messageID, info: info.bytes, outputByteCount: suite.encryptionKeyLength)
        }
    }

    /// The commitment key of a committing suite.
    static func commitmentKey(_ plaintextDataKey: [UInt8], messageID: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA512>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: plaintextDataKey), salt: messageID,
            info: commitKeyLabel, outputByteCount: commitmentKeyLength)
        return key.withUnsafeBytes { Array($0) }
    }
}
