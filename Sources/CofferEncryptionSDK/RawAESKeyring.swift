import Crypto

/// Wraps data keys with a local AES-GCM key (spec: framework/raw-aes-keyring).
///
/// Provider info is `key name || tag length in bits (UInt32) || IV length (UInt32) || IV`; the
/// wrapped key is `ciphertext || tag`; the AAD is the serialized encryption context.
public struct RawAESKeyring: Keyring {
    public let keyNamespace: String
    public let keyName: String
    private let wrappingKey: SymmetricKey

    private static let tagLengthBits: UInt32 = 128
    private static let ivLength = 12

    /// - Parameter wrappingKey: 16, 24 or 32 bytes.
    public init(keyNamespace: String, keyName: String, wrappingKey: [UInt8]) throws(ESDKError) {
        guard [16, 24, 32].contains(wrappingKey.count) else {
            throw ESDKError(.invalidKeyMaterial, "raw AES wrapping key must be 16, 24 or 32 bytes")
        }
        guard keyNamespace != "aws-kms" else {
            throw ESDKError(.invalidArgument, "key namespace 'aws-kms' is reserved")
        }
        self.keyNamespace = keyNamespace
        self.keyName = keyName
        self.wrappingKey = SymmetricKey(data: wrappingKey)
    }

    public func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials {
        var materials = materials
        let dataKey = materials.plaintextDataKey ?? secureRandomBytes(materials.algorithmSuite.dataKeyLength)
        let aad = try EncryptionContextCodec.serialize(materials.encryptionContext)
        let iv = secureRandomBytes(Self.ivLength)
        let sealed = try AES.GCM.seal(dataKey, using: wrappingKey, nonce: AES.GCM.Nonce(data: iv), authenticating: aad)
        var info = ByteWriter()
        info.write(Array(keyName.utf8))
        info.write(Self.tagLengthBits)
        info.write(UInt32(Self.ivLength))
        info.write(iv)
        materials.plaintextDataKey = dataKey
        materials.encryptedDataKeys.append(EncryptedDataKey(
            providerID: keyNamespace, providerInfo: info.bytes, ciphertext: Array(sealed.ciphertext) + Array(sealed.tag)))
        return materials
    }

    public func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials {
        guard materials.plaintextDataKey == nil else { return materials }
        let aad = try EncryptionContextCodec.serialize(materials.encryptionContext)
        let name = Array(keyName.utf8)
        let expectedInfoLength = name.count + 8 + Self.ivLength
        for key in encryptedDataKeys where key.providerID == keyNamespace {
            let info = key.providerInfo
            guard info.count == expectedInfoLength, info.starts(with: name) else { continue }
            let fields = info.withUnsafeBytes { bytes -> (UInt32, UInt32)? in
                var reader = ByteReader(bytes, offset: name.count)
                guard let tag = try? reader.readUInt32("tag length"), let iv = try? reader.readUInt32("IV length") else { return nil }
                return (tag, iv)
            }
            guard let fields, fields.0 == Self.tagLengthBits, fields.1 == UInt32(Self.ivLength) else { continue }
            let tagLength = Int(Self.tagLengthBits / 8)
            guard key.ciphertext.count == materials.algorithmSuite.dataKeyLength + tagLength else { continue }
            let iv = info.suffix(Self.ivLength)
            do {
                let box = try AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: iv), ciphertext: key.ciphertext.dropLast(tagLength), tag: key.ciphertext.suffix(tagLength))
                let dataKey = try AES.GCM.open(box, using: wrappingKey, authenticating: aad)
                var result = materials
                result.plaintextDataKey = Array(dataKey)
                return result
            } catch {
                continue
            }
        }
        throw ESDKError(.unableToDecryptDataKey, "raw AES keyring '\(keyNamespace)'/'\(keyName)' could not decrypt any encrypted data key")
    }
}
