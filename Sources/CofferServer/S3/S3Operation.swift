import HTTPTypes

/// The S3 API operation a request names, from its method, whether it addresses a bucket and a key,
/// its sub-resource query parameters and (for copies) the `x-amz-copy-source` header.
enum S3Operation: String, Sendable {
    case listBuckets = "ListBuckets"
    case createBucket = "CreateBucket"
    case headBucket = "HeadBucket"
    case deleteBucket = "DeleteBucket"
    case getBucketLocation = "GetBucketLocation"
    case listObjects = "ListObjects"
    case listObjectsV2 = "ListObjectsV2"
    case listObjectVersions = "ListObjectVersions"
    case deleteObjects = "DeleteObjects"
    case getBucketEncryption = "GetBucketEncryption"
    case putBucketEncryption = "PutBucketEncryption"
    case deleteBucketEncryption = "DeleteBucketEncryption"
    case getBucketPolicy = "GetBucketPolicy"
    case putBucketPolicy = "PutBucketPolicy"
    case deleteBucketPolicy = "DeleteBucketPolicy"
    case getBucketVersioning = "GetBucketVersioning"
    case getBucketTagging = "GetBucketTagging"
    case putBucketTagging = "PutBucketTagging"
    case deleteBucketTagging = "DeleteBucketTagging"
    case listMultipartUploads = "ListMultipartUploads"
    case putObject = "PutObject"
    case copyObject = "CopyObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case deleteObject = "DeleteObject"
    case getObjectTagging = "GetObjectTagging"
    case putObjectTagging = "PutObjectTagging"
    case deleteObjectTagging = "DeleteObjectTagging"
    case createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case uploadPartCopy = "UploadPartCopy"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    case listParts = "ListParts"

    /// Whether the operation reads a request body of arbitrary size (streamed, never collected).
    var streamsBody: Bool { self == .putObject || self == .uploadPart }

    /// Whether CloudTrail counts the operation as a data event (object-level) rather than a management one.
    var isDataEvent: Bool {
        switch self {
        case .listBuckets, .createBucket, .headBucket, .deleteBucket, .getBucketLocation, .getBucketEncryption, .putBucketEncryption,
            .deleteBucketEncryption, .getBucketPolicy, .putBucketPolicy, .deleteBucketPolicy, .getBucketVersioning, .getBucketTagging,
            .putBucketTagging, .deleteBucketTagging:
            return false
        default: return true
        }
    }

    /// Picks the operation, or nil when the combination is not an S3 API call Coffer serves.
    static func route(method: HTTPRequest.Method, bucket: String?, key: String?, query: [String: String], copySource: Bool) -> S3Operation? {
        guard bucket != nil else { return method == .get ? .listBuckets : nil }
        if key == nil {
            switch method {
            case .get:
                if query["location"] != nil { return .getBucketLocation }
                if query["encryption"] != nil { return .getBucketEncryption }
                if query["policy"] != nil { return .getBucketPolicy }
                if query["versioning"] != nil { return .getBucketVersioning }
                if query["tagging"] != nil { return .getBucketTagging }
                if query["uploads"] != nil { return .listMultipartUploads }
                if query["list-type"] == "2" { return .listObjectsV2 }
                if query["versions"] != nil { return .listObjectVersions }
                return query.keys.contains(where: unsupportedBucketSubresources.contains) ? nil : .listObjects
            case .put:
                if query["encryption"] != nil { return .putBucketEncryption }
                if query["policy"] != nil { return .putBucketPolicy }
                if query["tagging"] != nil { return .putBucketTagging }
                if query["versioning"] != nil { return nil }
                return query.keys.contains(where: unsupportedBucketSubresources.contains) ? nil : .createBucket
            case .head: return .headBucket
            case .delete:
                if query["encryption"] != nil { return .deleteBucketEncryption }
                if query["policy"] != nil { return .deleteBucketPolicy }
                if query["tagging"] != nil { return .deleteBucketTagging }
                return query.keys.contains(where: unsupportedBucketSubresources.contains) ? nil : .deleteBucket
            case .post: return query["delete"] != nil ? .deleteObjects : nil
            default: return nil
            }
        }
        switch method {
        case .get:
            if query["tagging"] != nil { return .getObjectTagging }
            if query["uploadId"] != nil { return .listParts }
            return query.keys.contains(where: unsupportedObjectSubresources.contains) ? nil : .getObject
        case .head: return .headObject
        case .put:
            if query["tagging"] != nil { return .putObjectTagging }
            if query["partNumber"] != nil || query["uploadId"] != nil { return copySource ? .uploadPartCopy : .uploadPart }
            if query.keys.contains(where: unsupportedObjectSubresources.contains) { return nil }
            return copySource ? .copyObject : .putObject
        case .delete:
            if query["tagging"] != nil { return .deleteObjectTagging }
            if query["uploadId"] != nil { return .abortMultipartUpload }
            return .deleteObject
        case .post:
            if query["uploads"] != nil { return .createMultipartUpload }
            if query["uploadId"] != nil { return .completeMultipartUpload }
            return nil
        default: return nil
        }
    }

    /// Bucket sub-resources Coffer does not serve (answered NotImplemented rather than misread as another call).
    static let unsupportedBucketSubresources: Set<String> = [
        "acl", "analytics", "cors", "intelligent-tiering", "inventory", "lifecycle", "logging", "metrics", "notification",
        "ownershipControls", "policyStatus", "publicAccessBlock", "replication", "requestPayment", "website",
        "accelerate", "object-lock", "metadataTable",
    ]
    static let unsupportedObjectSubresources: Set<String> = ["acl", "attributes", "legal-hold", "retention", "restore", "select", "torrent", "versionId"]
}
