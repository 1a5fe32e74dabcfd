import CofferCore
import Foundation

/// An account known to this server.
public struct Account: Sendable, Hashable {
    public var id: AccountID
    public var creationDate: Date
    public init(id: AccountID, creationDate: Date) {
        self.id = id
        self.creationDate = creationDate
    }
}

/// A long-term access key. The secret is held sealed; ``IdentityService`` unseals it on use.
public struct AccessKey: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case active = "Active"
        case inactive = "Inactive"
    }

    public var accessKeyID: String
    public var account: AccountID
    /// The principal the key authenticates, e.g. the account root `arn:aws:iam::111122223333:root`.
    public var principalARN: String
    public var sealedSecret: [UInt8]
    public var status: Status
    public var creationDate: Date

    public init(accessKeyID: String, account: AccountID, principalARN: String, sealedSecret: [UInt8], status: Status, creationDate: Date) {
        self.accessKeyID = accessKeyID
        self.account = account
        self.principalARN = principalARN
        self.sealedSecret = sealedSecret
        self.status = status
        self.creationDate = creationDate
    }

    /// The label binding a sealed secret to its access key id.
    public static func sealingLabel(accessKeyID: String) -> String { "access-key-secret:\(accessKeyID)" }
}

/// The principal a verified signature identifies.
public struct Principal: Sendable, Hashable {
    public var account: AccountID
    public var arn: String
    public var accessKeyID: String
}
