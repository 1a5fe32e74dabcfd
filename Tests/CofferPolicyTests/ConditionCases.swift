@testable import CofferPolicy

extension AuthorizationCase {
    private static let operatorsPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
    private static let multiValuedPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html"
    private static let globalKeysPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"

    /// A bucket policy refusing plain HTTP, plus an allow for Alice.
    private static func secureTransportPolicy(_ op: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "RequireTLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
           "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"],
           "Condition": {"\(op)": {"aws:SecureTransport": "false"}}},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "s3:GetObject",
           "Resource": "arn:aws:s3:::example-reports/*"}
        ]}
        """
    }

    private static let sourceIPPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
          "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}}}
        """

    private static let denyOutsideNetworkPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Sid": "CorporateNetworkOnly", "Effect": "Deny", "Action": "*", "Resource": "*",
           "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "198.51.100.10"]}}}
        ]}
        """

    private static let timeWindowPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
                        "DateLessThan": {"aws:CurrentTime": "2026-12-31T23:59:59Z"}}}}
        """

    private static func mfaAgePolicy(_ op: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*",
          "Condition": {"\(op)": {"aws:MultiFactorAuthAge": 3600}}}}
        """
    }

    private static let denyWithoutMFAPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Sid": "RequireMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
           "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": false}}}
        ]}
        """

    private static let temporaryCredentialsPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
          "Condition": {"Null": {"aws:TokenIssueTime": "false"}}}}
        """

    private static let allowedTagKeysDenyPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "kms:TagResource", "Resource": "*"},
          {"Sid": "OnlyApprovedTagKeys", "Effect": "Deny", "Action": "kms:TagResource", "Resource": "*",
           "Condition": {"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["Owner", "Project"]}}}
        ]}
        """

    private static let tagKeysRequiredPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:TagResource", "Resource": "*",
          "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "Owner"}}}}
        """

    private static let cloudTrailBucketPolicy = """
        {"Version": "2012-10-17", "Statement": {"Sid": "TrailWrite", "Effect": "Allow",
          "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject",
          "Resource": "arn:aws:s3:::example-reports/AWSLogs/111122223333/*",
          "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:111122223333:trail/*"},
                        "StringEquals": {"aws:SourceAccount": "111122223333"}}}}
        """

    static let conditionCases: [AuthorizationCase] = [
        AuthorizationCase(
            name: "aws:SecureTransport deny: HTTPS request passes", source: globalKeysPage,
            resourcePolicy: secureTransportPolicy("Bool"), principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, context: ["aws:SecureTransport": ["true"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "aws:SecureTransport deny: HTTP request is denied", source: globalKeysPage,
            resourcePolicy: secureTransportPolicy("Bool"), principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, context: ["aws:SecureTransport": ["FALSE"]], resourcePolicyRequired: false,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "Bool deny does not fire when the key is absent", source: operatorsPage,
            resourcePolicy: secureTransportPolicy("Bool"), principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "BoolIfExists deny fires when the key is absent", source: operatorsPage,
            resourcePolicy: secureTransportPolicy("BoolIfExists"), principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "IpAddress allows an IPv4 address in the range", source: operatorsPage,
            identity: [sourceIPPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:SourceIp": ["203.0.113.77"]], resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "IpAddress rejects an address outside every range", source: operatorsPage,
            identity: [sourceIPPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:SourceIp": ["198.51.100.7"]], resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "IpAddress allows an IPv6 address in the /64", source: operatorsPage,
            identity: [sourceIPPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:SourceIp": ["2001:db8:1234:5678:0:0:0:abcd"]], resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "IpAddress is false when aws:SourceIp is absent", source: operatorsPage,
            identity: [sourceIPPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "NotIpAddress deny spares the corporate network", source: operatorsPage,
            identity: [denyOutsideNetworkPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, context: ["aws:SourceIp": ["192.0.2.200"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "NotIpAddress bare address acts as /32", source: operatorsPage,
            identity: [denyOutsideNetworkPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, context: ["aws:SourceIp": ["198.51.100.11"]], resourcePolicyRequired: false,
            expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "NotIpAddress deny fires when aws:SourceIp is absent", source: operatorsPage,
            identity: [denyOutsideNetworkPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "DateGreaterThan and DateLessThan window: inside", source: operatorsPage,
            identity: [timeWindowPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:CurrentTime": ["2026-11-24T10:00:00Z"]], resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "DateGreaterThan and DateLessThan window: after", source: operatorsPage,
            identity: [timeWindowPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:CurrentTime": ["2027-01-01T00:00:00Z"]], resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "date window compares instants across time zones", source: operatorsPage,
            identity: [timeWindowPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            context: ["aws:CurrentTime": ["2027-01-01T00:30:00+01:00"]], resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "NumericLessThan on MFA age: recent", source: operatorsPage,
            identity: [mfaAgePolicy("NumericLessThan")], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, context: ["aws:MultiFactorAuthAge": ["1200"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "NumericLessThan on MFA age: too old", source: operatorsPage,
            identity: [mfaAgePolicy("NumericLessThan")], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, context: ["aws:MultiFactorAuthAge": ["3600"]], resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "NumericLessThan is false without MFA", source: operatorsPage,
            identity: [mfaAgePolicy("NumericLessThan")], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "NumericLessThanIfExists is true without MFA", source: operatorsPage,
            identity: [mfaAgePolicy("NumericLessThanIfExists")], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "NumericLessThanIfExists still compares a present value", source: operatorsPage,
            identity: [mfaAgePolicy("NumericLessThanIfExists")], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, context: ["aws:MultiFactorAuthAge": ["7200"]], resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "BoolIfExists MFA deny: long-term keys without MFA are denied", source: globalKeysPage,
            identity: [denyWithoutMFAPolicy], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "BoolIfExists MFA deny: MFA session passes", source: globalKeysPage,
            identity: [denyWithoutMFAPolicy], principal: Fixture.alice, action: "s3:DeleteObject",
            resource: Fixture.object, context: ["aws:MultiFactorAuthPresent": ["true"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "Null false requires temporary credentials", source: operatorsPage,
            identity: [temporaryCredentialsPolicy], principal: Fixture.adminSession, action: "s3:GetObject",
            resource: Fixture.object, context: ["aws:TokenIssueTime": ["2026-11-24T09:00:00Z"]],
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "Null false rejects long-term credentials", source: operatorsPage,
            identity: [temporaryCredentialsPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "ForAnyValue:StringNotEquals denies an unapproved tag key", source: multiValuedPage,
            identity: [allowedTagKeysDenyPolicy], principal: Fixture.alice, action: "kms:TagResource",
            resource: Fixture.key, context: ["aws:TagKeys": ["Owner", "CostCenter"]], resourcePolicyRequired: false,
            expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "ForAnyValue:StringNotEquals passes approved tag keys", source: multiValuedPage,
            identity: [allowedTagKeysDenyPolicy], principal: Fixture.alice, action: "kms:TagResource",
            resource: Fixture.key, context: ["aws:TagKeys": ["Project", "Owner"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "ForAnyValue:StringEquals matches one of several request values", source: multiValuedPage,
            identity: [tagKeysRequiredPolicy], principal: Fixture.alice, action: "kms:TagResource",
            resource: Fixture.key, context: ["aws:TagKeys": ["Project", "Owner"]], resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "ForAnyValue is false when the key is absent", source: multiValuedPage,
            identity: [tagKeysRequiredPolicy], principal: Fixture.alice, action: "kms:TagResource",
            resource: Fixture.key, resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "service principal with aws:SourceArn ArnLike", source: globalKeysPage,
            resourcePolicy: cloudTrailBucketPolicy, principal: Fixture.cloudTrail, action: "s3:PutObject",
            resource: "arn:aws:s3:::example-reports/AWSLogs/111122223333/trail.json.gz",
            context: ["aws:SourceArn": ["arn:aws:cloudtrail:us-east-1:111122223333:trail/management"],
                      "aws:SourceAccount": ["111122223333"]],
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "service principal acting for another account is refused", source: globalKeysPage,
            resourcePolicy: cloudTrailBucketPolicy, principal: Fixture.cloudTrail, action: "s3:PutObject",
            resource: "arn:aws:s3:::example-reports/AWSLogs/111122223333/trail.json.gz",
            context: ["aws:SourceArn": ["arn:aws:cloudtrail:us-east-1:999999999999:trail/111122223333"],
                      "aws:SourceAccount": ["111122223333"]],
            resourcePolicyRequired: false, expected: .deny(.noResourcePolicyAllows)),
    ]
}
