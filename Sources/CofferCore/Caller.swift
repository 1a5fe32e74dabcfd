/// The authenticated identity behind a request, as the domain modules see it.
public struct Caller: Hashable, Sendable {
    /// What kind of principal signed the request.
    public enum Kind: String, Hashable, Sendable {
        /// The account's root principal (`arn:aws:iam::<account>:root`).
        case root = "Root"
        /// An IAM user (`arn:aws:iam::<account>:user/<path><name>`).
        case user = "IAMUser"
        /// A role session from STS AssumeRole (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
        case assumedRole = "AssumedRole"
    }

    /// The account the credentials belong to.
    public var account: AccountID
    /// The principal's ARN, e.g. `arn:aws:iam::111122223333:root`.
    public var principalARN: String
    /// The access key that signed the request.
    public var accessKeyID: String
    /// The region named in the request's credential scope.
    public var region: Region
    /// The Coffer service (such as "s3") making this call on the principal's behalf, if any; the
    /// `kms:ViaService` condition key is `<service>.<region>.amazonaws.com`. Nil for requests that
    /// come straight from a client.
    public var viaService: String?
    public var kind: Kind
    /// The unique id AWS shows as `aws:userid`: the account id for root, `AIDA...` for a user,
    /// `AROA...:<session>` for a role session.
    public var userID: String
    /// The IAM user name (`aws:username`), for users only.
    public var userName: String?
    /// The role a session belongs to (its ARN), for assumed-role sessions only.
    public var roleARN: String?
    /// Tags of the user or role (`aws:PrincipalTag/<key>`).
    public var principalTags: [String: String]
    /// The client's address (`aws:SourceIp`), when known.
    public var sourceIP: String?
    /// Whether the request arrived over TLS (`aws:SecureTransport`).
    public var secureTransport: Bool

    public init(
        account: AccountID, principalARN: String, accessKeyID: String, region: Region, viaService: String? = nil,
        kind: Kind = .root, userID: String? = nil, userName: String? = nil, roleARN: String? = nil,
        principalTags: [String: String] = [:], sourceIP: String? = nil, secureTransport: Bool = true
    ) {
        self.account = account
        self.principalARN = principalARN
        self.accessKeyID = accessKeyID
        self.region = region
        self.viaService = viaService
        self.kind = kind
        self.userID = userID ?? account.rawValue
        self.userName = userName
        self.roleARN = roleARN
        self.principalTags = principalTags
        self.sourceIP = sourceIP
        self.secureTransport = secureTransport
    }
}
