import Foundation

/// A bucket.
public struct S3Bucket: Sendable, Hashable {
    public var name: String
    /// The 12-digit owner account.
    public var account: String
    public var region: String
    public var createdAt: Date

    public init(name: String, account: String, region: String, createdAt: Date) {
        self.name = name
        self.account = account
        self.region = region
        self.createdAt = createdAt
    }
}
