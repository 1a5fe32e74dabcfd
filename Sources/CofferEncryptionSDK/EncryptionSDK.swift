import Foundation

/// The client: one-shot and streaming encryption and decryption of AWS Encryption SDK messages.
public struct EncryptionSDK: Sendable {
    /// Default frame length of the AWS SDKs.
    public static let defaultFrameLength = 4096

    public var commitmentPolicy: CommitmentPolicy
    /// Maximum number of encrypted data keys on encrypt and decrypt; nil for no limit.
    /// A value below 1 makes every encrypt and decrypt fail with `invalidArgument`.
    public var maxEncryptedDataKeys: Int?

    public init(commitmentPolicy: CommitmentPolicy = .requireEncryptRequireDecrypt, maxEncryptedDataKeys: Int? = nil) {
        self.commitmentPolicy = commitmentPolicy
        self.maxEncryptedDataKeys = maxEncryptedDataKeys
    }

    /// The result of encryption.
    public struct EncryptResult: Sendable {
        public var ciphertext: [UInt8]
        public var header: MessageHeader
        /// The full encryption context the message is bound to.
        public var encryptionContext: EncryptionContext
    }

    /// The result of decryption.
    public struct DecryptResult: Sendable {
        public var plaintext: [UInt8]
        public var header: MessageHeader
        /// The stored context merged with the reproduced context.
        public var encryptionContext: EncryptionContext
    }

    // MARK: Encrypt

    /// Encrypts `plaintext` with `keyring` through a default CMM.
    public func encrypt(_ plaintext: [UInt8], keyring: any Keyring, encryptionContext: EncryptionContext = [:],
                        algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = defaultFrameLength) async throws -> EncryptResult {
        try await encrypt(plaintext, materialsManager: DefaultCryptographicMaterialsManager(keyring: keyring),
                          encryptionContext: encryptionContext, algorithmSuite: algorithmSuite, frameLength: frameLength)
    }

    /// Encrypts `plaintext` with materials from `materialsManager`.
    public func encrypt(_ plaintext: [UInt8], materialsManager: any CryptographicMaterialsManager, encryptionContext: EncryptionContext = [:],
                        algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = defaultFrameLength) async throws -> EncryptResult {
        var encryptor = try await makeEncryptor(
            materialsManager: materialsManager, encryptionContext: encryptionContext, algorithmSuite: algorithmSuite,
            frameLength: frameLength, plaintextLength: plaintext.count)
        var output: [UInt8] = []
        output.reserveCapacity(plaintext.count + plaintext.count / max(frameLength, 1) * 32 + 1024)
        try encryptor.update(plaintext, into: &output)
        try encryptor.finish(into: &output)
        return EncryptResult(ciphertext: output, header: encryptor.header, encryptionContext: encryptor.encryptionContext)
    }

    /// Encrypts `plaintext` (Foundation `Data`) with `keyring` through a default CMM.
    public func encrypt(_ plaintext: Data, keyring: any Keyring, encryptionContext: EncryptionContext = [:],
                        algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = defaultFrameLength) async throws -> EncryptResult {
        try await encrypt([UInt8](plaintext), keyring: keyring, encryptionContext: encryptionContext,
                          algorithmSuite: algorithmSuite, frameLength: frameLength)
    }

    /// Gets materials and builds an incremental encryptor (for streaming).
    public func makeEncryptor(materialsManager: any CryptographicMaterialsManager, encryptionContext: EncryptionContext = [:],
                              algorithmSuite: AlgorithmSuite? = nil, frameLength: Int = defaultFrameLength,
                              plaintextLength: Int? = nil) async throws -> MessageEncryptor {
        try validateConfiguration()
        try EncryptionContextCodec.validateUserContext(encryptionContext)
        guard frameLength > 0, frameLength <= MessageHeader.maximumFrameLength else {
            throw ESDKError(.invalidFrameLength, "frame length must be between 1 and \(MessageHeader.maximumFrameLength)")
        }
        if let algorithmSuite { try commitmentPolicy.validateForEncrypt(algorithmSuite) }
        let request = EncryptionMaterialsRequest(
            encryptionContext: encryptionContext, commitmentPolicy: commitmentPolicy,
            algorithmSuite: algorithmSuite, maxPlaintextLength: plaintextLength)
        let materials = try await materialsManager.getEncryptionMaterials(request)
        try commitmentPolicy.validateForEncrypt(materials.algorithmSuite)
        if let algorithmSuite, materials.algorithmSuite != algorithmSuite {
            throw ESDKError(.invalidMaterials, "CMM returned a different algorithm suite than requested")
        }
        if let maxEncryptedDataKeys, materials.encryptedDataKeys.count > maxEncryptedDataKeys {
            throw ESDKError(.tooManyEncryptedDataKeys, "materials hold \(materials.encryptedDataKeys.count) encrypted data keys; the limit is \(maxEncryptedDataKeys)")
        }
        return try MessageEncryptor(materials: materials, frameLength: frameLength)
    }

    // MARK: Decrypt

    /// Decrypts a whole message with `keyring` through a default CMM.
    ///
    /// - Parameter encryptionContext: the reproduced encryption context; every pair must match
    ///   the message, and pairs that are not stored in the message are authenticated.
    public func decrypt(_ ciphertext: [UInt8], keyring: any Keyring, encryptionContext: EncryptionContext? = nil) async throws -> DecryptResult {
        try await decrypt(ciphertext, materialsManager: DefaultCryptographicMaterialsManager(keyring: keyring), encryptionContext: encryptionContext)
    }

    /// Decrypts a whole message (Foundation `Data`) with `keyring` through a default CMM.
    public func decrypt(_ ciphertext: Data, keyring: any Keyring, encryptionContext: EncryptionContext? = nil) async throws -> DecryptResult {
        try await decrypt([UInt8](ciphertext), keyring: keyring, encryptionContext: encryptionContext)
    }

    /// Decrypts a whole message with materials from `materialsManager`.
    public func decrypt(_ ciphertext: [UInt8], materialsManager: any CryptographicMaterialsManager,
                        encryptionContext: EncryptionContext? = nil) async throws -> DecryptResult {
        try validateConfiguration()
        var decryptor = makeDecryptor(materialsManager: materialsManager, encryptionContext: encryptionContext)
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(ciphertext.count)
        try await decryptor.update(ciphertext, into: &plaintext)
        try await decryptor.finish(into: &plaintext)
        guard let header = decryptor.header else { throw ESDKError.truncated("header") }
        return DecryptResult(plaintext: plaintext, header: header, encryptionContext: decryptor.encryptionContext)
    }

    /// An incremental decryptor (for streaming).
    public func makeDecryptor(materialsManager: any CryptographicMaterialsManager, encryptionContext: EncryptionContext? = nil) -> MessageDecryptor {
        MessageDecryptor(materialsManager: materialsManager, commitmentPolicy: commitmentPolicy,
                         maxEncryptedDataKeys: maxEncryptedDataKeys, reproducedEncryptionContext: encryptionContext)
    }

    func validateConfiguration() throws(ESDKError) {
        if let maxEncryptedDataKeys, maxEncryptedDataKeys < 1 {
            throw ESDKError(.invalidArgument, "maxEncryptedDataKeys must be at least 1")
        }
    }
}
