@testable import CofferPolicy

extension AuthorizationCase {
    private static let defaultPolicyPage = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html"
    private static let overviewPage = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html"
    private static let externalPage = "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html"
    private static let kmsConditionsPage = "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"
    private static let policyConditionsPage = "https://docs.aws.amazon.com/kms/latest/developerguide/policy-conditions.html"

    /// The console's default key policy: account access, key administrators (a role), key users (a user),
    /// and grants for AWS services only.
    private static let consoleKeyPolicy = """
        {"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": [
          {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Allow access for Key Administrators", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
           "Action": ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                      "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
                      "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"],
           "Resource": "*"},
          {"Sid": "Allow use of the key", "Effect": "Allow",
           "Principal": {"AWS": ["arn:aws:iam::111122223333:user/Alice"]},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
           "Resource": "*"},
          {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"},
           "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
           "Condition": {"Bool": {"kms:GrantIsForAWSResource": true}}}
        ]}
        """

    /// A key shared with account 444455556666 for cryptographic use only.
    private static let sharedKeyPolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
           "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "Allow an external account to use this key", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
           "Resource": "*"}
        ]}
        """

    static let kmsCases: [AuthorizationCase] = [
        // MARK: Default key policy
        AuthorizationCase(
            name: "default key policy: account root may use the key", source: defaultPolicyPage,
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.root, action: "kms:Decrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "default key policy: IAM policy enables a user", source: defaultPolicyPage,
            identity: [Fixture.allow("kms:Decrypt", on: Fixture.key)], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "default key policy: user without IAM policy is denied", source: defaultPolicyPage,
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice, action: "kms:Decrypt",
            resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "default key policy: IAM policy for another action does not help", source: defaultPolicyPage,
            identity: [Fixture.allow("kms:Encrypt")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "default key policy: IAM policy for another key does not help", source: defaultPolicyPage,
            identity: [Fixture.allow("kms:*", on: Fixture.otherKey)], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "default key policy: role session with role policy", source: defaultPolicyPage,
            identity: [Fixture.allow("kms:*", on: "arn:aws:kms:us-west-2:111122223333:key/*")],
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.adminSession, action: "kms:GenerateDataKey",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "default key policy: other account is not trusted even with its own admin policy",
            source: overviewPage, identity: [Fixture.allow("*")], resourcePolicy: Fixture.defaultKeyPolicy,
            principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "no key policy: even the account root is denied", source: overviewPage,
            principal: Fixture.root, action: "kms:DescribeKey", resource: Fixture.key,
            expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "key policy without the account statement: IAM admin policy is not enough", source: overviewPage,
            identity: [Fixture.allow("kms:*")],
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:user/engineering/Bob"}, "Action": "kms:*", "Resource": "*"}}
                """,
            principal: Fixture.alice, action: "kms:Encrypt", resource: Fixture.key,
            expected: .deny(.noResourcePolicyAllows)),

        // MARK: Console default policy: administrators, users, grants
        AuthorizationCase(
            name: "key administrator role session may schedule deletion", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.adminSession, action: "kms:ScheduleKeyDeletion",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "key administrator may not decrypt without an IAM policy", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.adminSession, action: "kms:Decrypt",
            resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "key user may re-encrypt through kms:ReEncrypt*", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:ReEncryptFrom",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "key user may generate data keys without plaintext", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:GenerateDataKeyWithoutPlaintext",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "key user may not schedule deletion", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:ScheduleKeyDeletion",
            resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "key user may create a grant for an AWS resource", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:CreateGrant",
            resource: Fixture.key, context: ["kms:GrantIsForAWSResource": ["true"]], expected: .allow),
        AuthorizationCase(
            name: "key user may not create a grant outside an AWS integration", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:CreateGrant",
            resource: Fixture.key, context: ["kms:GrantIsForAWSResource": ["false"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "grant condition key absent means no grant", source: kmsConditionsPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.alice, action: "kms:CreateGrant",
            resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "user not named in the key policy needs IAM permission", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy, principal: Fixture.bob, action: "kms:Encrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "session of another role name gets nothing from the admin statement", source: defaultPolicyPage,
            resourcePolicy: consoleKeyPolicy,
            principal: PolicyPrincipal(
                arn: "arn:aws:sts::111122223333:assumed-role/KeyAdminReadOnly/s", account: Fixture.owner,
                roleARN: "arn:aws:iam::111122223333:role/KeyAdminReadOnly"),
            action: "kms:DisableKey", resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),

        // MARK: Cross-account use
        AuthorizationCase(
            name: "external user with IAM policy may decrypt", source: externalPage,
            identity: [Fixture.allow("[\"kms:Decrypt\", \"kms:Encrypt\"]", on: Fixture.key)],
            resourcePolicy: sharedKeyPolicy, principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key,
            expected: .allow),
        AuthorizationCase(
            name: "external user without IAM policy is denied", source: externalPage,
            resourcePolicy: sharedKeyPolicy, principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "external IAM policy cannot exceed the key policy", source: externalPage,
            identity: [Fixture.allow("kms:*")], resourcePolicy: sharedKeyPolicy, principal: Fixture.carol,
            action: "kms:ScheduleKeyDeletion", resource: Fixture.key, expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "external account root needs no IAM policy", source: externalPage,
            resourcePolicy: sharedKeyPolicy, principal: Fixture.externalRoot, action: "kms:Encrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "external role session with a wildcard key ARN in its role policy", source: externalPage,
            identity: [Fixture.allow("kms:Decrypt", on: "arn:aws:kms:*:111122223333:key/*")],
            resourcePolicy: sharedKeyPolicy, principal: Fixture.readerSession, action: "kms:Decrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "key policy naming an external user still needs that user's IAM policy", source: externalPage,
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::444455556666:user/Carol"}, "Action": "kms:Decrypt", "Resource": "*"}}
                """,
            principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "a grant lets an external principal use the key without IAM policy", source: externalPage,
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.carol, action: "kms:Decrypt",
            resource: Fixture.key, externalAllow: true, expected: .allow),
        AuthorizationCase(
            name: "a grant does not override an explicit deny in the key policy", source: overviewPage,
            resourcePolicy: """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"},
                  {"Sid": "NoExternalDecrypt", "Effect": "Deny", "Principal": {"AWS": "444455556666"},
                   "Action": "kms:Decrypt", "Resource": "*"}]}
                """,
            principal: Fixture.carol, action: "kms:Decrypt", resource: Fixture.key, externalAllow: true,
            expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "a grant to a same-account user works without IAM policy", source: overviewPage,
            resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.bob, action: "kms:Encrypt",
            resource: Fixture.key, externalAllow: true, expected: .allow),

        // MARK: KMS condition keys
        AuthorizationCase(
            name: "kms:ViaService allows use through EC2", source: kmsConditionsPage,
            resourcePolicy: viaServicePolicy, principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            context: ["kms:ViaService": ["ec2.us-west-2.amazonaws.com"]], expected: .allow),
        AuthorizationCase(
            name: "kms:ViaService rejects a service not listed", source: kmsConditionsPage,
            resourcePolicy: viaServicePolicy, principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            context: ["kms:ViaService": ["lambda.us-west-2.amazonaws.com"]], expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "kms:ViaService absent for a direct call", source: kmsConditionsPage,
            resourcePolicy: viaServicePolicy, principal: Fixture.alice, action: "kms:Decrypt", resource: Fixture.key,
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "deny unless through S3: direct call is denied", source: kmsConditionsPage,
            identity: [Fixture.allow("kms:*")], resourcePolicy: denyUnlessViaS3Policy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, expected: .deny(.explicitDenyInResourcePolicy)),
        AuthorizationCase(
            name: "deny unless through S3: call through S3 passes", source: kmsConditionsPage,
            identity: [Fixture.allow("kms:*")], resourcePolicy: denyUnlessViaS3Policy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:ViaService": ["s3.us-west-2.amazonaws.com"]],
            expected: .allow),
        AuthorizationCase(
            name: "kms:CallerAccount with everyone principal allows the account's users", source: kmsConditionsPage,
            resourcePolicy: callerAccountPolicy, principal: Fixture.alice, action: "kms:CreateGrant", resource: Fixture.key,
            context: ["kms:CallerAccount": ["111122223333"], "kms:ViaService": ["ec2.us-west-2.amazonaws.com"]],
            expected: .allow),
        AuthorizationCase(
            name: "kms:CallerAccount policy needs every condition", source: kmsConditionsPage,
            resourcePolicy: callerAccountPolicy, principal: Fixture.alice, action: "kms:CreateGrant", resource: Fixture.key,
            context: ["kms:ViaService": ["ec2.us-west-2.amazonaws.com"]], expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "kms:CallerAccount rejects another account", source: kmsConditionsPage,
            identity: [Fixture.allow("kms:*")], resourcePolicy: callerAccountPolicy, principal: Fixture.carol,
            action: "kms:CreateGrant", resource: Fixture.key,
            context: ["kms:CallerAccount": ["444455556666"], "kms:ViaService": ["ec2.us-west-2.amazonaws.com"]],
            expected: .deny(.noResourcePolicyAllows)),
        AuthorizationCase(
            name: "kms:EncryptionContext:Department matches exactly", source: kmsConditionsPage,
            resourcePolicy: encryptionContextPolicy(operator: "StringEquals"), principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:EncryptionContext:Department": ["IT"]],
            expected: .allow),
        AuthorizationCase(
            name: "kms:EncryptionContext value compare is case-sensitive with StringEquals", source: kmsConditionsPage,
            resourcePolicy: encryptionContextPolicy(operator: "StringEquals"), principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:EncryptionContext:Department": ["it"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "kms:EncryptionContext value with StringEqualsIgnoreCase", source: kmsConditionsPage,
            resourcePolicy: encryptionContextPolicy(operator: "StringEqualsIgnoreCase"), principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:EncryptionContext:Department": ["it"]],
            expected: .allow),
        AuthorizationCase(
            name: "kms:EncryptionContext key name is case-insensitive", source: kmsConditionsPage,
            resourcePolicy: encryptionContextPolicy(operator: "StringEquals"), principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["KMS:ENCRYPTIONCONTEXT:DEPARTMENT": ["IT"]],
            expected: .allow),
        AuthorizationCase(
            name: "ForAllValues:kms:EncryptionContextKeys accepts a subset", source: policyConditionsPage,
            resourcePolicy: contextKeysPolicy(requirePresent: false), principal: Fixture.alice, action: "kms:Encrypt",
            resource: Fixture.key, context: ["kms:EncryptionContextKeys": ["Department"]], expected: .allow),
        AuthorizationCase(
            name: "ForAllValues:kms:EncryptionContextKeys rejects an extra key", source: policyConditionsPage,
            resourcePolicy: contextKeysPolicy(requirePresent: false), principal: Fixture.alice, action: "kms:Encrypt",
            resource: Fixture.key, context: ["kms:EncryptionContextKeys": ["Department", "Owner"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "ForAllValues with no encryption context is vacuously true", source: policyConditionsPage,
            resourcePolicy: contextKeysPolicy(requirePresent: false), principal: Fixture.alice, action: "kms:Encrypt",
            resource: Fixture.key, expected: .allow),
        AuthorizationCase(
            name: "ForAllValues plus Null false requires an encryption context", source: policyConditionsPage,
            resourcePolicy: contextKeysPolicy(requirePresent: true), principal: Fixture.alice, action: "kms:Encrypt",
            resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "ForAllValues plus Null false with a permitted context", source: policyConditionsPage,
            resourcePolicy: contextKeysPolicy(requirePresent: true), principal: Fixture.alice, action: "kms:Encrypt",
            resource: Fixture.key, context: ["kms:EncryptionContextKeys": ["Project", "Department"]], expected: .allow),
        AuthorizationCase(
            name: "StringLike on kms:RequestAlias allows a matching alias", source: kmsConditionsPage,
            identity: [requestAliasPolicy], resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:RequestAlias": ["alias/finance-reports"]],
            expected: .allow),
        AuthorizationCase(
            name: "StringLike on kms:RequestAlias rejects another alias", source: kmsConditionsPage,
            identity: [requestAliasPolicy], resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, context: ["kms:RequestAlias": ["alias/hr-payroll"]],
            expected: .deny(.noIdentityPolicyAllows)),
        AuthorizationCase(
            name: "StringLike on kms:RequestAlias: call by key ID has no alias", source: kmsConditionsPage,
            identity: [requestAliasPolicy], resourcePolicy: Fixture.defaultKeyPolicy, principal: Fixture.alice,
            action: "kms:Decrypt", resource: Fixture.key, expected: .deny(.noIdentityPolicyAllows)),
    ]

    private static let viaServicePolicy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"},
           "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
           "Condition": {"StringEquals": {"kms:ViaService": ["ec2.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"]}}}
        ]}
        """

    private static let denyUnlessViaS3Policy = """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Sid": "OnlyThroughS3", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
           "Condition": {"StringNotEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}}
        ]}
        """

    private static let callerAccountPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"},
          "Action": ["kms:Encrypt", "kms:Decrypt", "kms:CreateGrant", "kms:DescribeKey"], "Resource": "*",
          "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-west-2.amazonaws.com"}}}}
        """

    private static func encryptionContextPolicy(operator name: String) -> String {
        """
        {"Version": "2012-10-17", "Statement": [
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
          {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Decrypt",
           "Resource": "*", "Condition": {"\(name)": {"kms:EncryptionContext:Department": "IT"}}}
        ]}
        """
    }

    private static func contextKeysPolicy(requirePresent: Bool) -> String {
        let null = requirePresent ? #", "Null": {"kms:EncryptionContextKeys": "false"}"# : ""
        return """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/Alice"}, "Action": "kms:Encrypt",
               "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["Department", "Project"]}\(null)}}
            ]}
            """
    }

    private static let requestAliasPolicy = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt"],
          "Resource": "arn:aws:kms:*:111122223333:key/*",
          "Condition": {"StringLike": {"kms:RequestAlias": "alias/finance*"}}}}
        """
}
