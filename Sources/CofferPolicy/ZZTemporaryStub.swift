// TEMPORARY stand-in for the policy engine while it is written; replaced before commit.
import Foundation

public enum PolicyKind: Sendable { case identity, resource, trust }
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
public struct PolicyStatement: Sendable, Hashable {}
public struct PolicyDocument: Sendable, Hashable {
    public var version: String?
    public var statements: [PolicyStatement]
    public static func parse(_ json: String, kind: PolicyKind) throws(PolicyError) -> PolicyDocument {
        guard (try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil else { throw PolicyError(message: "bad json") }
        return PolicyDocument(version: nil, statements: [])
    }
    public func evaluate(_ request: PolicyRequest) -> PolicyResult { PolicyResult(explicitDeny: false, allow: .direct, denyingSid: nil) }
}
public struct PolicyPrincipal: Sendable, Hashable {
    public var arn: String
    public var account: String
    public var roleARN: String?
    public var isService: Bool
    public var isAccountRoot: Bool { arn.hasSuffix(":root") }
    public init(arn: String, account: String, roleARN: String? = nil, isService: Bool = false) {
        self.arn = arn; self.account = account; self.roleARN = roleARN; self.isService = isService
    }
}
public struct ConditionContext: Sendable, Hashable {
    var values: [String: [String]]
    public init(_ values: [String: [String]] = [:]) { self.values = values }
    public subscript(key: String) -> [String]? {
        get { values[key.lowercased()] }
        set { values[key.lowercased()] = newValue }
    }
}
public struct PolicyRequest: Sendable, Hashable {
    public var principal: PolicyPrincipal
    public var action: String
    public var resource: String
    public var context: ConditionContext
    public init(principal: PolicyPrincipal, action: String, resource: String, context: ConditionContext) {
        self.principal = principal; self.action = action; self.resource = resource; self.context = context
    }
}
public enum PrincipalMatch: Sendable, Hashable, Comparable { case none, account, direct }
public struct PolicyResult: Sendable, Hashable {
    public var explicitDeny: Bool
    public var allow: PrincipalMatch
    public var denyingSid: String?
}
public enum DenialReason: Sendable, Hashable {
    case explicitDenyInIdentityPolicy, explicitDenyInResourcePolicy
    case noIdentityPolicyAllows, noResourcePolicyAllows
}
public enum AuthorizationDecision: Sendable, Hashable {
    case allow
    case deny(DenialReason)
}
public struct Authorizer: Sendable {
    public struct Input: Sendable {
        public var request: PolicyRequest
        public var identityPolicies: [PolicyDocument]
        public var resourcePolicy: PolicyDocument?
        public var resourceAccount: String
        public var resourcePolicyRequired: Bool
        public var externalAllow: Bool
        public init(request: PolicyRequest, identityPolicies: [PolicyDocument], resourcePolicy: PolicyDocument? = nil, resourceAccount: String, resourcePolicyRequired: Bool = true, externalAllow: Bool = false) {
            self.request = request; self.identityPolicies = identityPolicies; self.resourcePolicy = resourcePolicy
            self.resourceAccount = resourceAccount; self.resourcePolicyRequired = resourcePolicyRequired; self.externalAllow = externalAllow
        }
    }
    public static func authorize(_ input: Input) -> AuthorizationDecision { .allow }
}
