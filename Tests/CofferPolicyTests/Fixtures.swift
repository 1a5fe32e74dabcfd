@testable import CofferPolicy

/// Accounts, callers and resources shared by the test tables. Values are invented for these tests.
enum Fixture {
    static let owner = "111122223333"
    static let external = "444455556666"

    static let root = PolicyPrincipal(arn: "arn:aws:iam::111122223333:root", account: owner)
    static let alice = PolicyPrincipal(arn: "arn:aws:iam::111122223333:user/Alice", account: owner)
    static let bob = PolicyPrincipal(arn: "arn:aws:iam::111122223333:user/engineering/Bob", account: owner)
    static let adminSession = PolicyPrincipal(
        arn: "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice-session", account: owner,
        roleARN: "arn:aws:iam::111122223333:role/KeyAdmin")
    static let otherAdminSession = PolicyPrincipal(
        arn: "arn:aws:sts::111122223333:assumed-role/KeyAdmin/bob-session", account: owner,
        roleARN: "arn:aws:iam::111122223333:role/KeyAdmin")
    static let carol = PolicyPrincipal(arn: "arn:aws:iam::444455556666:user/Carol", account: external)
    static let externalRoot = PolicyPrincipal(arn: "arn:aws:iam::444455556666:root", account: external)
    static let readerSession = PolicyPrincipal(
        arn: "arn:aws:sts::444455556666:assumed-role/Reader/batch-7", account: external,
        roleARN: "arn:aws:iam::444455556666:role/Reader")
    static let s3Service = PolicyPrincipal.service("s3.amazonaws.com")
    static let cloudTrail = PolicyPrincipal.service("cloudtrail.amazonaws.com")
    static let logsService = PolicyPrincipal.service("logs.amazonaws.com")
    static let ec2Service = PolicyPrincipal.service("ec2.amazonaws.com")

    static let key = "arn:aws:kms:us-west-2:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    static let otherKey = "arn:aws:kms:us-west-2:111122223333:key/99999999-8888-7777-6666-555555555555"
    static let bucket = "arn:aws:s3:::example-reports"
    static let object = "arn:aws:s3:::example-reports/2026/summary.csv"
    static let role = "arn:aws:iam::111122223333:role/DeployRole"

    /// The default key policy AWS creates for keys made through the API: the account (root) gets kms:*,
    /// which lets IAM policies in the account grant access.
    static let defaultKeyPolicy = """
        {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
          "Sid": "Enable IAM User Permissions", "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}
        """

    /// An identity policy allowing `actions` on `resource`.
    static func allow(_ actions: String, on resource: String = "*") -> String {
        """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": \(actions.hasPrefix("[") ? actions : "\"\(actions)\""), "Resource": "\(resource)"}}
        """
    }
}
