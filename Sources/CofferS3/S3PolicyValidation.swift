import CofferPolicy

/// What S3 checks in a bucket policy beyond the policy grammar: every resource is the bucket or its
/// objects, and every action is an S3 action (exactly, or a wildcard pattern).
enum S3PolicyValidation {
    static func validate(_ policy: PolicyDocument, bucket: String) throws(S3Error) {
        let bucketARN = ObjectKeyring.bucketARN(bucket)
        for statement in policy.statements {
            for resource in statement.resources ?? [] {
                guard resource == bucketARN || resource.hasPrefix(bucketARN + "/") || resource == "*" else {
                    throw S3Error("MalformedPolicy", "Policy has invalid resource", bucket: bucket)
                }
            }
            for action in statement.actions where !isValid(action) {
                throw S3Error("MalformedPolicy", "Policy has invalid action", bucket: bucket)
            }
        }
    }

    static func isValid(_ action: String) -> Bool {
        if action == "*" { return true }
        let lowered = action.lowercased()
        guard lowered.hasPrefix("s3:") else { return false }
        let name = lowered.dropFirst(3)
        if name.contains("*") || name.contains("?") { return !name.isEmpty }
        return actions.contains(String(name))
    }

    /// S3's IAM actions, lowercased, without the `s3:` prefix.
    static let actions: Set<String> = Set([
        "AbortMultipartUpload", "BypassGovernanceRetention", "CreateBucket", "DeleteBucket", "DeleteBucketPolicy", "DeleteBucketWebsite",
        "DeleteBucketOwnershipControls", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion", "DeleteObjectVersionTagging",
        "GetAccelerateConfiguration", "GetAnalyticsConfiguration", "GetBucketAcl", "GetBucketCORS", "GetBucketLocation", "GetBucketLogging",
        "GetBucketNotification", "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls", "GetBucketPolicy", "GetBucketPolicyStatus",
        "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging", "GetBucketVersioning", "GetBucketWebsite",
        "GetEncryptionConfiguration", "GetInventoryConfiguration", "GetLifecycleConfiguration", "GetMetricsConfiguration", "GetObject",
        "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold", "GetObjectRetention", "GetObjectTagging", "GetObjectTorrent",
        "GetObjectVersion", "GetObjectVersionAcl", "GetObjectVersionAttributes", "GetObjectVersionTagging", "GetReplicationConfiguration",
        "ListAllMyBuckets", "ListBucket", "ListBucketMultipartUploads", "ListBucketVersions", "ListMultipartUploadParts", "PutAccelerateConfiguration",
        "PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS", "PutBucketLogging", "PutBucketNotification", "PutBucketObjectLockConfiguration",
        "PutBucketOwnershipControls", "PutBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketRequestPayment", "PutBucketTagging",
        "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration", "PutInventoryConfiguration", "PutLifecycleConfiguration",
        "PutMetricsConfiguration", "PutObject", "PutObjectAcl", "PutObjectLegalHold", "PutObjectRetention", "PutObjectTagging",
        "PutObjectVersionAcl", "PutObjectVersionTagging", "PutReplicationConfiguration", "ReplicateDelete", "ReplicateObject", "ReplicateTags",
        "RestoreObject", "GetIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration",
    ].map { $0.lowercased() })
}
