import Testing
@testable import CofferPolicy

/// One end-to-end authorization scenario taken from an AWS documentation page (policies rewritten with our own values).
struct AuthorizationCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The AWS documentation page the scenario follows.
    var source: String
    var identity: [String] = []
    var resourcePolicy: String?
    var resourceKind: PolicyKind = .resource
    var principal: PolicyPrincipal
    var action: String
    var resource: String
    var context: [String: [String]] = [:]
    var resourceAccount: String = Fixture.owner
    var resourcePolicyRequired = true
    var externalAllow = false
    var expected: AuthorizationDecision

    var testDescription: String { name }

    static let all: [AuthorizationCase] = kmsCases + evaluationCases + conditionCases + principalCases + variableCases
}

struct AuthorizationTableTests {
    @Test(arguments: AuthorizationCase.all)
    func decides(_ scenario: AuthorizationCase) throws {
        #expect(scenario.source.hasPrefix("https://docs.aws.amazon.com/"))
        let identity = try scenario.identity.map { try PolicyDocument.parse($0, kind: .identity) }
        let resource = try scenario.resourcePolicy.map { try PolicyDocument.parse($0, kind: scenario.resourceKind) }
        let input = Authorizer.Input(
            request: PolicyRequest(
                principal: scenario.principal, action: scenario.action, resource: scenario.resource,
                context: ConditionContext(scenario.context)),
            identityPolicies: identity,
            resourcePolicy: resource,
            resourceAccount: scenario.resourceAccount,
            resourcePolicyRequired: scenario.resourcePolicyRequired,
            externalAllow: scenario.externalAllow
        )
        #expect(Authorizer.authorize(input) == scenario.expected, "\(scenario.name) — \(scenario.source)")
    }

    @Test func tableIsLargeAndNamesAreUnique() {
        #expect(AuthorizationCase.all.count >= 70)
        #expect(Set(AuthorizationCase.all.map(\.name)).count == AuthorizationCase.all.count)
        // Both outcomes are exercised, so no scenario can pass by a constant answer.
        #expect(AuthorizationCase.all.contains { $0.expected == .allow })
        for reason in [DenialReason.explicitDenyInIdentityPolicy, .explicitDenyInResourcePolicy, .noIdentityPolicyAllows, .noResourcePolicyAllows] {
            #expect(AuthorizationCase.all.contains { $0.expected == .deny(reason) })
        }
    }
}
