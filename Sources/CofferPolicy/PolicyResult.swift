/// How an `Allow` statement's principal matched the caller, weakest first.
public enum PrincipalMatch: Sendable, Hashable, Comparable {
    /// No `Allow` statement applied.
    case none
    /// The statement names the caller's account (`111122223333` or `arn:aws:iam::111122223333:root`) and the
    /// caller is a user or role of that account rather than its root: the account delegates to its IAM policies.
    case account
    /// The statement names the caller itself (its ARN, its role's ARN for a role session, the root ARN for the
    /// root user, its service name), everyone (`*`), or has no principal (identity policies).
    case direct
}

/// The outcome of evaluating one policy document.
public struct PolicyResult: Sendable, Hashable {
    /// Whether a `Deny` statement applied.
    public var explicitDeny: Bool
    /// The strongest principal match among the `Allow` statements that applied.
    public var allow: PrincipalMatch
    /// The `Sid` of the first `Deny` statement that applied, if it has one.
    public var denyingSid: String?

    /// A result; the default is "no statement applied".
    public init(explicitDeny: Bool = false, allow: PrincipalMatch = .none, denyingSid: String? = nil) {
        self.explicitDeny = explicitDeny
        self.allow = allow
        self.denyingSid = denyingSid
    }
}
