import CofferCore
import Foundation

/// An IAM user: a long-term identity inside one account.
public struct IAMUser: Sendable, Hashable {
    public var account: AccountID
    public var name: String
    /// `/` or `/division/team/`.
    public var path: String
    /// The unique id (`AIDA...`), the value of `aws:userid`.
    public var userID: String
    public var creationDate: Date
    public var tags: [String: String]

    public init(account: AccountID, name: String, path: String, userID: String, creationDate: Date, tags: [String: String]) {
        self.account = account
        self.name = name
        self.path = path
        self.userID = userID
        self.creationDate = creationDate
        self.tags = tags
    }

    public var arn: String { "arn:aws:iam::\(account.rawValue):user\(path)\(name)" }
}

/// An IAM role: an identity that principals trusted by its trust policy can assume for a while.
public struct IAMRole: Sendable, Hashable {
    public var account: AccountID
    public var name: String
    public var path: String
    /// The unique id (`AROA...`).
    public var roleID: String
    public var creationDate: Date
    /// The trust policy (who may call sts:AssumeRole), as the JSON text the caller gave.
    public var trustPolicy: String
    public var description: String?
    /// The longest session AssumeRole may grant, in seconds (3600–43200).
    public var maxSessionDuration: Int
    public var tags: [String: String]

    public init(
        account: AccountID, name: String, path: String, roleID: String, creationDate: Date, trustPolicy: String,
        description: String?, maxSessionDuration: Int, tags: [String: String]
    ) {
        self.account = account
        self.name = name
        self.path = path
        self.roleID = roleID
        self.creationDate = creationDate
        self.trustPolicy = trustPolicy
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.tags = tags
    }

    public var arn: String { "arn:aws:iam::\(account.rawValue):role\(path)\(name)" }
}

/// Who an inline policy is embedded in.
public enum PolicyOwner: Sendable, Hashable {
    case user(String)
    case role(String)

    public var name: String {
        switch self {
        case .user(let name), .role(let name): name
        }
    }

    /// The storage tag of the owner kind.
    public var kind: String {
        switch self {
        case .user: "user"
        case .role: "role"
        }
    }
}
