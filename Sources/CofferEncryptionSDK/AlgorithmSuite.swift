import Crypto

/// An algorithm suite of the AWS Encryption SDK message format.
///
/// One table, read by both the format and the crypto code.
public struct AlgorithmSuite: Sendable, Hashable, CustomStringConvertible {
    /// Key derivation applied to the plaintext data key.
    public enum KeyDerivation: Sendable, Hashable {
        case identity
        case hkdfSHA256
        case hkdfSHA384
        case hkdfSHA512
    }

    /// Message signature algorithm.
    public enum Signature: Sendable, Hashable {
        case ecdsaP256SHA256
        case ecdsaP384SHA384

        /// Python and the other SDKs always write DER signatures of this length.
        var staticSignatureLength: Int {
            switch self {
            case .ecdsaP256SHA256: return 71
            case .ecdsaP384SHA384: return 103
            }
        }
    }

    /// The two-byte suite ID as written in the header.
    public let id: UInt16
    /// Message format version written with this suite (1 or 2).
    public let messageFormatVersion: UInt8
    /// AES key length in bytes (16, 24 or 32).
    public let encryptionKeyLength: Int
    /// Key derivation.
    public let keyDerivation: KeyDerivation
    /// Signature algorithm, if any.
    public let signature: Signature?
    /// Whether the suite commits to its data key.
    public var isCommitting: Bool { keyDerivation == .hkdfSHA512 }
    /// GCM IV length.
    public var ivLength: Int { 12 }
    /// GCM tag length.
    public var tagLength: Int { 16 }
    /// Length of the plaintext data key that keyrings produce.
    public var dataKeyLength: Int { encryptionKeyLength }
    /// Length of the message ID for this suite's format version.
    public var messageIDLength: Int { messageFormatVersion == 1 ? 16 : 32 }
    /// Length of the algorithm suite data (commitment key) in a v2 header.
    public var suiteDataLength: Int { isCommitting ? 32 : 0 }

    public var description: String { "0x" + String(format4Hex: id) }

    public static let aes128GcmIv12Tag16NoKdf = AlgorithmSuite(id: 0x0014, version: 1, keyLength: 16, kdf: .identity, signature: nil)
    public static let aes192GcmIv12Tag16NoKdf = AlgorithmSuite(id: 0x0046, version: 1, keyLength: 24, kdf: .identity, signature: nil)
    public static let aes256GcmIv12Tag16NoKdf = AlgorithmSuite(id: 0x0078, version: 1, keyLength: 32, kdf: .identity, signature: nil)
    public static let aes128GcmIv12Tag16HkdfSha256 = AlgorithmSuite(id: 0x0114, version: 1, keyLength: 16, kdf: .hkdfSHA256, signature: nil)
    public static let aes192GcmIv12Tag16HkdfSha256 = AlgorithmSuite(id: 0x0146, version: 1, keyLength: 24, kdf: .hkdfSHA256, signature: nil)
    public static let aes256GcmIv12Tag16HkdfSha256 = AlgorithmSuite(id: 0x0178, version: 1, keyLength: 32, kdf: .hkdfSHA256, signature: nil)
    public static let aes128GcmIv12Tag16HkdfSha256EcdsaP256 = AlgorithmSuite(id: 0x0214, version: 1, keyLength: 16, kdf: .hkdfSHA256, signature: .ecdsaP256SHA256)
    public static let aes192GcmIv12Tag16HkdfSha384EcdsaP384 = AlgorithmSuite(id: 0x0346, version: 1, keyLength: 24, kdf: .hkdfSHA384, signature: .ecdsaP384SHA384)
    public static let aes256GcmIv12Tag16HkdfSha384EcdsaP384 = AlgorithmSuite(id: 0x0378, version: 1, keyLength: 32, kdf: .hkdfSHA384, signature: .ecdsaP384SHA384)
    public static let aes256GcmHkdfSha512CommitKey = AlgorithmSuite(id: 0x0478, version: 2, keyLength: 32, kdf: .hkdfSHA512, signature: nil)
    public static let aes256GcmHkdfSha512CommitKeyEcdsaP384 = AlgorithmSuite(id: 0x0578, version: 2, keyLength: 32, kdf: .hkdfSHA512, signature: .ecdsaP384SHA384)

    /// Every suite, in ID order.
    public static let allSuites: [AlgorithmSuite] = [
        .aes128GcmIv12Tag16NoKdf, .aes192GcmIv12Tag16NoKdf, .aes256GcmIv12Tag16NoKdf,
        .aes128GcmIv12Tag16HkdfSha256, .aes192GcmIv12Tag16HkdfSha256, .aes256GcmIv12Tag16HkdfSha256,
        .aes128GcmIv12Tag16HkdfSha256EcdsaP256, .aes192GcmIv12Tag16HkdfSha384EcdsaP384,
        .aes256GcmIv12Tag16HkdfSha384EcdsaP384, .aes256GcmHkdfSha512CommitKey,
        .aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ]

    /// The suite with this ID, or nil.
    public static func suite(id: UInt16) -> AlgorithmSuite? {
        allSuites.first { $0.id == id }
    }

    private init(id: UInt16, version: UInt8, keyLength: Int, kdf: KeyDerivation, signature: Signature?) {
        self.id = id
        self.messageFormatVersion = version
        self.encryptionKeyLength = keyLength
        self.keyDerivation = kdf
        self.signature = signature
    }
}

extension String {
    init(format4Hex value: UInt16) {
        let digits = Array("0123456789abcdef")
        var out = ""
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(digits[Int((value >> UInt16(shift)) & 0xF)])
        }
        self = out
    }
}
