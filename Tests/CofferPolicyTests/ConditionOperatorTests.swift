import Testing
@testable import CofferPolicy

/// One condition, one request context, and whether the condition holds.
struct ConditionCase: Sendable, CustomTestStringConvertible {
    var op: String
    var policyValues: String
    var requestValues: [String]?
    var holds: Bool
    var key = "test:Key"

    var testDescription: String { "\(op) \(policyValues) vs \(requestValues.map { "\($0)" } ?? "absent") → \(holds)" }
}

/// Operator semantics from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
/// and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
struct ConditionOperatorTests {
    static let cases: [ConditionCase] = [
        // String
        ConditionCase(op: "StringEquals", policyValues: #""Alpha""#, requestValues: ["Alpha"], holds: true),
        ConditionCase(op: "StringEquals", policyValues: #""Alpha""#, requestValues: ["alpha"], holds: false),
        ConditionCase(op: "StringEquals", policyValues: #""Al*""#, requestValues: ["Alpha"], holds: false),
        ConditionCase(op: "StringEquals", policyValues: #"["a", "b"]"#, requestValues: ["b"], holds: true),
        ConditionCase(op: "StringEquals", policyValues: #""a""#, requestValues: ["x", "a"], holds: true),
        ConditionCase(op: "StringEquals", policyValues: #""a""#, requestValues: [], holds: false),
        ConditionCase(op: "StringNotEquals", policyValues: #"["a", "b"]"#, requestValues: ["b"], holds: false),
        ConditionCase(op: "StringNotEquals", policyValues: #"["a", "b"]"#, requestValues: ["c"], holds: true),
        ConditionCase(op: "StringNotEquals", policyValues: #""a""#, requestValues: nil, holds: true),
        ConditionCase(op: "StringNotEquals", policyValues: #""a""#, requestValues: ["x", "a"], holds: false),
        ConditionCase(op: "StringNotEqualsIfExists", policyValues: #""a""#, requestValues: ["a"], holds: false),
        ConditionCase(op: "StringEqualsIgnoreCase", policyValues: #""ALPHA""#, requestValues: ["alpha"], holds: true),
        ConditionCase(op: "StringNotEqualsIgnoreCase", policyValues: #""ALPHA""#, requestValues: ["Alpha"], holds: false),
        ConditionCase(op: "StringNotEqualsIgnoreCase", policyValues: #""ALPHA""#, requestValues: ["Beta"], holds: true),
        ConditionCase(op: "StringLike", policyValues: #""home/*/docs""#, requestValues: ["home/alice/docs"], holds: true),
        ConditionCase(op: "StringLike", policyValues: #""home/*/docs""#, requestValues: ["home/alice/docs/x"], holds: false),
        ConditionCase(op: "StringLike", policyValues: #""v?""#, requestValues: ["v1"], holds: true),
        ConditionCase(op: "StringLike", policyValues: #""v?""#, requestValues: ["v10"], holds: false),
        ConditionCase(op: "StringLike", policyValues: #""V*""#, requestValues: ["v1"], holds: false),
        ConditionCase(op: "StringLike", policyValues: #""*""#, requestValues: nil, holds: false),
        ConditionCase(op: "StringNotLike", policyValues: #"["tmp/*", "cache/*"]"#, requestValues: ["cache/a"], holds: false),
        ConditionCase(op: "StringNotLike", policyValues: #"["tmp/*", "cache/*"]"#, requestValues: ["data/a"], holds: true),
        ConditionCase(op: "StringNotLike", policyValues: #""tmp/*""#, requestValues: nil, holds: true),
        ConditionCase(op: "StringLikeIfExists", policyValues: #""tmp/*""#, requestValues: nil, holds: true),
        ConditionCase(op: "StringLikeIfExists", policyValues: #""tmp/*""#, requestValues: ["data"], holds: false),
        // Numeric
        ConditionCase(op: "NumericEquals", policyValues: "10", requestValues: ["10.0"], holds: true),
        ConditionCase(op: "NumericEquals", policyValues: #""1e1""#, requestValues: ["10"], holds: true),
        ConditionCase(op: "NumericNotEquals", policyValues: "10", requestValues: ["11"], holds: true),
        ConditionCase(op: "NumericNotEquals", policyValues: "10", requestValues: ["10"], holds: false),
        ConditionCase(op: "NumericLessThan", policyValues: "-5", requestValues: ["-6"], holds: true),
        ConditionCase(op: "NumericLessThanEquals", policyValues: "100", requestValues: ["100"], holds: true),
        ConditionCase(op: "NumericLessThanEquals", policyValues: "100", requestValues: ["100.5"], holds: false),
        ConditionCase(op: "NumericGreaterThan", policyValues: "2.5", requestValues: ["3"], holds: true),
        ConditionCase(op: "NumericGreaterThan", policyValues: "2.5", requestValues: ["2.5"], holds: false),
        ConditionCase(op: "NumericGreaterThanEquals", policyValues: "2.5", requestValues: ["2.5"], holds: true),
        ConditionCase(op: "NumericLessThan", policyValues: #""ten""#, requestValues: ["1"], holds: false),
        ConditionCase(op: "NumericNotEquals", policyValues: #""ten""#, requestValues: ["1"], holds: false),
        ConditionCase(op: "NumericLessThan", policyValues: #""nan""#, requestValues: ["1"], holds: false),
        ConditionCase(op: "NumericLessThan", policyValues: "10", requestValues: ["0x1"], holds: false),
        ConditionCase(op: "NumericLessThan", policyValues: "10", requestValues: ["inf"], holds: false),
        // Date
        ConditionCase(op: "DateEquals", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["1795514400"], holds: true),
        ConditionCase(op: "DateEquals", policyValues: #""2026-11-24T11:00:00+01:00""#, requestValues: ["2026-11-24T10:00:00.000Z"], holds: true),
        ConditionCase(op: "DateNotEquals", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["2026-11-24T10:00:01Z"], holds: true),
        ConditionCase(op: "DateNotEquals", policyValues: #""2026-11-24""#, requestValues: ["2026-11-24T00:00:00Z"], holds: false),
        ConditionCase(op: "DateLessThan", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["2026-11-24T09:59:59.999Z"], holds: true),
        ConditionCase(op: "DateLessThanEquals", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["2026-11-24T10:00:00Z"], holds: true),
        ConditionCase(op: "DateGreaterThan", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["2026-11-24T10:00:00Z"], holds: false),
        ConditionCase(op: "DateGreaterThanEquals", policyValues: "1795514400", requestValues: ["2026-11-24T05:00:00-05:00"], holds: true),
        ConditionCase(op: "DateGreaterThan", policyValues: #""2026-13-01T00:00:00Z""#, requestValues: ["2027-01-01T00:00:00Z"], holds: false),
        ConditionCase(op: "DateLessThan", policyValues: #""2026-11-24T10:00:00Z""#, requestValues: ["yesterday"], holds: false),
        // Bool
        ConditionCase(op: "Bool", policyValues: "true", requestValues: ["True"], holds: true),
        ConditionCase(op: "Bool", policyValues: #""false""#, requestValues: ["true"], holds: false),
        ConditionCase(op: "Bool", policyValues: #""false""#, requestValues: nil, holds: false),
        ConditionCase(op: "BoolIfExists", policyValues: #""false""#, requestValues: nil, holds: true),
        // Binary
        ConditionCase(op: "BinaryEquals", policyValues: #""QmluYXJ5VmFsdWU=""#, requestValues: ["QmluYXJ5VmFsdWU="], holds: true),
        ConditionCase(op: "BinaryEquals", policyValues: #""QmluYXJ5VmFsdWU=""#, requestValues: ["QmluYXJ5VmFsdWU"], holds: true),
        ConditionCase(op: "BinaryEquals", policyValues: #""QmluYXJ5VmFsdWU=""#, requestValues: ["QmluYXJ5VmFsdWF="], holds: false),
        // IP
        ConditionCase(op: "IpAddress", policyValues: #""10.0.0.0/8""#, requestValues: ["10.255.1.2"], holds: true),
        ConditionCase(op: "IpAddress", policyValues: #""10.0.0.0/8""#, requestValues: ["11.0.0.1"], holds: false),
        ConditionCase(op: "IpAddress", policyValues: #""10.0.0.0/8""#, requestValues: ["::ffff:10.1.2.3"], holds: true),
        ConditionCase(op: "IpAddress", policyValues: #""10.0.0.0/8""#, requestValues: ["not-an-ip"], holds: false),
        ConditionCase(op: "IpAddress", policyValues: #""10.0.0.0/33""#, requestValues: ["10.0.0.1"], holds: false),
        ConditionCase(op: "NotIpAddress", policyValues: #""2001:db8::/32""#, requestValues: ["2001:db8:ffff::1"], holds: false),
        ConditionCase(op: "NotIpAddress", policyValues: #""2001:db8::/32""#, requestValues: ["2001:db9::1"], holds: true),
        // ARN
        ConditionCase(op: "ArnEquals", policyValues: #""arn:aws:iam::111122223333:role/Admin""#, requestValues: ["arn:aws:iam::111122223333:role/Admin"], holds: true),
        ConditionCase(op: "ArnEquals", policyValues: #""arn:aws:iam::111122223333:role/Admin""#, requestValues: ["arn:aws:iam::111122223333:role/admin"], holds: false),
        ConditionCase(op: "ArnLike", policyValues: #""arn:aws:iam::*:role/Admin*""#, requestValues: ["arn:aws:iam::444455556666:role/AdminTeam"], holds: true),
        ConditionCase(op: "ArnLike", policyValues: #""arn:aws:sns:*:111122223333:*""#, requestValues: ["arn:aws:sns:us-east-1:999:111122223333:topic"], holds: false),
        ConditionCase(op: "ArnLike", policyValues: #""arn:aws:sns:*:111122223333:*""#, requestValues: ["arn:aws:sns:us-east-1:111122223333:topic:sub"], holds: true),
        ConditionCase(op: "ArnNotEquals", policyValues: #""arn:aws:iam::111122223333:role/Admin""#, requestValues: ["arn:aws:iam::111122223333:role/Other"], holds: true),
        ConditionCase(op: "ArnNotLike", policyValues: #""arn:aws:iam::111122223333:role/*""#, requestValues: ["arn:aws:iam::111122223333:role/Any"], holds: false),
        ConditionCase(op: "ArnNotLike", policyValues: #""arn:aws:iam::111122223333:role/*""#, requestValues: nil, holds: true),
        // Null
        ConditionCase(op: "Null", policyValues: #""true""#, requestValues: nil, holds: true),
        ConditionCase(op: "Null", policyValues: "true", requestValues: ["x"], holds: false),
        ConditionCase(op: "Null", policyValues: #""false""#, requestValues: ["x"], holds: true),
        ConditionCase(op: "Null", policyValues: #""false""#, requestValues: [], holds: false),
        // Set operators
        ConditionCase(op: "ForAllValues:StringEquals", policyValues: #"["a", "b"]"#, requestValues: ["a", "b"], holds: true),
        ConditionCase(op: "ForAllValues:StringEquals", policyValues: #"["a", "b"]"#, requestValues: ["a", "c"], holds: false),
        ConditionCase(op: "ForAllValues:StringEquals", policyValues: #"["a", "b"]"#, requestValues: [], holds: true),
        ConditionCase(op: "ForAllValues:StringLike", policyValues: #""env-*""#, requestValues: ["env-a", "env-b"], holds: true),
        ConditionCase(op: "ForAllValues:StringNotEquals", policyValues: #"["a", "b"]"#, requestValues: ["c", "d"], holds: true),
        ConditionCase(op: "ForAllValues:StringNotEquals", policyValues: #"["a", "b"]"#, requestValues: ["c", "a"], holds: false),
        ConditionCase(op: "ForAnyValue:StringEquals", policyValues: #"["a", "b"]"#, requestValues: ["z", "b"], holds: true),
        ConditionCase(op: "ForAnyValue:StringEquals", policyValues: #"["a", "b"]"#, requestValues: ["z"], holds: false),
        ConditionCase(op: "ForAnyValue:StringEquals", policyValues: #"["a"]"#, requestValues: [], holds: false),
        ConditionCase(op: "ForAnyValue:StringNotEquals", policyValues: #"["a", "b"]"#, requestValues: ["a", "b"], holds: false),
        ConditionCase(op: "ForAnyValue:StringNotEqualsIfExists", policyValues: #"["a"]"#, requestValues: nil, holds: false),
        ConditionCase(op: "ForAnyValue:NumericGreaterThan", policyValues: "5", requestValues: ["1", "9"], holds: true),
        ConditionCase(op: "ForAllValues:IpAddress", policyValues: #""192.0.2.0/24""#, requestValues: ["192.0.2.1", "192.0.2.2"], holds: true),
        ConditionCase(op: "ForAllValues:IpAddress", policyValues: #""192.0.2.0/24""#, requestValues: ["192.0.2.1", "192.0.3.2"], holds: false),
    ]

    @Test(arguments: cases)
    func evaluates(_ test: ConditionCase) throws {
        let json = """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "test:Act", "Resource": "*",
              "Condition": {"\(test.op)": {"\(test.key)": \(test.policyValues)}}}}
            """
        let document = try PolicyDocument.parse(json, kind: .identity)
        var context = ConditionContext()
        context[test.key] = test.requestValues
        let request = PolicyRequest(principal: Fixture.alice, action: "test:Act", resource: "arn:aws:test:::x", context: context)
        #expect((document.evaluate(request).allow == .direct) == test.holds)
    }

    @Test func tableCoversEveryOperator() {
        let used = Set(Self.cases.compactMap { ConditionOperator(name: $0.op)?.comparison })
        #expect(used == Set(ConditionComparison.allCases))
    }

    @Test func allConditionsOfAStatementMustHold() throws {
        let document = try PolicyDocument.parse(
            """
            {"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
              "StringEquals": {"s3:prefix": "home/", "aws:username": "Alice"},
              "Bool": {"aws:SecureTransport": "true"}}}}
            """, kind: .identity)
        let all: ConditionContext = ["s3:prefix": ["home/"], "aws:SecureTransport": ["true"]]
        var missingOne = all
        missingOne["aws:SecureTransport"] = nil
        var wrongOne = all
        wrongOne["s3:prefix"] = ["etc/"]
        func allowed(_ context: ConditionContext, _ principal: PolicyPrincipal = Fixture.alice) -> Bool {
            document.evaluate(PolicyRequest(principal: principal, action: "s3:ListBucket", resource: Fixture.bucket, context: context)).allow == .direct
        }
        #expect(allowed(all))
        #expect(!allowed(missingOne))
        #expect(!allowed(wrongOne))
        #expect(!allowed(all, Fixture.bob))
    }

    @Test func policyVariablesInConditionValues() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {
              "StringLike": {"s3:prefix": ["home/${aws:username}/*", "shared/${*}"]}}}}
            """, kind: .identity)
        func allowed(_ prefix: String) -> Bool {
            let request = PolicyRequest(principal: Fixture.alice, action: "s3:ListBucket", resource: Fixture.bucket, context: ["s3:prefix": [prefix]])
            return document.evaluate(request).allow == .direct
        }
        #expect(allowed("home/Alice/photos"))
        #expect(!allowed("home/Bob/photos"))
        #expect(allowed("shared/*"))
        #expect(!allowed("shared/anything"))
    }

    @Test func unresolvedVariableMakesEvenANegatedConditionFalse() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {
              "StringNotEquals": {"aws:ResourceTag/Owner": "${aws:PrincipalTag/Owner}"}}}}
            """, kind: .identity)
        let untagged = PolicyRequest(principal: Fixture.adminSession, action: "s3:GetObject", resource: Fixture.object, context: ["aws:ResourceTag/Owner": ["x"]])
        #expect(!document.evaluate(untagged).explicitDeny)
        var tagged = untagged
        tagged.context["aws:PrincipalTag/Owner"] = ["y"]
        #expect(document.evaluate(tagged).explicitDeny)
    }

    @Test func numericAndDateOperatorsIgnorePolicyVariables() throws {
        let document = try PolicyDocument.parse(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
              "NumericLessThan": {"test:n": "${test:limit}"}}}}
            """, kind: .identity)
        let request = PolicyRequest(principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object, context: ["test:n": ["1"], "test:limit": ["5"]])
        #expect(document.evaluate(request).allow == .none)
    }
}
