/// Why a request was denied.
public enum DenialReason: Sendable, Hashable {
    case explicitDenyInIdentityPolicy
    case explicitDenyInResourcePolicy
    case noIdentityPolicyAllows
    case noResourcePolicyAllows
}

/// The final decision on a request.
public enum AuthorizationDecision: Sendable, Hashable {
    case allow
    case deny(DenialReason)
}

/// Combines a caller's identity policies and a resource's policy as AWS's policy evaluation logic does for
/// one account boundary (no SCPs, permission boundaries or session policies).
///
/// 1. An explicit deny wins. Identity policies are checked first, so a request denied by both reports
///    `.explicitDenyInIdentityPolicy`.
/// 2. Identity policies allow when any of them allows; the root user and service principals are allowed by
///    identity without policies (their identity policies are ignored).
/// 3. Same account, resource policy required (KMS keys, trust policies): a resource-policy allow that names the
///    caller (or everyone) suffices; one that names only the caller's account also needs an identity allow.
/// 4. Same account, resource policy optional (S3-style): an identity allow or a resource-policy allow naming the
///    caller suffices. A resource-policy allow naming only the account delegates to IAM, so it still needs an
///    identity allow, as when it names the account in a trust or key policy.
/// 5. Cross-account (and every service principal): the resource policy must allow (by name or by account), and the
///    caller's own identity policies must allow too.
/// 6. `externalAllow` (a KMS grant) stands in for a resource-policy allow that names the caller; it is also
///    sufficient across accounts, since a grant to an external principal works without that principal's IAM policy.
public struct Authorizer: Sendable {
    /// A request with every policy that bears on it.
    public struct Input: Sendable {
        public var request: PolicyRequest
        /// The caller's IAM policies; ignored when the caller is an account root or a service principal.
        public var identityPolicies: [PolicyDocument]
        public var resourcePolicy: PolicyDocument?
        /// The account that owns the resource.
        public var resourceAccount: String
        /// True for KMS keys and role trust policies: the resource policy must allow, directly or by naming the
        /// caller's account (then an identity allow is needed as well). False for S3-style resources, where within
        /// one account an identity allow suffices.
        public var resourcePolicyRequired: Bool
        /// An allow from outside the policies (a KMS grant): counts as a resource-side direct allow but never
        /// overrides an explicit deny.
        public var externalAllow: Bool

        /// An input; by default there is no resource policy, it is required, and there is no grant.
        public init(
            request: PolicyRequest,
            identityPolicies: [PolicyDocument] = [],
            resourcePolicy: PolicyDocument? = nil,
            resourceAccount: String,
            resourcePolicyRequired: Bool = true,
            externalAllow: Bool = false
        ) {
            self.request = request
            self.identityPolicies = identityPolicies
            self.resourcePolicy = resourcePolicy
            self.resourceAccount = resourceAccount
            self.resourcePolicyRequired = resourcePolicyRequired
            self.externalAllow = externalAllow
        }
    }

    /// The decision for `input`.
    public static func authorize(_ input: Input) -> AuthorizationDecision {
        let caller = input.request.principal
        let identityExempt = caller.isAccountRoot || caller.isService
        var identityAllows = identityExempt
        if !identityExempt {
            for policy in input.identityPolicies {
                let result = policy.evaluate(input.request)
                if result.explicitDeny { return .deny(.explicitDenyInIdentityPolicy) }
                if result.allow != .none { identityAllows = true }
            }
        }

        let resource = input.resourcePolicy?.evaluate(input.request) ?? PolicyResult()
        if resource.explicitDeny { return .deny(.explicitDenyInResourcePolicy) }

        let sameAccount = !caller.isService && caller.account == input.resourceAccount
        if input.externalAllow || (sameAccount && resource.allow == .direct) { return .allow }

        if sameAccount {
            if resource.allow == .account {
                return identityAllows ? .allow : .deny(.noIdentityPolicyAllows)
            }
            if input.resourcePolicyRequired { return .deny(.noResourcePolicyAllows) }
            return identityAllows ? .allow : .deny(.noIdentityPolicyAllows)
        }

        guard resource.allow != .none else { return .deny(.noResourcePolicyAllows) }
        return identityAllows ? .allow : .deny(.noIdentityPolicyAllows)
    }
}
