import CofferKMS
import CofferObjectStore
import CofferS3Wire

/// An S3 failure in S3's own terms: the error `Code` S3 returns and its message, plus the bucket and
/// key it concerns. The HTTP layer adds the status and renders the XML.
public struct S3Error: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var bucket: String?
    public var key: String?
    /// More elements of the error document, e.g. `Condition` of PreconditionFailed, `ArgumentName` and
    /// `ArgumentValue` of InvalidArgument.
    public var details: [String: String] = [:]

    public init(_ code: String, _ message: String, bucket: String? = nil, key: String? = nil) {
        self.code = code
        self.message = message
        self.bucket = bucket
        self.key = key
    }

    public var description: String { "\(code): \(message)" }

    public static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error("NoSuchBucket", "The specified bucket does not exist", bucket: bucket)
    }
    public static func noSuchKey(_ bucket: String, _ key: String) -> S3Error {
        S3Error("NoSuchKey", "The specified key does not exist.", bucket: bucket, key: key)
    }
    public static let accessDenied = S3Error("AccessDenied", "Access Denied")
    public static func preconditionFailed(_ condition: String, bucket: String, key: String) -> S3Error {
        var error = S3Error("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", bucket: bucket, key: key)
        error.details["Condition"] = condition
        return error
    }
    public static func invalidArgument(_ message: String) -> S3Error { S3Error("InvalidArgument", message) }
    /// InvalidArgument naming the argument and the value it had.
    public static func invalidArgument(_ message: String, name: String, value: String) -> S3Error {
        var error = S3Error("InvalidArgument", message)
        error.details = ["ArgumentName": name, "ArgumentValue": value]
        return error
    }
    public static func invalidRequest(_ message: String) -> S3Error { S3Error("InvalidRequest", message) }
    public static let internalError = S3Error("InternalError", "We encountered an internal error. Please try again.")

    /// An object-store failure, for `bucket`/`key`.
    public init(_ error: ObjectStoreError, bucket: String, key: String? = nil) {
        switch error {
        case .noSuchBucket: self = .noSuchBucket(bucket)
        case .noSuchKey: self = .noSuchKey(bucket, key ?? "")
        case .invalidRange: self = S3Error("InvalidRange", "The requested range is not satisfiable", bucket: bucket, key: key)
        case .corrupt: self = S3Error("InternalError", "The stored object failed its integrity check and is not returned.", bucket: bucket, key: key)
        case .bucketNotEmpty: self = S3Error("BucketNotEmpty", "The bucket you tried to delete is not empty", bucket: bucket)
        case .bucketAlreadyExists:
            self = S3Error("BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", bucket: bucket)
        case .bucketAlreadyOwnedByYou:
            self = S3Error("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", bucket: bucket)
        case .noSuchUpload:
            self = S3Error("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", bucket: bucket, key: key)
        case .invalidPart:
            self = S3Error("InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", bucket: bucket, key: key)
        case .invalidPartOrder:
            self = S3Error("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.", bucket: bucket, key: key)
        case .entityTooSmall:
            self = S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", bucket: bucket, key: key)
        case .invalidPartNumber:
            self = S3Error("InvalidPartNumber", "The requested partnumber is not satisfiable", bucket: bucket, key: key)
        case .invalidArgument(let message): self = .invalidArgument(message)
        case .uploadClosed, .storage: self = .internalError
        }
    }

    /// A KMS failure met while S3 protected or opened an object's data key, as S3 reports it.
    public init(kms error: KMSError) {
        switch error.code {
        case .accessDenied: self = .accessDenied
        case .notFound: self = S3Error("KMS.NotFoundException", error.message)
        case .disabled: self = S3Error("KMS.DisabledException", error.message)
        case .invalidState: self = S3Error("KMS.KMSInvalidStateException", error.message)
        case .invalidKeyUsage: self = S3Error("KMS.InvalidKeyUsageException", error.message)
        case .validation: self = .invalidArgument(error.message)
        case .throttling: self = S3Error("SlowDown", "Please reduce your request rate.")
        case .invalidCiphertext, .incorrectKey: self = S3Error("InternalError", "The object's data key could not be opened.")
        default: self = error.code.isClientFault ? S3Error("KMS.\(error.code.name)", error.message) : .internalError
        }
    }
}

extension S3Error {
    /// A wire-format refusal (malformed XML, bad tags, bad names), as S3 reports it.
    public init(_ error: S3WireError) {
        self.init(error.code, error.message)
    }
}
