/// A data key encrypted by one wrapping key, as stored in the message header.
public struct EncryptedDataKey: Sendable, Hashable {
    /// Key provider ID (for example `aws-kms` or a raw keyring's namespace), UTF-8.
    public var providerID: String
    /// Key provider information (for example a key ARN, or a raw key name plus IV).
    public var providerInfo: [UInt8]
    /// The wrapped data key.
    public var ciphertext: [UInt8]

    public init(providerID: String, providerInfo: [UInt8], ciphertext: [UInt8]) {
        self.providerID = providerID
        self.providerInfo = providerInfo
        self.ciphertext = ciphertext
    }
}

/// What a CMM returns for encryption.
public struct EncryptionMaterials: Sendable {
    public var algorithmSuite: AlgorithmSuite
    /// The full encryption context, including any `aws-crypto-public-key`.
    public var encryptionContext: EncryptionContext
    public var encryptedDataKeys: [EncryptedDataKey]
    public var plaintextDataKey: [UInt8]?
    public var signingKey: SigningKey?
    /// Keys of `encryptionContext` that are authenticated but not stored in the message.
    public var requiredEncryptionContextKeys: Set<String>

    public init(algorithmSuite: AlgorithmSuite, encryptionContext: EncryptionContext, encryptedDataKeys: [EncryptedDataKey] = [],
                plaintextDataKey: [UInt8]? = nil, signingKey: SigningKey? = nil, requiredEncryptionContextKeys: Set<String> = []) {
        self.algorithmSuite = algorithmSuite
        self.encryptionContext = encryptionContext
        self.encryptedDataKeys = encryptedDataKeys
        self.plaintextDataKey = plaintextDataKey
        self.signingKey = signingKey
        self.requiredEncryptionContextKeys = requiredEncryptionContextKeys
    }
}

/// What a CMM returns for decryption.
public struct DecryptionMaterials: Sendable {
    public var algorithmSuite: AlgorithmSuite
    /// The message's encryption context merged with the reproduced context.
    public var encryptionContext: EncryptionContext
    public var plaintextDataKey: [UInt8]?
    public var verificationKey: VerificationKey?
    /// Keys authenticated but not stored in the message.
    public var requiredEncryptionContextKeys: Set<String>

    public init(algorithmSuite: AlgorithmSuite, encryptionContext: EncryptionContext, plaintextDataKey: [UInt8]? = nil,
                verificationKey: VerificationKey? = nil, requiredEncryptionContextKeys: Set<String> = []) {
        self.algorithmSuite = algorithmSuite
        self.encryptionContext = encryptionContext
        self.plaintextDataKey = plaintextDataKey
        self.verificationKey = verificationKey
        self.requiredEncryptionContextKeys = requiredEncryptionContextKeys
    }
}

/// A request for encryption materials.
public struct EncryptionMaterialsRequest: Sendable {
    public var encryptionContext: EncryptionContext
    public var commitmentPolicy: CommitmentPolicy
    public var algorithmSuite: AlgorithmSuite?
    /// Upper bound of the plaintext length, when known (needed by the caching CMM).
    public var maxPlaintextLength: Int?
    public var requiredEncryptionContextKeys: Set<String>

    public init(encryptionContext: EncryptionContext, commitmentPolicy: CommitmentPolicy, algorithmSuite: AlgorithmSuite? = nil,
                maxPlaintextLength: Int? = nil, requiredEncryptionContextKeys: Set<String> = []) {
        self.encryptionContext = encryptionContext
        self.commitmentPolicy = commitmentPolicy
        self.algorithmSuite = algorithmSuite
        self.maxPlaintextLength = maxPlaintextLength
        self.requiredEncryptionContextKeys = requiredEncryptionContextKeys
    }
}

/// A request for decryption materials.
public struct DecryptionMaterialsRequest: Sendable {
    public var algorithmSuite: AlgorithmSuite
    public var commitmentPolicy: CommitmentPolicy
    public var encryptedDataKeys: [EncryptedDataKey]
    /// The encryption context stored in the message header.
    public var encryptionContext: EncryptionContext
    /// The context the caller supplied to decrypt, if any.
    public var reproducedEncryptionContext: EncryptionContext?

    public init(algorithmSuite: AlgorithmSuite, commitmentPolicy: CommitmentPolicy, encryptedDataKeys: [EncryptedDataKey],
                encryptionContext: EncryptionContext, reproducedEncryptionContext: EncryptionContext? = nil) {
        self.algorithmSuite = algorithmSuite
        self.commitmentPolicy = commitmentPolicy
        self.encryptedDataKeys = encryptedDataKeys
        self.encryptionContext = encryptionContext
        self.reproducedEncryptionContext = reproducedEncryptionContext
    }
}
