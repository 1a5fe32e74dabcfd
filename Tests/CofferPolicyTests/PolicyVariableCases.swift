@testable import CofferPolicy

extension AuthorizationCase {
    private static let variablesPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html"
    private static let abacPage = "https://docs.aws.amazon.com/kms/latest/developerguide/abac.html"
    private static let tagsPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html"

    private static let homeFolderPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
          "Resource": "arn:aws:s3:::example-home/home/${aws:username}/*"}}
        """

    private static func projectTagPolicy(version: String) -> String {
        """
        {"Version": "\(version)", "Statement": {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*",
          "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}}}
        """
    }

    static let variableCases: [AuthorizationCase] = [
        AuthorizationCase(
            name: "aws:username variable: own home folder", source: variablesPage,
            identity: [homeFolderPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-home/home/Alice/notes.txt", resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "aws:username variable: someone else's folder", source: variablesPage,
            identity: [homeFolderPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-home/home/Bob/notes.txt", resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "aws:username variable: role sessions have no user name", source: variablesPage,
            identity: [homeFolderPolicy], principal: Fixture.adminSession, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-home/home/alice-session/notes.txt", resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "substituted value is literal, never a wildcard", source: variablesPage,
            identity: [homeFolderPolicy], principal: Fixture.alice, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-home/home/Bob/notes.txt", context: ["aws:username": ["*"]],
            resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "variable default value when the tag is missing", source: variablesPage,
            identity: ["""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::example-home/team/${aws:PrincipalTag/team, 'unassigned'}/*"}}
                """],
            principal: Fixture.adminSession, action: "s3:GetObject",
            resource: "arn:aws:s3:::example-home/team/unassigned/readme.md", resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "escaped ${*} is a literal asterisk", source: variablesPage,
            identity: [Fixture.allow("s3:GetObject", on: "arn:aws:s3:::example-home/${*}starred")],
            principal: Fixture.alice, action: "s3:GetObject", resource: "arn:aws:s3:::example-home/unstarred",
            resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "aws:PrincipalAccount variable in a resource ARN", source: variablesPage,
            identity: [Fixture.allow("kms:Decrypt", on: "arn:aws:kms:us-west-2:${aws:PrincipalAccount}:key/*")],
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice, action: "kms:Decrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "ABAC: principal tag equals resource tag", source: abacPage,
            identity: [projectTagPolicy(version: "2012-10-17")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.adminSession, action: "kms:Decrypt", resource: Fixture.key,
            context: ["aws:PrincipalTag/Project": ["Alpha"], "aws:ResourceTag/Project": ["Alpha"]], expected: .allow),
        AuthorizationCase(
            name: "ABAC: principal tag differs from resource tag", source: abacPage,
            identity: [projectTagPolicy(version: "2012-10-17")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.adminSession, action: "kms:Decrypt", resource: Fixture.key,
            context: ["aws:PrincipalTag/Project": ["Alpha"], "aws:ResourceTag/Project": ["Beta"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "ABAC: untagged principal matches nothing", source: tagsPage,
            identity: [projectTagPolicy(version: "2012-10-17")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.adminSession, action: "kms:Decrypt", resource: Fixture.key,
            context: ["aws:ResourceTag/Project": ["Alpha"]], expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "version 2008-10-17 leaves ${...} as plain text", source: variablesPage,
            identity: [projectTagPolicy(version: "2008-10-17")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.adminSession, action: "kms:Decrypt", resource: Fixture.key,
            context: ["aws:PrincipalTag/Project": ["Alpha"], "aws:ResourceTag/Project": ["${aws:PrincipalTag/Project}"]],
            expected: .allow),
        AuthorizationCase(
            name: "version 2008-10-17 does not substitute principal tags", source: variablesPage,
            identity: [projectTagPolicy(version: "2008-10-17")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.adminSession, action: "kms:Decrypt", resource: Fixture.key,
            context: ["aws:PrincipalTag/Project": ["Alpha"], "aws:ResourceTag/Project": ["Alpha"]],
            expected: .deny(.noIdentityPolicyAllows)),
    ]
}
