/// The server-side encryption a request asks for, from its `x-amz-server-side-encryption*` headers.
public enum SSERequest: Sendable, Equatable {
    /// No header: the bucket's default applies (SSE-S3 when it has none).
    case bucketDefault
    /// `AES256`.
    case s3
    /// `aws:kms`: an explicit key (id, ARN, alias) or the AWS managed `alias/aws/s3` key; the caller's extra
    /// encryption context; the bucket-key choice (nil: the bucket's default).
    case kms(keyID: String?, context: [String: String], bucketKey: Bool?)
    /// SSE-C: the caller's 256-bit key (its MD5 already checked against the key-MD5 header).
    case customer(key: [UInt8])
}

/// How an object is protected, as responses report it (`x-amz-server-side-encryption*` headers).
public struct SSESummary: Sendable, Equatable {
    /// `AES256` or `aws:kms`; nil for SSE-C.
    public var algorithm: String?
    /// The full key ARN, for SSE-KMS.
    public var kmsKeyARN: String?
    /// The encryption context, `aws:s3:arn` included, for SSE-KMS.
    public var kmsContext: [String: String]?
    public var bucketKeyEnabled: Bool
    /// For SSE-C: the base64 MD5 of the customer key (S3 echoes the algorithm `AES256` and this).
    public var customerKeyMD5: String?

    public init(algorithm: String?, kmsKeyARN: String? = nil, kmsContext: [String: String]? = nil, bucketKeyEnabled: Bool = false, customerKeyMD5: String? = nil) {
        self.algorithm = algorithm
        self.kmsKeyARN = kmsKeyARN
        self.kmsContext = kmsContext
        self.bucketKeyEnabled = bucketKeyEnabled
        self.customerKeyMD5 = customerKeyMD5
    }
}

/// The encryption a new object gets once the bucket default is applied.
public enum ResolvedSSE: Sendable, Equatable {
    case s3
    case kms(keyID: String?, context: [String: String], bucketKey: Bool)
    case customer(key: [UInt8])
}
