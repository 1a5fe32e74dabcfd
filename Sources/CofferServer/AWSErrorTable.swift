import CofferCrypto
import CofferIdentity
import CofferKMS
import CofferWire

/// An error as the client will see it: AWS exception name, HTTP status and message.
struct AWSErrorDescription: Sendable {
    var name: String
    var status: Int
    var message: String
    /// More elements of an S3 error document (e.g. `Condition` of PreconditionFailed).
    var details: [(name: String, value: String)] = []
    var isServerFault: Bool { status >= 500 }
}

/// The one table from domain and wire error codes to AWS exception names and HTTP statuses.
enum AWSErrorTable {
    static func describe(_ error: any Error) -> AWSErrorDescription {
        switch error {
        case let error as WireError: return describe(error)
        case let error as KMSError: return describe(error)
        case let error as CloudTrailError:
            return AWSErrorDescription(name: error.code.rawValue, status: 400, message: error.message)
        case is AuditRecorder.Unavailable:
            return AWSErrorDescription(name: "InternalFailure", status: 500, message: "The request could not be recorded in the audit trail, so its result is withheld.")
        case let error as IdentityError where error.code == .expiredToken:
            return AWSErrorDescription(name: "ExpiredTokenException", status: 400, message: error.message)
        case let error as IdentityError where error.code == .accessDenied:
            return AWSErrorDescription(name: "AccessDeniedException", status: 400, message: error.message)
        default:
            // Anything else is a bug or an infrastructure failure: say nothing specific.
            return AWSErrorDescription(name: "KMSInternalException", status: 500, message: "The request could not be completed because of an internal error.")
        }
    }

    static func describe(_ error: WireError) -> AWSErrorDescription {
        let name: String
        var status = 400
        switch error.code {
        case .missingAuthenticationToken: name = "MissingAuthenticationTokenException"
        case .incompleteSignature: name = "IncompleteSignatureException"
        case .invalidSignature, .signatureExpired, .contentSHA256Mismatch: name = "InvalidSignatureException"
        case .unrecognizedClient: name = "UnrecognizedClientException"
        case .validation: name = "ValidationException"
        case .serialization: name = "SerializationException"
        case .unknownOperation: name = "UnknownOperationException"
        case .accessDenied: name = "AccessDeniedException"
        case .requestTooLarge:
            name = "RequestEntityTooLargeException"
            status = 413
        default: name = "ValidationException"
        }
        return AWSErrorDescription(name: name, status: status, message: error.message)
    }

    static func describe(_ error: KMSError) -> AWSErrorDescription {
        let name: String
        switch error.code {
        case .notFound: name = "NotFoundException"
        case .disabled: name = "DisabledException"
        case .invalidState: name = "KMSInvalidStateException"
        case .invalidCiphertext: name = "InvalidCiphertextException"
        case .incorrectKey: name = "IncorrectKeyException"
        case .invalidKeyUsage: name = "InvalidKeyUsageException"
        case .alreadyExists: name = "AlreadyExistsException"
        case .invalidAliasName: name = "InvalidAliasNameException"
        case .validation: name = "ValidationException"
        case .unsupportedOperation: name = "UnsupportedOperationException"
        case .tag: name = "TagException"
        case .invalidMarker: name = "InvalidMarkerException"
        case .limitExceeded: name = "LimitExceededException"
        case .accessDenied: name = "AccessDeniedException"
        case .notAuthorized: name = "NotAuthorizedException"
        case .malformedPolicyDocument: name = "MalformedPolicyDocumentException"
        case .invalidMac: name = "KMSInvalidMacException"
        case .invalidSignature: name = "KMSInvalidSignatureException"
        case .throttling: name = "ThrottlingException"
        case .incorrectKeyMaterial: name = "IncorrectKeyMaterialException"
        case .invalidImportToken: name = "InvalidImportTokenException"
        case .expiredImportToken: name = "ExpiredImportTokenException"
        case .invalidGrantToken: name = "InvalidGrantTokenException"
        default: name = "KMSInternalException"
        }
        return AWSErrorDescription(name: name, status: error.code.isClientFault ? 400 : 500, message: error.message)
    }
}

extension AWSErrorTable {
    /// The same errors as the Query protocol services (IAM, STS) name them: error code and status.
    static func describeQuery(_ error: any Error, sts: Bool) -> AWSErrorDescription {
        switch error {
        case let error as WireError:
            let (code, status): (String, Int)
            switch error.code {
            case .missingAuthenticationToken: (code, status) = ("MissingAuthenticationToken", 403)
            case .incompleteSignature: (code, status) = ("IncompleteSignature", 400)
            case .invalidSignature, .contentSHA256Mismatch: (code, status) = ("SignatureDoesNotMatch", 403)
            case .signatureExpired: (code, status) = ("RequestExpired", 400)
            case .unrecognizedClient: (code, status) = ("InvalidClientTokenId", 403)
            case .unknownOperation: (code, status) = ("InvalidAction", 400)
            case .accessDenied: (code, status) = ("AccessDenied", 403)
            case .requestTooLarge: (code, status) = ("RequestEntityTooLarge", 413)
            default: (code, status) = ("ValidationError", 400)
            }
            return AWSErrorDescription(name: code, status: status, message: error.message)
        case let error as IdentityError:
            let (code, status): (String, Int)
            switch error.code {
            case .notFound: (code, status) = ("NoSuchEntity", 404)
            case .alreadyExists: (code, status) = ("EntityAlreadyExists", 409)
            case .deleteConflict: (code, status) = ("DeleteConflict", 409)
            case .limitExceeded: (code, status) = ("LimitExceeded", 409)
            case .malformedPolicyDocument: (code, status) = ("MalformedPolicyDocument", 400)
            case .validation: (code, status) = ("ValidationError", 400)
            case .accessDenied: (code, status) = ("AccessDenied", 403)
            case .expiredToken: (code, status) = (sts ? "ExpiredTokenException" : "ExpiredToken", 400)
            default: (code, status) = ("ServiceFailure", 500)
            }
            return AWSErrorDescription(name: code, status: status, message: error.message)
        default:
            return AWSErrorDescription(name: "ServiceFailure", status: 500, message: "The request could not be completed because of an internal error.")
        }
    }
}
