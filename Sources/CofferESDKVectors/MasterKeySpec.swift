import CofferEncryptionSDK
import Foundation

/// One entry of a test's `master-keys` list, turned into a keyring.
struct MasterKeySpec {
    var type: String
    var key: String
    var keyID: String?
    var providerID: String?
    var encryptionAlgorithm: String?
    var paddingAlgorithm: String?
    var paddingHash: String?

    init(_ object: JSONObject) throws {
        type = try object.string("type")
        key = object.optionalString("key") ?? ""
        keyID = object.optionalString("key-id")
        providerID = object.optionalString("provider-id")
        encryptionAlgorithm = object.optionalString("encryption-algorithm")
        paddingAlgorithm = object.optionalString("padding-algorithm")
        paddingHash = object.optionalString("padding-hash")
    }

    func jsonObject() -> [String: Any] {
        var out: [String: Any] = ["type": type, "key": key]
        if let keyID { out["key-id"] = keyID }
        if let providerID { out["provider-id"] = providerID }
        if let encryptionAlgorithm { out["encryption-algorithm"] = encryptionAlgorithm }
        if let paddingAlgorithm { out["padding-algorithm"] = paddingAlgorithm }
        if let paddingHash { out["padding-hash"] = paddingHash }
        return out
    }

    var isRaw: Bool { type == "raw" }

    var rsaPadding: RSAPadding? {
        switch (paddingAlgorithm, paddingHash) {
        case ("pkcs1", _): return .pkcs1v15
        case ("oaep-mgf1", "sha1"): return .oaepSHA1MGF1
        case ("oaep-mgf1", "sha256"): return .oaepSHA256MGF1
        case ("oaep-mgf1", "sha384"): return .oaepSHA384MGF1
        case ("oaep-mgf1", "sha512"): return .oaepSHA512MGF1
        default: return nil
        }
    }

    /// Builds the raw keyring this entry describes.
    func keyring(keys: KeysManifest, rsaProvider: (any RSAPaddingProvider)?) throws -> any Keyring {
        guard isRaw else { throw VectorError("master key type \(type) is not raw") }
        guard let entry = keys.keys[key] else { throw VectorError("key \(key) is not in the keys manifest") }
        guard let providerID else { throw VectorError("raw master key without provider-id") }
        let name = keyID ?? entry.keyID
        guard let material = entry.material else { throw VectorError("key \(key) has no material") }
        switch encryptionAlgorithm {
        case "aes":
            guard let bytes = Data(base64Encoded: material) else { throw VectorError("key \(key) is not base64") }
            return try RawAESKeyring(keyNamespace: providerID, keyName: name, wrappingKey: Array(bytes))
        case "rsa":
            guard let padding = rsaPadding else { throw VectorError("unsupported RSA padding for key \(key)") }
            let isPrivate = entry.type == "private"
            return try RawRSAKeyring(
                keyNamespace: providerID, keyName: name, padding: padding,
                publicKeyPEM: isPrivate ? nil : material, privateKeyPEM: isPrivate ? material : nil,
                provider: padding.isAvailableInSwiftCrypto ? nil : rsaProvider)
        default:
            throw VectorError("unsupported encryption algorithm \(encryptionAlgorithm ?? "nil")")
        }
    }
}

extension RSAPadding {
    var isAvailableInSwiftCrypto: Bool {
        switch self {
        case .pkcs1v15, .oaepSHA1MGF1, .oaepSHA256MGF1: return true
        case .oaepSHA384MGF1, .oaepSHA512MGF1: return false
        }
    }
}
