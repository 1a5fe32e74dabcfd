/// What a KMS key may be used for (AWS `KeyUsageType`).
public enum KeyUsage: String, Sendable, Hashable, Codable, CaseIterable {
    case encryptDecrypt = "ENCRYPT_DECRYPT"
    case signVerify = "SIGN_VERIFY"
    case generateVerifyMAC = "GENERATE_VERIFY_MAC"
    case keyAgreement = "KEY_AGREEMENT"
}

/// The type of key material (AWS `KeySpec`).
public enum KeySpec: String, Sendable, Hashable, Codable, CaseIterable {
    case symmetricDefault = "SYMMETRIC_DEFAULT"
    case rsa2048 = "RSA_2048", rsa3072 = "RSA_3072", rsa4096 = "RSA_4096"
    case eccNistP256 = "ECC_NIST_P256", eccNistP384 = "ECC_NIST_P384", eccNistP521 = "ECC_NIST_P521"
    case eccSecgP256k1 = "ECC_SECG_P256K1", eccNistEdwards25519 = "ECC_NIST_EDWARDS25519"
    case hmac224 = "HMAC_224", hmac256 = "HMAC_256", hmac384 = "HMAC_384", hmac512 = "HMAC_512"
    case sm2 = "SM2", mlDSA44 = "ML_DSA_44", mlDSA65 = "ML_DSA_65", mlDSA87 = "ML_DSA_87"

    /// The HMAC algorithm an HMAC key computes, and its key length in bytes.
    public var macAlgorithm: (name: String, keyBytes: Int)? {
        switch self {
        case .hmac224: ("HMAC_SHA_224", 28)
        case .hmac256: ("HMAC_SHA_256", 32)
        case .hmac384: ("HMAC_SHA_384", 48)
        case .hmac512: ("HMAC_SHA_512", 64)
        default: nil
        }
    }

    /// The values the older `CustomerMasterKeySpec` member accepts.
    public static let customerMasterKeySpecValues: [String] = [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
        "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
    ]
}

/// Where a key's material came from (AWS `OriginType`).
public enum KeyOrigin: String, Sendable, Hashable, Codable, CaseIterable {
    case awsKMS = "AWS_KMS"
    case external = "EXTERNAL"
    case awsCloudHSM = "AWS_CLOUDHSM"
    case externalKeyStore = "EXTERNAL_KEY_STORE"
}

/// Who manages a key (AWS `KeyManagerType`).
public enum KeyManager: String, Sendable, Hashable, Codable {
    case aws = "AWS"
    case customer = "CUSTOMER"
}

/// A resource tag.
public struct KMSTag: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
