@testable import CofferPolicy

extension AuthorizationCase {
    private static let principalPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html"
    private static let notPrincipalPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html"
    private static let trustPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html"

    private static func bucketPolicy(principal: String, action: String = "s3:GetObject") -> String {
        """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": \(principal), "Action": "\(action)",
          "Resource": "arn:aws:s3:::example-reports/*"}}
        """
    }

    private static let trustExternalAccount = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
          "Condition": {"StringEquals": {"sts:ExternalId": "Unique-3f9a"}}}}
        """

    private static let denyAllButAlice = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"},
          {"Sid": "OnlyAlice", "Effect": "Deny",
           "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/Alice", "arn:aws:iam::111122223333:role/KeyAdmin"]},
           "Action": "s3:*", "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]}
        ]}
        """

    private static let denyOutsiders = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"},
          {"Sid": "OwnAccountOnly", "Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"},
           "Action": "s3:*", "Resource": "arn:aws:s3:::example-reports/*"}
        ]}
        """

    static let principalCases: [AuthorizationCase] = [
        AuthorizationCase(
            name: "bucket policy naming the account delegates to IAM: no identity allow", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "111122223333"}"#), principal: Fixture.alice,
            action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: false,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "bare account ID and root ARN are the same principal", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "111122223333"}"#), principal: Fixture.root,
            action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: true, expected: .allow),
        AuthorizationCase(
            name: "bucket policy naming the user allows without identity policy", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": ["arn:aws:iam::111122223333:user/engineering/Bob"]}"#),
            principal: Fixture.bob, action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: false,
            expected: .allow),
        AuthorizationCase(
            name: "everyone principal still needs the external caller's IAM allow", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #""*""#), principal: Fixture.carol, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "AWS * principal with the external caller's IAM allow", source: principalPage,
            identity: [Fixture.allow("s3:GetObject")], resourcePolicy: bucketPolicy(principal: #"{"AWS": "*"}"#),
            principal: Fixture.carol, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "service principal listed in an array", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"Service": ["cloudtrail.amazonaws.com", "s3.amazonaws.com"]}"#, action: "s3:PutObject"),
            principal: Fixture.s3Service, action: "s3:PutObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "service principal not listed", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"Service": "s3.amazonaws.com"}"#, action: "s3:PutObject"),
            principal: Fixture.logsService, action: "s3:PutObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "service principal is never matched by an account", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "111122223333"}"#, action: "s3:PutObject"),
            principal: Fixture.s3Service, action: "s3:PutObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "service principal without any bucket policy", source: principalPage,
            principal: Fixture.s3Service, action: "s3:PutObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "assumed-role session ARN names exactly that session", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice-session"}"#),
            principal: Fixture.adminSession, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "assumed-role session ARN does not cover another session", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice-session"}"#),
            principal: Fixture.otherAdminSession, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "role ARN covers every session of the role", source: principalPage,
            resourcePolicy: bucketPolicy(principal: #"{"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}"#),
            principal: Fixture.otherAdminSession, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: true, expected: .allow),
        AuthorizationCase(
            name: "trust policy: external account user with sts:AssumeRole permission", source: trustPage,
            identity: [Fixture.allow("sts:AssumeRole", on: Fixture.role)], resourcePolicy: trustExternalAccount,
            resourceKind: .trust, principal: Fixture.carol, action: "sts:AssumeRole", resource: Fixture.role,
            context: ["sts:ExternalId": ["Unique-3f9a"]], expected: .allow),
        AuthorizationCase(
            name: "trust policy: external user lacking sts:AssumeRole permission", source: trustPage,
            resourcePolicy: trustExternalAccount, resourceKind: .trust, principal: Fixture.carol,
            action: "sts:AssumeRole", resource: Fixture.role, context: ["sts:ExternalId": ["Unique-3f9a"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "trust policy: wrong external ID", source: trustPage,
            identity: [Fixture.allow("sts:AssumeRole")], resourcePolicy: trustExternalAccount, resourceKind: .trust,
            principal: Fixture.carol, action: "sts:AssumeRole", resource: Fixture.role,
            context: ["sts:ExternalId": ["guess"]], expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "trust policy: EC2 service may assume the role", source: principalPage,
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                 "Action": "sts:AssumeRole"}}
                """,
            resourceKind: .trust, principal: Fixture.ec2Service, action: "sts:AssumeRole", resource: Fixture.role,
            expected: .allow),
        AuthorizationCase(
            name: "NotPrincipal deny applies to everyone not listed", source: notPrincipalPage,
            identity: [Fixture.allow("s3:*")], resourcePolicy: denyAllButAlice, principal: Fixture.bob,
            action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: false,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "NotPrincipal deny spares the listed user", source: notPrincipalPage,
            resourcePolicy: denyAllButAlice, principal: Fixture.alice, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "NotPrincipal role ARN spares the role's sessions", source: notPrincipalPage,
            resourcePolicy: denyAllButAlice, principal: Fixture.adminSession, action: "s3:GetObject",
            resource: Fixture.object, resourcePolicyRequired: false, expected: .allow),
        AuthorizationCase(
            name: "NotPrincipal account denies every other account", source: notPrincipalPage,
            identity: [Fixture.allow("s3:*")], resourcePolicy: denyOutsiders, principal: Fixture.carol,
            action: "s3:GetObject", resource: Fixture.object, resourcePolicyRequired: false,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "NotPrincipal account spares all of that account's principals", source: notPrincipalPage,
            resourcePolicy: denyOutsiders, principal: Fixture.bob, action: "s3:GetObject", resource: Fixture.object,
            resourcePolicyRequired: false, expected: .allow),
    ]
}
