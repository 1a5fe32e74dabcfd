@testable import CofferPolicy

extension AuthorizationCase {
    private static let evaluationPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
    private static let basicsPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html"
    private static let crossAccountPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
    private static let notActionPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html"
    private static let notResourcePage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html"
    private static let actionPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html"
    private static let resourcePage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html"

    /// A user policy like the single-account example: list buckets, full access to one bucket,
    /// and a deny on every bucket whose name contains "log".
    private static let carlosStylePolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "ListAll", "Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::*"},
          {"Sid": "OwnBucket", "Effect": "Allow", "Action": "s3:*",
           "Resource": ["arn:aws:s3:::example-alice", "arn:aws:s3:::example-alice/*"]},
          {"Sid": "NoLogs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}
        ]}
        """

    /// A bucket policy granting Alice writes to the log bucket.
    private static let logBucketPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "s3:PutObject",
          "Resource": "arn:aws:s3:::example-alice-logs/*"}}
        """

    static let evaluationCases: [AuthorizationCase] = [
        AuthorizationCase(
            name: "same account: identity policy alone allows S3 access", source: basicsPage,
            identity: [carlosStylePolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-alice/notes.txt", resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "same account: deny on *log* beats the bucket policy allow", source: basicsPage,
            identity: [carlosStylePolicy], resourcePolicy: logBucketPolicy, principal: Fixture.alice,
            action: "s3:PutObject", resource: "arn:aws:s3:::example-alice-logs/today.log",
            resourcePolicyRequired: false, expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "same account: bucket policy naming the user suffices without identity allow", source: basicsPage,
            resourcePolicy: logBucketPolicy, principal: Fixture.alice, action: "s3:PutObject",
            resource: "arn:aws:s3:::example-alice-logs/today.log", resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "same account: nothing allows, implicit deny", source: evaluationPage,
            identity: [carlosStylePolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-bob/x", resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "explicit deny in identity policy beats kms:* allow", source: evaluationPage,
            identity: [Fixture.allow("kms:*"), """
                {"Version": "2012-10-17", "Statement": {"Sid": "NoDeletion", "Effect": "Deny",
                 "Action": ["kms:ScheduleKeyDeletion", "kms:Disable*"], "Resource": "*"}}
                """],
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice, action: "kms:DisableKey",
            resource: Fixture.key, expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "explicit deny in key policy beats the user's IAM allow", source: evaluationPage,
            identity: [Fixture.allow("kms:*")],
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Decrypt", "Resource": "*"}]}
                """,
            principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "denied by both: identity deny is reported first", source: evaluationPage,
            identity: ["""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}}
                """],
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}}
                """,
            principal: Fixture.alice, action: "kms:Encrypt", resource: Fixture.key,
            expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "key policy deny applies to the account root", source: evaluationPage,
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"},
                  {"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}
                """,
            principal: Fixture.root, action: "kms:ScheduleKeyDeletion", resource: Fixture.key,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "account root: identity policies are not evaluated", source: evaluationPage,
            identity: ["""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}
                """],
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.root, action: "kms:Decrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "cross-account S3: bucket policy and identity policy both allow", source: crossAccountPage,
            identity: [Fixture.allow("s3:GetObject", on: "arn:aws:s3:::example-reports/*")],
            resourcePolicy: crossAccountBucketPolicy, principal: Fixture.carol, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "cross-account S3: bucket policy alone is not enough", source: crossAccountPage,
            resourcePolicy: crossAccountBucketPolicy, principal: Fixture.carol, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "cross-account S3: identity policy alone is not enough", source: crossAccountPage,
            identity: [Fixture.allow("s3:*")], principal: Fixture.carol, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "NotAction allows everything outside IAM", source: notActionPage,
            identity: [notIAMPolicy], principal: Fixture.alice, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "NotAction excludes the IAM actions", source: notActionPage,
            identity: [notIAMPolicy], principal: Fixture.alice, action: "iam:CreateUser",
            resource: "arn:aws:iam::111122223333:user/Mallory", resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "NotResource deny blocks every other bucket", source: notResourcePage,
            identity: [teamBucketOnlyPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.explicitDenyInIdentityPolicy)),
        AuthorizationCase(
            name: "NotResource deny leaves the team bucket alone", source: notResourcePage,
            identity: [teamBucketOnlyPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-team/plan.md", resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "action names match case-insensitively", source: actionPage,
            identity: [Fixture.allow("KMS:decrypt")], resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "action wildcard kms:Gen* does not cover Decrypt", source: actionPage,
            identity: [Fixture.allow("kms:Gen*")], resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "resource ARNs match case-sensitively", source: resourcePage,
            identity: [Fixture.allow("s3:GetObject", on: "arn:aws:s3:::Example-Reports/*")], principal: Fixture.alice,
            action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "resource wildcard does not cross an ARN segment", source: resourcePage,
            identity: [Fixture.allow("kms:Decrypt", on: "arn:aws:kms:*:111122223333:key/*")],
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*"}}
                """,
            principal: Fixture.carol, action: "kms:Decrypt",
            resource: "arn:aws:kms:us-west-2:999999999999:x:111122223333:key/abc", resourceAccount: "999999999999",
            expected: .deny(.noIdentityPolicyAllows)),
    ]

    private static let crossAccountBucketPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "444455556666"},
          "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]}}
        """

    private static let notIAMPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}
        """

    private static let teamBucketOnlyPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
          {"Sid": "OnlyTeamBucket", "Effect": "Deny", "Action": "s3:*",
           "NotResource": ["arn:aws:s3:::example-team", "arn:aws:s3:::example-team/*"]}
        ]}
        """
}
