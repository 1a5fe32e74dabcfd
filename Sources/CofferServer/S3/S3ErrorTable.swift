import CofferS3
import CofferWire

extension AWSErrorTable {
    /// Errors as S3 names them: its Code and HTTP status.
    static func describeS3(_ error: any Error, presigned: Bool = false) -> AWSErrorDescription {
        switch error {
        case let error as S3Error:
            var description = AWSErrorDescription(name: error.code, status: s3Status[error.code] ?? (error.code.hasPrefix("KMS.") ? 400 : 500), message: error.message)
            description.details = error.details.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return description
        case let error as WireError:
            let (code, status): (String, Int)
            switch error.code {
            case .missingAuthenticationToken: (code, status) = ("AccessDenied", 403)
            case .incompleteSignature: (code, status) = ("AuthorizationHeaderMalformed", 400)
            case .invalidSignature: (code, status) = ("SignatureDoesNotMatch", 403)
            case .contentSHA256Mismatch: (code, status) = ("XAmzContentSHA256Mismatch", 400)
            case .signatureExpired:
                if presigned { return AWSErrorDescription(name: "AccessDenied", status: 403, message: "Request has expired") }
                return AWSErrorDescription(name: "RequestTimeTooSkewed", status: 403, message: "The difference between the request time and the current time is too large.")
            case .unrecognizedClient: (code, status) = ("InvalidAccessKeyId", 403)
            case .accessDenied: (code, status) = ("AccessDenied", 403)
            case .requestTooLarge: (code, status) = ("MaxMessageLengthExceeded", 400)
            default: (code, status) = ("InvalidRequest", 400)
            }
            let message = code == "InvalidAccessKeyId" ? "The AWS Access Key Id you provided does not exist in our records." : error.message
            return AWSErrorDescription(name: code, status: status, message: message)
        default:
            let described = describe(error)
            if described.name == "ExpiredTokenException" { return AWSErrorDescription(name: "ExpiredToken", status: 400, message: described.message) }
            if described.status < 500 { return AWSErrorDescription(name: described.name, status: described.status, message: described.message) }
            return AWSErrorDescription(name: "InternalError", status: 500, message: "We encountered an internal error. Please try again.")
        }
    }

    /// The HTTP status of each S3 error code Coffer returns.
    static let s3Status: [String: Int] = [
        "AccessDenied": 403, "AuthorizationHeaderMalformed": 400, "BadDigest": 400, "BucketAlreadyExists": 409,
        "BucketAlreadyOwnedByYou": 409, "BucketNotEmpty": 409, "EntityTooLarge": 400, "EntityTooSmall": 400,
        "IllegalLocationConstraintException": 400, "IncompleteBody": 400, "InternalError": 500, "InvalidArgument": 400,
        "InvalidBucketName": 400, "InvalidDigest": 400, "InvalidEncryptionAlgorithmError": 400, "InvalidLocationConstraint": 400,
        "InvalidPart": 400, "InvalidPartOrder": 400, "InvalidRange": 416, "InvalidRequest": 400, "InvalidTag": 400,
        "KeyTooLongError": 400, "MalformedXML": 400, "MalformedPolicy": 400, "MaxMessageLengthExceeded": 400,
        "MissingContentLength": 411, "NoSuchBucket": 404, "NoSuchBucketPolicy": 404, "NoSuchKey": 404, "NoSuchUpload": 404,
        "NoSuchTagSet": 404, "NotImplemented": 501, "PreconditionFailed": 412, "NotModified": 304, "SignatureDoesNotMatch": 403,
        "ServerSideEncryptionConfigurationNotFoundError": 404, "SlowDown": 503, "XAmzContentSHA256Mismatch": 400,
        "InvalidObjectState": 403, "ExpiredToken": 400, "InvalidPartNumber": 416, "BadRequest": 400, "InvalidStorageClass": 400, "MethodNotAllowed": 405,
        "PolicyTooLarge": 400, "InvalidURI": 400, "IllegalVersioningConfigurationException": 400,
    ]
}
