import CofferCore

/// Where a service finds the identity-based (IAM) policies of a caller.
public protocol IdentityPolicySource: Sendable {
    /// The policies attached to the caller's user or role; empty for the account root.
    func identityPolicies(for caller: Caller) async throws -> [PolicyDocument]
}
