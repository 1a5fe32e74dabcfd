/// Whether messages must use key-committing algorithm suites.
public enum CommitmentPolicy: String, Sendable, Hashable, CaseIterable {
    /// Encrypt and decrypt only with committing suites (the default).
    case requireEncryptRequireDecrypt = "REQUIRE_ENCRYPT_REQUIRE_DECRYPT"
    /// Encrypt with committing suites; decrypt any suite.
    case requireEncryptAllowDecrypt = "REQUIRE_ENCRYPT_ALLOW_DECRYPT"
    /// Encrypt only with non-committing suites; decrypt any suite.
    case forbidEncryptAllowDecrypt = "FORBID_ENCRYPT_ALLOW_DECRYPT"

    /// The suite used for encryption when none is requested (as in every AWS Encryption SDK).
    public var defaultSuite: AlgorithmSuite {
        switch self {
        case .forbidEncryptAllowDecrypt: return .aes256GcmIv12Tag16HkdfSha384EcdsaP384
        default: return .aes256GcmHkdfSha512CommitKeyEcdsaP384
        }
    }

    /// Throws unless `suite` may be used to encrypt under this policy.
    public func validateForEncrypt(_ suite: AlgorithmSuite) throws(ESDKError) {
        switch self {
        case .forbidEncryptAllowDecrypt where suite.isCommitting:
            throw ESDKError(.commitmentPolicyViolation, "algorithm suite \(suite) is committing; policy \(rawValue) forbids it for encryption")
        case .requireEncryptRequireDecrypt where !suite.isCommitting, .requireEncryptAllowDecrypt where !suite.isCommitting:
            throw ESDKError(.commitmentPolicyViolation, "algorithm suite \(suite) is not committing; policy \(rawValue) requires a committing suite for encryption")
        default:
            return
        }
    }

    /// Throws unless a message with `suite` may be decrypted under this policy.
    public func validateForDecrypt(_ suite: AlgorithmSuite) throws(ESDKError) {
        if self == .requireEncryptRequireDecrypt && !suite.isCommitting {
            throw ESDKError(.commitmentPolicyViolation, "algorithm suite \(suite) is not committing; policy \(rawValue) refuses to decrypt it")
        }
    }
}
