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
    /// The IAM user that owns the key; nil for the account root's keys.
    public var userName: String?
    public var sealedSecret: [UInt8]
    public var status: Status
    public var creationDate: Date

    public init(
        accessKeyID: String, account: AccountID, principalARN: String, userName: String? = nil, sealedSecret: [UInt8],
        status: Status, creationDate: Date
    ) {
        self.accessKeyID = accessKeyID
        self.account = account
        self.principalARN = principalARN
        self.userName = userName
        self.sealedSecret = sealedSecret
        self.status = status
        self.creationDate = creationDate
    }

    /// The label binding a sealed secret to its access key id.
    public static func sealingLabel(accessKeyID: String) -> String { "access-key-secret:\(accessKeyID)" }
}

/// The principal a verified signature identifies, with what policy evaluation needs of it.
public struct Principal: Sendable, Hashable {
    public var account: AccountID
    public var arn: String
    public var accessKeyID: String
    public var kind: Caller.Kind
    /// `aws:userid`: the account id (root), `AIDA...` (user), `AROA...:<session>` (role session).
    public var userID: String
    public var userName: String?
    public var roleARN: String?
    public var tags: [String: String]
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?

    public init(
        account: AccountID, arn: String, accessKeyID: String, kind: Caller.Kind = .root, userID: String? = nil,
        userName: String? = nil, roleARN: String? = nil, tags: [String: String] = [:], expiration: Date? = nil
    ) {
        self.account = account
        self.arn = arn
        self.accessKeyID = accessKeyID
        self.kind = kind
        self.userID = userID ?? account.rawValue
        self.userName = userName
        self.roleARN = roleARN
        self.tags = tags
        self.expiration = expiration
    }
}
