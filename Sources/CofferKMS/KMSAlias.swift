import CofferCore
import Foundation

/// A friendly name for a key, unique per account and region.
public struct KMSAlias: Sendable, Hashable {
    /// The full name, beginning with `alias/`.
    public var name: String
    public var account: AccountID
    public var region: Region
    public var targetKeyID: String
    public var creationDate: Date
    public var lastUpdatedDate: Date

    public init(name: String, account: AccountID, region: Region, targetKeyID: String, creationDate: Date, lastUpdatedDate: Date) {
        self.name = name
        self.account = account
        self.region = region
        self.targetKeyID = targetKeyID
        self.creationDate = creationDate
        self.lastUpdatedDate = lastUpdatedDate
    }

    public var arn: String { "arn:aws:kms:\(region.rawValue):\(account.rawValue):\(name)" }
}
