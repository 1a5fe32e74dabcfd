import Testing
@testable import CofferPolicy

/// A document IAM rejects, and the start of the message we expect.
struct MalformedPolicy: Sendable, CustomTestStringConvertible {
    var name: String
    var kind: PolicyKind = .identity
    var json: String
    var message: String

    var testDescription: String { name }
}

struct PolicyParseTests {
    /// A minimal valid identity statement body, for building bad documents around it.
    static let ok = #""Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*""#

    static let malformed: [MalformedPolicy] = [
        MalformedPolicy(name: "not JSON", json: "Version: 2012-10-17", message: "Syntax errors in policy."),
        MalformedPolicy(name: "truncated JSON", json: #"{"Statement": [{"Effect": "Allow""#, message: "Syntax errors in policy."),
        MalformedPolicy(name: "trailing garbage", json: #"{"Statement": {\#(ok)}} x"#, message: "Syntax errors in policy."),
        MalformedPolicy(name: "trailing comma", json: #"{"Statement": {\#(ok),}}"#, message: "Syntax errors in policy."),
        MalformedPolicy(name: "top level is an array", json: #"[{\#(ok)}]"#, message: "Syntax errors in policy."),
        MalformedPolicy(name: "top level is a string", json: #""policy""#, message: "Syntax errors in policy."),
        MalformedPolicy(
            name: "duplicate Effect", json: #"{"Statement": {\#(ok), "Effect": "Deny"}}"#, message: "Duplicate element \"Effect\""),
        MalformedPolicy(
            name: "unknown top-level element", json: #"{"Version": "2012-10-17", "Statements": [{\#(ok)}]}"#,
            message: "Policy document contains an unknown element \"Statements\""),
        MalformedPolicy(name: "missing Statement", json: #"{"Version": "2012-10-17"}"#, message: "Missing required field Statement."),
        MalformedPolicy(name: "empty Statement list", json: #"{"Statement": []}"#, message: "Statement must contain at least one"),
        MalformedPolicy(name: "Statement is a string", json: #"{"Statement": "Allow"}"#, message: "Statement must be an object"),
        MalformedPolicy(name: "statement is not an object", json: #"{"Statement": ["kms:*"]}"#, message: "Each statement must be a JSON object."),
        MalformedPolicy(name: "invalid Version", json: #"{"Version": "2012-10-18", "Statement": {\#(ok)}}"#, message: "Invalid Version"),
        MalformedPolicy(name: "numeric Version", json: #"{"Version": 2012, "Statement": {\#(ok)}}"#, message: "Invalid Version"),
        MalformedPolicy(
            name: "unknown statement element", json: #"{"Statement": {\#(ok), "Conditions": {}}}"#,
            message: "Statement contains an unknown element \"Conditions\""),
        MalformedPolicy(
            name: "missing Effect", json: #"{"Statement": {"Action": "kms:*", "Resource": "*"}}"#, message: "Missing required field Effect."),
        MalformedPolicy(
            name: "lowercase effect", json: #"{"Statement": {"Effect": "allow", "Action": "kms:*", "Resource": "*"}}"#,
            message: "Invalid effect: \"allow\""),
        MalformedPolicy(
            name: "missing Action", json: #"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#,
            message: "Policy statement must contain actions."),
        MalformedPolicy(
            name: "both Action and NotAction",
            json: #"{"Statement": {\#(ok), "NotAction": "kms:Decrypt"}}"#, message: "A statement cannot contain both Action and NotAction."),
        MalformedPolicy(
            name: "empty Action list", json: #"{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}"#,
            message: "Action must not be empty."),
        MalformedPolicy(
            name: "action without a service prefix", json: #"{"Statement": {"Effect": "Allow", "Action": "Decrypt", "Resource": "*"}}"#,
            message: "Invalid action \"Decrypt\""),
        MalformedPolicy(
            name: "action with a wildcard service", json: #"{"Statement": {"Effect": "Allow", "Action": "*:Decrypt", "Resource": "*"}}"#,
            message: "Invalid action \"*:Decrypt\""),
        MalformedPolicy(
            name: "action with two colons", json: #"{"Statement": {"Effect": "Allow", "Action": "kms:Decrypt:x", "Resource": "*"}}"#,
            message: "Invalid action"),
        MalformedPolicy(
            name: "action is a number", json: #"{"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}}"#,
            message: "Action must be a string or an array of strings"),
        MalformedPolicy(
            name: "identity policy without Resource", json: #"{"Statement": {"Effect": "Allow", "Action": "kms:*"}}"#,
            message: "Policy statement must contain resources."),
        MalformedPolicy(
            name: "both Resource and NotResource", json: #"{"Statement": {\#(ok), "NotResource": "arn:aws:s3:::b"}}"#,
            message: "A statement cannot contain both Resource and NotResource."),
        MalformedPolicy(
            name: "resource that is not an ARN",
            json: #"{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "example-bucket/*"}}"#,
            message: "Resource \"example-bucket/*\" must be in ARN format"),
        MalformedPolicy(
            name: "principal in an identity policy", json: #"{"Statement": {\#(ok), "Principal": "*"}}"#,
            message: "Policy document should not specify a principal."),
        MalformedPolicy(
            name: "NotPrincipal in an identity policy", json: #"{"Statement": {\#(ok), "NotPrincipal": {"AWS": "111122223333"}}}"#,
            message: "Policy document should not specify a principal."),
        MalformedPolicy(
            name: "key policy statement without principal", kind: .resource, json: #"{"Statement": {\#(ok)}}"#,
            message: "Policy statement must contain a principal."),
        MalformedPolicy(
            name: "trust policy statement without principal", kind: .trust,
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}"#, message: "Policy statement must contain a principal."),
        MalformedPolicy(
            name: "both Principal and NotPrincipal", kind: .resource,
            json: #"{"Statement": {\#(ok), "Principal": "*", "NotPrincipal": {"AWS": "111122223333"}}}"#,
            message: "A statement cannot contain both Principal and NotPrincipal."),
        MalformedPolicy(
            name: "unknown principal type", kind: .resource, json: #"{"Statement": {\#(ok), "Principal": {"IAM": "111122223333"}}}"#,
            message: "Invalid principal type \"IAM\""),
        MalformedPolicy(
            name: "principal type in the wrong case", kind: .resource, json: #"{"Statement": {\#(ok), "Principal": {"aws": "*"}}}"#,
            message: "Invalid principal type \"aws\""),
        MalformedPolicy(
            name: "principal string other than *", kind: .resource, json: #"{"Statement": {\#(ok), "Principal": "111122223333"}}"#,
            message: "Invalid principal in policy"),
        MalformedPolicy(
            name: "partial wildcard in an AWS principal", kind: .resource,
            json: #"{"Statement": {\#(ok), "Principal": {"AWS": "arn:aws:iam::111122223333:user/*"}}}"#,
            message: "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:user/*\""),
        MalformedPolicy(
            name: "short account ID principal", kind: .resource, json: #"{"Statement": {\#(ok), "Principal": {"AWS": "1111"}}}"#,
            message: "Invalid principal in policy"),
        MalformedPolicy(
            name: "empty principal object", kind: .resource, json: #"{"Statement": {\#(ok), "Principal": {}}}"#,
            message: "Invalid principal in policy"),
        MalformedPolicy(
            name: "unknown condition operator", json: #"{"Statement": {\#(ok), "Condition": {"StringEqual": {"aws:username": "a"}}}}"#,
            message: "Invalid condition operator \"StringEqual\""),
        MalformedPolicy(
            name: "unknown set operator", json: #"{"Statement": {\#(ok), "Condition": {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}}}"#,
            message: "Invalid condition operator \"ForSomeValues:StringEquals\""),
        MalformedPolicy(
            name: "NullIfExists is not an operator", json: #"{"Statement": {\#(ok), "Condition": {"NullIfExists": {"aws:username": "true"}}}}"#,
            message: "Invalid condition operator \"NullIfExists\""),
        MalformedPolicy(
            name: "condition is a list", json: #"{"Statement": {\#(ok), "Condition": [{"StringEquals": {"a:b": "c"}}]}}"#,
            message: "Condition must be a JSON object."),
        MalformedPolicy(
            name: "condition block is a string", json: #"{"Statement": {\#(ok), "Condition": {"StringEquals": "aws:username"}}}"#,
            message: "Condition operator StringEquals must map condition keys to values."),
        MalformedPolicy(
            name: "condition value is an object", json: #"{"Statement": {\#(ok), "Condition": {"StringEquals": {"aws:username": {"a": "b"}}}}}"#,
            message: "Invalid value for condition key aws:username"),
        MalformedPolicy(
            name: "condition value is null", json: #"{"Statement": {\#(ok), "Condition": {"Null": {"aws:username": null}}}}"#,
            message: "Invalid value for condition key aws:username"),
        MalformedPolicy(
            name: "condition value array holds an array", json: #"{"Statement": {\#(ok), "Condition": {"StringLike": {"s3:prefix": [["a"]]}}}}"#,
            message: "Invalid value for condition key s3:prefix"),
        MalformedPolicy(
            name: "duplicate Sid", json: #"{"Statement": [{"Sid": "Use", \#(ok)}, {"Sid": "Use", \#(ok)}]}"#,
            message: "Duplicate Sid \"Use\""),
        MalformedPolicy(name: "Sid is a number", json: #"{"Statement": {"Sid": 1, \#(ok)}}"#, message: "Sid must be a string."),
    ]

    @Test(arguments: malformed)
    func rejects(_ bad: MalformedPolicy) {
        #expect {
            _ = try PolicyDocument.parse(bad.json, kind: bad.kind)
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.message.hasPrefix(bad.message)
        }
    }

    @Test func malformedTableIsLarge() {
        #expect(Self.malformed.count >= 15)
    }

    /// Every malformed document is one edit away from a valid one; check the valid shapes parse.
    @Test func acceptsTheValidShapes() throws {
        let single = try PolicyDocument.parse("  \n{ \"Statement\" : { \(Self.ok) } }\n\t", kind: .identity)
        #expect(single.version == nil)
        #expect(single.statements.count == 1)
        #expect(!single.usesPolicyVariables)
        let list = try PolicyDocument.parse(#"{"Version": "2012-10-17", "Id": "x", "Statement": [{\#(Self.ok)}, {\#(Self.ok)}]}"#, kind: .identity)
        #expect(list.statements.count == 2)
        #expect(list.id == "x")
        #expect(list.usesPolicyVariables)
        let trust = try PolicyDocument.parse(
            #"{"Statement": {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/R"], "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#,
            kind: .trust)
        #expect(trust.statements[0].principal?.entries.count == 3)
        #expect(trust.statements[0].resources == nil)
    }

    @Test func conditionValuesBecomeText() throws {
        let document = try PolicyDocument.parse(
            #"""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
              "NumericLessThanEquals": {"s3:max-keys": 10.50},
              "Bool": {"aws:SecureTransport": true},
              "forallvalues:stringequals": {"AWS:TagKeys": ["a", 1, false, "\u00e9"]}}}}
            """#,
            kind: .identity)
        let conditions = document.statements[0].conditions
        #expect(conditions.count == 3)
        #expect(conditions[0].values == ["10.50"])
        #expect(conditions[1].values == ["true"])
        #expect(conditions[2].key == "aws:tagkeys")
        #expect(conditions[2].values == ["a", "1", "false", "é"])
        #expect(conditions[2].conditionOperator == ConditionOperator(.stringEquals, qualifier: .forAllValues))
        #expect(conditions[2].conditionOperator.description == "ForAllValues:StringEquals")
    }

    @Test(arguments: [
        ("StringEquals", ConditionOperator(.stringEquals)),
        ("StringNotLikeIfExists", ConditionOperator(.stringNotLike, ifExists: true)),
        ("ForAnyValue:ArnLike", ConditionOperator(.arnLike, qualifier: .forAnyValue)),
        ("ForAllValues:NumericGreaterThanEqualsIfExists", ConditionOperator(.numericGreaterThanEquals, qualifier: .forAllValues, ifExists: true)),
        ("Null", ConditionOperator(.null)),
    ])
    func parsesOperatorNames(_ name: String, _ expected: ConditionOperator) {
        #expect(ConditionOperator(name: name) == expected)
        #expect(ConditionOperator(name: name)?.description == name)
    }

    @Test(arguments: ["", "IfExists", "ForAnyValue:", "ForAnyValue:Null", "StringEqualsIfExistsIfExists", "Equals", "ForAllValues:ForAnyValue:StringEquals"])
    func rejectsOperatorNames(_ name: String) {
        #expect(ConditionOperator(name: name) == nil)
    }

    @Test func everyComparisonHasAnOperatorName() {
        for comparison in ConditionComparison.allCases {
            #expect(ConditionOperator(name: comparison.rawValue)?.comparison == comparison)
            if comparison != .null {
                #expect(ConditionOperator(name: comparison.rawValue + "IfExists")?.ifExists == true)
            }
        }
        #expect(ConditionComparison.allCases.count == 27)
    }

    @Test func jsonEscapesAndDepth() throws {
        let escaped = try PolicyDocument.parse(
            #"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\ud83d\ude00\/\"q\""}}"#,
            kind: .identity)
        #expect(escaped.statements[0].resources == ["arn:aws:s3:::b/😀/\"q\""])
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: PolicyError("Syntax errors in policy.")) { try PolicyDocument.parse(deep, kind: .identity) }
        #expect(throws: PolicyError("Syntax errors in policy.")) {
            try PolicyDocument.parse(#"{"Statement": {"Effect": "Allow\ud800", "Action": "s3:*", "Resource": "*"}}"#, kind: .identity)
        }
    }
}
