/// An AWS KMS ARN (spec: framework/aws-kms/aws-kms-key-arn): `arn:partition:kms:region:account:key/id`.
public struct KMSKeyARN: Sendable, Hashable, CustomStringConvertible {
    public var partition: String
    public var region: String
    public var account: String
    /// `key` or `alias`.
    public var resourceType: String
    public var resourceID: String

    /// Parses `string`, or returns nil when it is not a KMS ARN.
    public init?(_ string: String) {
        let parts = string.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, parts[2] == "kms", !parts[3].isEmpty, !parts[4].isEmpty else {
            return nil
        }
        let resource = parts[5].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard resource.count == 2, ["key", "alias"].contains(resource[0]), !resource[1].isEmpty else { return nil }
        partition = parts[1]
        region = parts[3]
        account = parts[4]
        resourceType = resource[0]
        resourceID = resource[1]
    }

    public var isKey: Bool { resourceType == "key" }

    public var description: String { "arn:\(partition):kms:\(region):\(account):\(resourceType)/\(resourceID)" }
}

/// Limits a discovery keyring to keys of some accounts in one partition.
public struct KMSDiscoveryFilter: Sendable, Hashable {
    public var partition: String
    public var accountIDs: Set<String>

    public init(partition: String, accountIDs: Set<String>) throws(ESDKError) {
        guard !partition.isEmpty, !accountIDs.isEmpty, !accountIDs.contains("") else {
            throw ESDKError(.invalidArgument, "discovery filter needs a partition and at least one account ID")
        }
        self.partition = partition
        self.accountIDs = accountIDs
    }

    func allows(_ arn: KMSKeyARN) -> Bool { arn.partition == partition && accountIDs.contains(arn.account) }
}
