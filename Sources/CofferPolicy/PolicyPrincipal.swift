/// The authenticated caller of a request.
public struct PolicyPrincipal: Sendable, Hashable {
    /// `arn:aws:iam::111122223333:root`, `arn:aws:iam::111122223333:user/path/Alice`,
    /// `arn:aws:sts::111122223333:assumed-role/RoleName/session`, or a service name such as `s3.amazonaws.com`.
    public var arn: String
    /// The caller's 12-digit account ID; empty for service principals.
    public var account: String
    /// For an assumed-role session, the ARN of the role (with its path): `arn:aws:iam::111122223333:role/RoleName`.
    public var roleARN: String?
    /// Whether this is an AWS service principal (`isService` principals only match `Service` entries and `*`).
    public var isService: Bool

    /// A caller; pass `roleARN` for assumed-role sessions and `isService` for AWS service principals.
    public init(arn: String, account: String, roleARN: String? = nil, isService: Bool = false) {
        self.arn = arn
        self.account = account
        self.roleARN = roleARN
        self.isService = isService
    }

    /// A service principal such as `s3.amazonaws.com`.
    public static func service(_ name: String) -> PolicyPrincipal {
        PolicyPrincipal(arn: name, account: "", isService: true)
    }

    /// Whether this is an account's root user (its ARN ends with `:root`).
    public var isAccountRoot: Bool { !isService && arn.hasSuffix(":root") }

    /// The global condition keys AWS derives from the caller, used when the request context does not set them:
    /// `aws:PrincipalArn` (the role ARN for a role session), `aws:PrincipalAccount`, `aws:PrincipalType`,
    /// `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName` (services) and `aws:username` (IAM users).
    var derivedConditionKeys: [String: String] {
        if isService {
            return ["aws:principalisawsservice": "true", "aws:principalservicename": arn]
        }
        var keys = ["aws:principalisawsservice": "false", "aws:principalarn": roleARN ?? arn]
        if !account.isEmpty { keys["aws:principalaccount"] = account }
        let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        if isAccountRoot {
            keys["aws:principaltype"] = "Account"
        } else if resource.hasPrefix("user/") {
            keys["aws:principaltype"] = "User"
            if let name = resource.split(separator: "/").last { keys["aws:username"] = String(name) }
        } else if resource.hasPrefix("assumed-role/") {
            keys["aws:principaltype"] = "AssumedRole"
        } else if resource.hasPrefix("federated-user/") {
            keys["aws:principaltype"] = "FederatedUser"
        }
        return keys
    }
}
