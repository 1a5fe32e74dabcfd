import CofferCore
import CofferCrypto
import Foundation

extension KMSService {
    static let awsAliasPrefix = "alias/aws/"

    /// The services with a predefined `alias/aws/<service>` alias.
    public static let awsManagedServices: Set<String> = [
        "acm", "backup", "dynamodb", "ebs", "elasticfilesystem", "es", "glue", "kinesis", "lambda", "rds", "redshift",
        "s3", "secretsmanager", "sns", "sqs", "ssm", "xray",
    ]

    /// The key policy of an AWS managed key: cryptographic use by the account's principals only
    /// through the service, and direct read access to the key's metadata.
    public static func awsManagedKeyPolicy(account: AccountID, region: Region, service: String) -> String {
        """
        {
          "Version" : "2012-10-17",
          "Id" : "auto-\(service)-1",
          "Statement" : [ {
            "Sid" : "Allow access through \(service) for all principals in the account that are authorized to use \(service)",
            "Effect" : "Allow",
            "Principal" : { "AWS" : "*" },
            "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
            "Resource" : "*",
            "Condition" : {
              "StringEquals" : {
                "kms:CallerAccount" : "\(account.rawValue)",
                "kms:ViaService" : "\(service).\(region.rawValue).amazonaws.com"
              }
            }
          }, {
            "Sid" : "Allow direct access to key metadata to the account",
            "Effect" : "Allow",
            "Principal" : { "AWS" : "arn:aws:iam::\(account.rawValue):root" },
            "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
            "Resource" : "*"
          } ]
        }
        """
    }

    /// The AWS managed key of `service` in the caller's account and region, created on first use
    /// with KeyManager AWS, yearly rotation and the alias `alias/aws/<service>`.
    public func awsManagedKey(service: String, caller: Caller) async throws -> KMSKey {
        let name = Self.awsAliasPrefix + service
        if let alias = try await store.alias(account: caller.account, region: caller.region, name: name),
           let key = try await loadKey(id: alias.targetKeyID, region: caller.region) {
            cacheAlias(alias)
            return key
        }
        guard Self.awsManagedServices.contains(service) else {
            throw KMSError(.notFound, "Alias \(KMSAlias.arn(name: name, caller: caller)) is not found.")
        }
        let now = clock.now()
        var key = KMSKey(
            id: Identifiers.uuid(), account: caller.account, region: caller.region, creationDate: now,
            description: "Default key that protects my \(service) data when no other key is defined",
            keyUsage: .encryptDecrypt, keySpec: .symmetricDefault, origin: .awsKMS, keyManager: .aws, state: .enabled,
            policy: Self.awsManagedKeyPolicy(account: caller.account, region: caller.region, service: service)
        )
        key.awsService = service
        key.rotationPeriodDays = Self.defaultRotationPeriodDays
        key.nextRotationDate = now.addingTimeInterval(TimeInterval(Self.defaultRotationPeriodDays) * Self.day)
        try await store.insertKey(key, material: try freshMaterial(for: key))
        let alias = KMSAlias(name: name, account: caller.account, region: caller.region, targetKeyID: key.id, creationDate: now, lastUpdatedDate: now)
        do {
            try await store.insertAlias(alias)
        } catch let error as KMSError where error.code == .alreadyExists {
            // Another request created the service's key first: use that one.
            try await store.deleteKey(id: key.id, region: key.region)
            return try await awsManagedKey(service: service, caller: caller)
        }
        cacheAlias(alias)
        cache(key)
        return key
    }
}
