/// The one error type of the Encryption SDK.
///
/// `code` is stable and extensible; `message` explains the failure without ever containing key
/// material or plaintext.
public struct ESDKError: Error, Sendable, CustomStringConvertible {
    /// An extensible error code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Sendable {
            case truncatedMessage
            case malformedMessage
            case base64EncodedMessage
            case unsupportedMessageVersion
            case unsupportedAlgorithmSuite
            case commitmentPolicyViolation
            case commitmentMismatch
            case headerAuthenticationFailed
            case bodyAuthenticationFailed
            case signatureVerificationFailed
            case unableToDecryptDataKey
            case tooManyEncryptedDataKeys
            case encryptionContextMismatch
            case missingRequiredEncryptionContext
            case reservedEncryptionContextKey
            case invalidEncryptionContext
            case invalidFrameLength
            case frameLimitExceeded
            case invalidFrameSequence
            case trailingBytes
            case invalidKeyMaterial
            case invalidArgument
            case invalidMaterials
            case unsupportedRSAPadding
            case keyringFailure
            case kmsResponseInvalid
            case plaintextLengthExceeded
        }

        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        public var description: String { backing.rawValue }

        /// The message ends before a structure it announces is complete.
        public static let truncatedMessage = Code(.truncatedMessage)
        /// A field of the message holds a value the format does not allow.
        public static let malformedMessage = Code(.malformedMessage)
        /// The input looks like a base64-encoded message rather than raw bytes.
        public static let base64EncodedMessage = Code(.base64EncodedMessage)
        /// The message format version is neither 1 nor 2.
        public static let unsupportedMessageVersion = Code(.unsupportedMessageVersion)
        /// The algorithm suite ID is unknown or does not fit the message version.
        public static let unsupportedAlgorithmSuite = Code(.unsupportedAlgorithmSuite)
        /// The commitment policy forbids the algorithm suite for this operation.
        public static let commitmentPolicyViolation = Code(.commitmentPolicyViolation)
        /// The commitment key in the header does not match the data key.
        public static let commitmentMismatch = Code(.commitmentMismatch)
        /// The header authentication tag did not verify.
        public static let headerAuthenticationFailed = Code(.headerAuthenticationFailed)
        /// A frame or non-framed body did not authenticate.
        public static let bodyAuthenticationFailed = Code(.bodyAuthenticationFailed)
        /// The footer signature did not verify, or is missing.
        public static let signatureVerificationFailed = Code(.signatureVerificationFailed)
        /// No keyring could decrypt any encrypted data key.
        public static let unableToDecryptDataKey = Code(.unableToDecryptDataKey)
        /// More encrypted data keys than the configured maximum.
        public static let tooManyEncryptedDataKeys = Code(.tooManyEncryptedDataKeys)
        /// The reproduced encryption context conflicts with the message's.
        public static let encryptionContextMismatch = Code(.encryptionContextMismatch)
        /// A required encryption context key is missing.
        public static let missingRequiredEncryptionContext = Code(.missingRequiredEncryptionContext)
        /// A caller-supplied key uses the reserved `aws-crypto-` prefix.
        public static let reservedEncryptionContextKey = Code(.reservedEncryptionContextKey)
        /// The encryption context cannot be serialized or parsed.
        public static let invalidEncryptionContext = Code(.invalidEncryptionContext)
        /// The frame length is out of range.
        public static let invalidFrameLength = Code(.invalidFrameLength)
        /// The frame count exceeds the format's limit.
        public static let frameLimitExceeded = Code(.frameLimitExceeded)
        /// A frame's sequence number is not the next one (frames reordered, dropped or repeated).
        public static let invalidFrameSequence = Code(.invalidFrameSequence)
        /// Bytes follow the end of a complete message.
        public static let trailingBytes = Code(.trailingBytes)
        /// A wrapping key or data key has the wrong size or form.
        public static let invalidKeyMaterial = Code(.invalidKeyMaterial)
        /// An argument is out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// Materials returned by a CMM or keyring are inconsistent.
        public static let invalidMaterials = Code(.invalidMaterials)
        /// The RSA padding is not available in this build.
        public static let unsupportedRSAPadding = Code(.unsupportedRSAPadding)
        /// A keyring failed to produce or wrap a data key.
        public static let keyringFailure = Code(.keyringFailure)
        /// A KMS response failed validation (wrong key ID, wrong key length).
        public static let kmsResponseInvalid = Code(.kmsResponseInvalid)
        /// More plaintext than was announced, or than the format allows.
        public static let plaintextLengthExceeded = Code(.plaintextLengthExceeded)

        /// Whether the failure is due to the input rather than the library or its configuration.
        public var isCallerFault: Bool {
            switch backing {
            case .invalidMaterials, .keyringFailure, .kmsResponseInvalid: return false
            default: return true
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A description free of secrets.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "ESDKError.\(code): \(message)" }
}

extension ESDKError {
    static func truncated(_ what: String) -> ESDKError {
        ESDKError(.truncatedMessage, "message is truncated: \(what) is incomplete")
    }

    static func malformed(_ what: String) -> ESDKError {
        ESDKError(.malformedMessage, what)
    }
}
