/// One request to authorize: who, what, on which resource, with which condition keys.
public struct PolicyRequest: Sendable, Hashable {
    public var principal: PolicyPrincipal
    /// `service:Action`, e.g. `kms:Decrypt`; matched case-insensitively.
    public var action: String
    /// The resource ARN; matched case-sensitively.
    public var resource: String
    /// The request's condition keys. Principal-derived global keys (`aws:PrincipalArn`, `aws:PrincipalAccount`,
    /// `aws:PrincipalType`, `aws:PrincipalIsAWSService`, `aws:PrincipalServiceName`, `aws:username`) are added
    /// during evaluation when the context does not set them.
    public var context: ConditionContext

    /// A request; `context` defaults to no condition keys.
    public init(principal: PolicyPrincipal, action: String, resource: String, context: ConditionContext = ConditionContext()) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }

    /// The context with the principal-derived keys filled in where missing.
    var effectiveContext: ConditionContext {
        var result = context
        for (key, value) in principal.derivedConditionKeys where result[key] == nil {
            result[key] = [value]
        }
        return result
    }
}
