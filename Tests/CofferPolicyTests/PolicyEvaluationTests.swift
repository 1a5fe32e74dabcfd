import Testing
@testable import CofferPolicy

/// `PolicyDocument.evaluate` and `Authorizer` details outside the scenario table.
struct PolicyEvaluationTests {
    static let keyPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Alice", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Decrypt", "Resource": "*"},
          {"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"},
          {"Sid": "NoDelete", "Effect": "Deny", "Principal": "*", "Action": "kms:*Deletion", "Resource": "*"}
        ]}
        """

    func evaluate(_ principal: PolicyPrincipal, _ action: String) throws -> PolicyResult {
        try PolicyDocument.parse(Self.keyPolicy, kind: .resource)
            .evaluate(PolicyRequest(principal: principal, action: action, resource: Fixture.key))
    }

    @Test func principalMatchStrength() throws {
        #expect(try evaluate(Fixture.alice, "kms:Decrypt").allow == .direct)
        #expect(try evaluate(Fixture.alice, "kms:Encrypt").allow == .account)
        #expect(try evaluate(Fixture.root, "kms:Encrypt").allow == .direct)
        #expect(try evaluate(Fixture.carol, "kms:Encrypt").allow == .none)
        #expect(try evaluate(Fixture.s3Service, "kms:Encrypt").allow == .none)
        #expect(PrincipalMatch.none < .account && PrincipalMatch.account < .direct)
    }

    @Test func firstDenyingStatementIsReported() throws {
        let scheduled = try evaluate(Fixture.alice, "kms:ScheduleKeyDeletion")
        #expect(scheduled.explicitDeny)
        #expect(scheduled.denyingSid == nil)
        #expect(scheduled.allow == .account)
        let cancelled = try evaluate(Fixture.alice, "kms:CancelKeyDeletion")
        #expect(cancelled.explicitDeny)
        #expect(cancelled.denyingSid == "NoDelete")
        #expect(try !evaluate(Fixture.alice, "kms:Decrypt").explicitDeny)
    }

    @Test func identityPoliciesMatchEveryCallerDirectly() throws {
        let document = try PolicyDocument.parse(Fixture.allow("kms:Decrypt"), kind: .identity)
        for principal in [Fixture.alice, Fixture.carol, Fixture.adminSession] {
            #expect(document.evaluate(PolicyRequest(principal: principal, action: "kms:Decrypt", resource: Fixture.key)).allow == .direct)
        }
    }

    @Test func principalEntryMatching() {
        let cases: [(PolicyPrincipalEntry, PolicyPrincipal, PrincipalMatch)] = [
            (PolicyPrincipalEntry(.aws, "*"), Fixture.s3Service, .direct),
            (PolicyPrincipalEntry(.aws, "111122223333"), Fixture.alice, .account),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:root"), Fixture.adminSession, .account),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:root"), Fixture.root, .direct),
            (PolicyPrincipalEntry(.aws, "111122223333"), Fixture.carol, .none),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:role/KeyAdmin"), Fixture.adminSession, .direct),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:role/KeyAdmin"), Fixture.alice, .none),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:user/Alice"), Fixture.alice, .direct),
            (PolicyPrincipalEntry(.aws, "arn:aws:iam::111122223333:user/alice"), Fixture.alice, .none),
            (PolicyPrincipalEntry(.service, "S3.amazonaws.com"), Fixture.s3Service, .direct),
            (PolicyPrincipalEntry(.service, "s3.amazonaws.com"), Fixture.alice, .none),
            (PolicyPrincipalEntry(.aws, "s3.amazonaws.com"), Fixture.s3Service, .none),
            (PolicyPrincipalEntry(.federated, "arn:aws:iam::111122223333:saml-provider/Corp"), Fixture.alice, .none),
        ]
        for (entry, principal, expected) in cases {
            #expect(PrincipalMatcher.match(entry, principal) == expected, "\(entry) vs \(principal.arn)")
        }
        #expect(PrincipalMatcher.match(.everyone, Fixture.cloudTrail) == .direct)
    }

    @Test func derivedPrincipalKeys() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
              "StringEquals": {"aws:PrincipalAccount": "111122223333", "aws:PrincipalArn": "arn:aws:iam::111122223333:role/KeyAdmin"}}}}
            """, kind: .identity)
        #expect(document.evaluate(PolicyRequest(principal: Fixture.adminSession, action: "s3:GetObject", resource: Fixture.object)).allow == .direct)
        #expect(document.evaluate(PolicyRequest(principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object)).allow == .none)
        // An explicit context value wins over the derived one.
        let overridden = PolicyRequest(
            principal: Fixture.adminSession, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:PrincipalAccount": ["999999999999"]])
        #expect(document.evaluate(overridden).allow == .none)
        let keys = Fixture.s3Service.derivedConditionKeys
        #expect(keys["aws:principalisawsservice"] == "true")
        #expect(keys["aws:principalaccount"] == nil)
        #expect(Fixture.bob.derivedConditionKeys["aws:username"] == "Bob")
        #expect(Fixture.root.derivedConditionKeys["aws:principaltype"] == "Account")
        #expect(!Fixture.s3Service.isAccountRoot && Fixture.externalRoot.isAccountRoot && !Fixture.alice.isAccountRoot)
    }

    @Test func externalAllowNeverOverridesAnIdentityDeny() throws {
        let deny = try PolicyDocument.parse(
            #"{"Statement": {"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*"}}"#, kind: .identity)
        let input = Authorizer.Input(
            request: PolicyRequest(principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key),
            identityPolicies: [deny], resourceAccount: Fixture.owner, externalAllow: true)
        #expect(Authorizer.authorize(input) == .deny(.explicitDenyInIdentityPolicy))
    }

    @Test func inputDefaults() {
        let input = Authorizer.Input(request: PolicyRequest(principal: Fixture.root, action: "kms:Decrypt", resource: Fixture.key), resourceAccount: Fixture.owner)
        #expect(input.resourcePolicyRequired && !input.externalAllow && input.resourcePolicy == nil && input.identityPolicies.isEmpty)
        #expect(Authorizer.authorize(input) == .deny(.noResourcePolicyAllows))
    }

    @Test func programmaticDocumentsEvaluateLikeParsedOnes() throws {
        let built = PolicyDocument(statements: [
            PolicyStatement(
                effect: .allow, principal: PolicyPrincipalSet(entries: [PolicyPrincipalEntry(.aws, "111122223333")]),
                actions: ["kms:Encrypt"],
                conditions: [PolicyCondition(ConditionOperator(.stringEquals), key: "kms:EncryptionContext:App", values: ["web"])]),
        ])
        let parsed = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:Encrypt",
              "Condition": {"StringEquals": {"kms:encryptioncontext:app": "web"}}}]}
            """, kind: .resource)
        #expect(built == parsed)
        let request = PolicyRequest(principal: Fixture.root, action: "kms:Encrypt", resource: Fixture.key, context: ["kms:EncryptionContext:App": ["web"]])
        #expect(built.evaluate(request).allow == .direct)
    }

    @Test func mentionsConditionKey() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "kms:*", "Resource": "*", "Condition": {"ForAnyValue:StringLike": {"kms:ResourceAliases": "alias/app-*"}}},
              {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}]}
            """, kind: .identity)
        #expect(document.mentionsConditionKey("KMS:ResourceAliases"))
        #expect(document.mentionsConditionKey("aws:principaltag/Team"))
        #expect(!document.mentionsConditionKey("kms:RequestAlias"))
        #expect(!document.mentionsConditionKey("aws:PrincipalTag"))
        #expect(try !PolicyDocument.parse(Fixture.defaultKeyPolicy, kind: .resource).mentionsConditionKey("kms:ResourceAliases"))
    }

    @Test func notResourceWithUnresolvedVariableNeverApplies() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::home/${aws:username}/*"}}
            """, kind: .identity)
        #expect(document.evaluate(PolicyRequest(principal: Fixture.alice, action: "s3:GetObject", resource: "arn:aws:s3:::other/x")).allow == .direct)
        #expect(document.evaluate(PolicyRequest(principal: Fixture.alice, action: "s3:GetObject", resource: "arn:aws:s3:::home/Alice/x")).allow == .none)
        #expect(document.evaluate(PolicyRequest(principal: Fixture.adminSession, action: "s3:GetObject", resource: "arn:aws:s3:::other/x")).allow == .none)
    }
}
