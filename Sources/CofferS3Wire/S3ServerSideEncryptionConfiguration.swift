/// A default-encryption algorithm a general purpose bucket accepts.
public enum S3SSEAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// SSE-S3.
    case aes256 = "AES256"
    /// SSE-KMS.
    case awsKMS = "aws:kms"
    /// DSSE-KMS (dual-layer).
    case awsKMSDSSE = "aws:kms:dsse"
}

/// The body of PutBucketEncryption: `<ServerSideEncryptionConfiguration>` with one `<Rule>`.
public struct S3ServerSideEncryptionConfiguration: Sendable, Equatable {
    /// The encryption types `BlockedEncryptionTypes` may list.
    public static let encryptionTypes: Set<String> = ["NONE", "SSE-C"]

    /// `ApplyServerSideEncryptionByDefault/SSEAlgorithm`.
    public var sseAlgorithm: S3SSEAlgorithm
    /// `ApplyServerSideEncryptionByDefault/KMSMasterKeyID`, trimmed; nil when absent or empty.
    public var kmsMasterKeyID: String?
    /// `BucketKeyEnabled`; false when absent.
    public var bucketKeyEnabled: Bool
    /// `BlockedEncryptionTypes/EncryptionType` values in order (`NONE`, `SSE-C`).
    public var blockedEncryptionTypes: [String]

    /// A configuration, e.g. for tests.
    public init(sseAlgorithm: S3SSEAlgorithm, kmsMasterKeyID: String? = nil, bucketKeyEnabled: Bool = false,
                blockedEncryptionTypes: [String] = []) {
        self.sseAlgorithm = sseAlgorithm
        self.kmsMasterKeyID = kmsMasterKeyID
        self.bucketKeyEnabled = bucketKeyEnabled
        self.blockedEncryptionTypes = blockedEncryptionTypes
    }

    /// Parses the request body. Anything but exactly one `Rule` with an
    /// `ApplyServerSideEncryptionByDefault`, an unknown algorithm or encryption type, or a
    /// non-boolean `BucketKeyEnabled` is `MalformedXML`; a key ID with `AES256` is `InvalidArgument`.
    public static func parse(_ body: [UInt8]) throws(S3WireError) -> S3ServerSideEncryptionConfiguration {
        let root = try S3XMLElement.parse(body)
        try root.expectName("ServerSideEncryptionConfiguration")
        let rule = try root.requiredChild("Rule")
        let byDefault = try rule.requiredChild("ApplyServerSideEncryptionByDefault")
        guard let algorithm = S3SSEAlgorithm(rawValue: S3XMLElement.trimmed(try byDefault.requiredText("SSEAlgorithm")))
        else { throw .malformedXML }
        var keyID = try byDefault.optionalText("KMSMasterKeyID").map(S3XMLElement.trimmed)
        if keyID?.isEmpty == true { keyID = nil }
        if keyID != nil, algorithm == .aes256 {
            throw .invalidArgument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
        }
        let bucketKey = try rule.optionalBoolean("BucketKeyEnabled", default: false)
        var blocked: [String] = []
        if let types = try rule.optionalChild("BlockedEncryptionTypes") {
            for type in types.children("EncryptionType") {
                guard type.children.isEmpty else { throw .malformedXML }
                let value = S3XMLElement.trimmed(type.text)
                guard encryptionTypes.contains(value) else { throw .malformedXML }
                blocked.append(value)
            }
        }
        return S3ServerSideEncryptionConfiguration(
            sseAlgorithm: algorithm, kmsMasterKeyID: keyID, bucketKeyEnabled: bucketKey,
            blockedEncryptionTypes: blocked)
    }
}
