import CofferCore
import CofferPolicy

extension IdentityService {
    /// Checks that the caller's identity-based policies allow an IAM or STS action on a resource
    /// of the caller's own account (the account root is always allowed).
    public func authorize(_ caller: Caller, action: String, resource: String) async throws {
        let request = PolicyRequest(
            principal: caller.policyPrincipal, action: action, resource: resource, context: caller.globalConditionContext(now: clock.now())
        )
        let input = Authorizer.Input(
            request: request, identityPolicies: try await identityPolicies(for: caller), resourceAccount: caller.account.rawValue,
            resourcePolicyRequired: false
        )
        if case .deny(let reason) = Authorizer.authorize(input) {
            throw IdentityError(.accessDenied, reason.message(principalARN: caller.principalARN, action: action, resource: resource))
        }
    }

    /// The ARN an IAM action on a user or role names.
    static func resourceARN(_ account: AccountID, _ kind: String, path: String = "/", name: String) -> String {
        "arn:aws:iam::\(account.rawValue):\(kind)\(path)\(name)"
    }
}
