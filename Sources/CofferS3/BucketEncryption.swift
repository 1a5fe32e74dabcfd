import Foundation

/// A bucket's default encryption (PutBucketEncryption): what objects written without SSE headers get, and
/// which encryption types writes may not use.
public struct BucketEncryption: Sendable, Equatable, Codable {
    /// `AES256` or `aws:kms`.
    public var algorithm: String
    public var kmsMasterKeyID: String?
    public var bucketKeyEnabled: Bool
    /// `SSE-C` to refuse customer-provided keys (`NONE` blocks nothing).
    public var blockedEncryptionTypes: [String]

    public init(algorithm: String, kmsMasterKeyID: String? = nil, bucketKeyEnabled: Bool = false, blockedEncryptionTypes: [String] = []) {
        self.algorithm = algorithm
        self.kmsMasterKeyID = kmsMasterKeyID
        self.bucketKeyEnabled = bucketKeyEnabled
        self.blockedEncryptionTypes = blockedEncryptionTypes
    }

    /// What a bucket without a configuration applies, as AWS since January 2023.
    public static let s3Default = BucketEncryption(algorithm: "AES256")

    var blocksCustomerKeys: Bool { blockedEncryptionTypes.contains("SSE-C") }
}
