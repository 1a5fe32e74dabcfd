/// The three AWS KMS operations the KMS keyrings need. Member names follow the AWS API.
///
/// The SDK ships no network client; the server provides one (SigV4 over HTTPS) or a local KMS.
public protocol KMSClient: Sendable {
    func generateDataKey(_ request: KMSGenerateDataKeyRequest) async throws -> KMSGenerateDataKeyResponse
    func encrypt(_ request: KMSEncryptRequest) async throws -> KMSEncryptResponse
    func decrypt(_ request: KMSDecryptRequest) async throws -> KMSDecryptResponse
}

public struct KMSGenerateDataKeyRequest: Sendable, Hashable {
    public var keyId: String
    public var numberOfBytes: Int
    public var encryptionContext: [String: String]
    public var grantTokens: [String]

    public init(keyId: String, numberOfBytes: Int, encryptionContext: [String: String], grantTokens: [String]) {
        self.keyId = keyId
        self.numberOfBytes = numberOfBytes
        self.encryptionContext = encryptionContext
        self.grantTokens = grantTokens
    }
}

public struct KMSGenerateDataKeyResponse: Sendable {
    public var keyId: String
    public var plaintext: [UInt8]
    public var ciphertextBlob: [UInt8]

    public init(keyId: String, plaintext: [UInt8], ciphertextBlob: [UInt8]) {
        self.keyId = keyId
        self.plaintext = plaintext
        self.ciphertextBlob = ciphertextBlob
    }
}

public struct KMSEncryptRequest: Sendable, Hashable {
    public var keyId: String
    public var plaintext: [UInt8]
    public var encryptionContext: [String: String]
    public var grantTokens: [String]

    public init(keyId: String, plaintext: [UInt8], encryptionContext: [String: String], grantTokens: [String]) {
        self.keyId = keyId
        self.plaintext = plaintext
        self.encryptionContext = encryptionContext
        self.grantTokens = grantTokens
    }
}

public struct KMSEncryptResponse: Sendable {
    public var keyId: String
    public var ciphertextBlob: [UInt8]

    public init(keyId: String, ciphertextBlob: [UInt8]) {
        self.keyId = keyId
        self.ciphertextBlob = ciphertextBlob
    }
}

public struct KMSDecryptRequest: Sendable, Hashable {
    public var keyId: String
    public var ciphertextBlob: [UInt8]
    public var encryptionContext: [String: String]
    public var grantTokens: [String]

    public init(keyId: String, ciphertextBlob: [UInt8], encryptionContext: [String: String], grantTokens: [String]) {
        self.keyId = keyId
        self.ciphertextBlob = ciphertextBlob
        self.encryptionContext = encryptionContext
        self.grantTokens = grantTokens
    }
}

public struct KMSDecryptResponse: Sendable {
    public var keyId: String
    public var plaintext: [UInt8]

    public init(keyId: String, plaintext: [UInt8]) {
        self.keyId = keyId
        self.plaintext = plaintext
    }
}
