extension DenialReason {
    /// AWS's AccessDenied message: who, which action, on what, and why.
    public func message(principalARN: String, action: String, resource: String) -> String {
        let why: String
        switch self {
        case .explicitDenyInIdentityPolicy: why = "with an explicit deny in an identity-based policy"
        case .explicitDenyInResourcePolicy: why = "with an explicit deny in a resource-based policy"
        case .noIdentityPolicyAllows: why = "because no identity-based policy allows the \(action) action"
        case .noResourcePolicyAllows: why = "because no resource-based policy allows the \(action) action"
        }
        return "User: \(principalARN) is not authorized to perform: \(action) on resource: \(resource) \(why)"
    }
}
