import Foundation

/// A failure of an AWS KMS call, mapped from the AWS error response (`__type`, `message`) or from
/// the transport. Messages never contain key material or plaintext.
public struct KMSClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// AccessDeniedException: the caller may not use the key for this operation.
        case accessDenied
        /// NotFoundException (also an unknown alias).
        case notFound
        /// DisabledException: the key is disabled.
        case disabled
        /// KMSInvalidStateException: e.g. pending deletion or pending import.
        case invalidState
        /// InvalidCiphertextException: the ciphertext or its encryption context is wrong.
        case invalidCiphertext
        /// IncorrectKeyException: the ciphertext was not encrypted under the given key.
        case incorrectKey
        /// InvalidKeyUsageException: e.g. an asymmetric or HMAC key.
        case invalidKeyUsage
        /// KeyUnavailableException.
        case keyUnavailable
        /// InvalidGrantTokenException.
        case invalidGrantToken
        /// ThrottlingException, LimitExceededException.
        case throttled
        /// UnrecognizedClientException, InvalidSignatureException, ExpiredTokenException, …
        case authenticationFailed
        /// ValidationException, InvalidArnException, SerializationException, …
        case invalidRequest
        /// KMSInternalException, DependencyTimeoutException, HTTP 5xx.
        case serviceFailure
        /// Any other AWS error type.
        case other
        /// No usable credentials.
        case missingCredentials
        /// No region, bad endpoint URL, unusable CA bundle.
        case configuration
        /// Connection, DNS, TLS or timeout failure.
        case transport
        /// The server's certificate is not trusted.
        case untrustedCertificate
        /// The response cannot be parsed.
        case invalidResponse
    }

    public var kind: Kind
    /// A human-readable explanation.
    public var message: String
    /// The AWS error type (`__type` without the namespace), if the service answered with one.
    public var awsErrorType: String?
    /// The HTTP status, if a response arrived.
    public var httpStatus: Int?
    /// `GenerateDataKey`, `Encrypt` or `Decrypt`, if known.
    public var operation: String?
    /// The key ID of the request, if known.
    public var keyID: String?

    public init(_ kind: Kind, _ message: String, awsErrorType: String? = nil, httpStatus: Int? = nil,
                operation: String? = nil, keyID: String? = nil) {
        self.kind = kind
        self.message = message
        self.awsErrorType = awsErrorType
        self.httpStatus = httpStatus
        self.operation = operation
        self.keyID = keyID
    }

    public var description: String {
        var text = "KMS"
        if let operation { text += " \(operation)" }
        if let keyID { text += " (key \(keyID))" }
        text += " failed: "
        if let awsErrorType { text += "\(awsErrorType): " }
        text += message.isEmpty ? kind.rawValue : message
        if let httpStatus, awsErrorType == nil { text += " (HTTP \(httpStatus))" }
        return text
    }

    /// Maps an AWS error type (with or without a `namespace#` prefix or a `:detail` suffix).
    public static func kind(forAWSErrorType type: String) -> Kind {
        switch normalizedType(type) {
        case "AccessDeniedException": return .accessDenied
        case "NotFoundException": return .notFound
        case "DisabledException": return .disabled
        case "KMSInvalidStateException": return .invalidState
        case "InvalidCiphertextException": return .invalidCiphertext
        case "IncorrectKeyException": return .incorrectKey
        case "InvalidKeyUsageException": return .invalidKeyUsage
        case "KeyUnavailableException": return .keyUnavailable
        case "InvalidGrantTokenException": return .invalidGrantToken
        case "ThrottlingException", "LimitExceededException", "RequestLimitExceeded": return .throttled
        case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature", "ExpiredTokenException",
             "MissingAuthenticationToken", "InvalidClientTokenId", "SignatureDoesNotMatch", "AuthFailure":
            return .authenticationFailed
        case "ValidationException", "InvalidArnException", "SerializationException", "InvalidParameterValue",
             "InvalidParameterCombination", "MissingParameter", "InvalidAction", "UnknownOperationException":
            return .invalidRequest
        case "KMSInternalException", "DependencyTimeoutException", "InternalFailure", "ServiceUnavailable",
             "ServiceUnavailableException", "InternalServerError":
            return .serviceFailure
        default: return .other
        }
    }

    static func normalizedType(_ type: String) -> String {
        var name = Substring(type)
        if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        return name.trimmingCharacters(in: .whitespaces)
    }

    /// Whether retrying the same request may succeed.
    public var isRetryable: Bool {
        switch kind {
        case .throttled, .serviceFailure, .transport: return true
        default: return false
        }
    }
}
