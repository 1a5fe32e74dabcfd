import CofferCore
import Foundation

/// A grant: permission for a grantee principal to use one KMS key in the named operations,
/// optionally only with a constrained encryption context.
public struct KMSGrant: Sendable, Hashable {
    /// The operations a grant may name (botocore's GrantOperation enum).
    public static let operations: Set<String> = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac", "VerifyMac", "DeriveSharedSecret", "Encapsulate", "Decapsulate",
    ]
    /// Operations that take an encryption context, the only ones a constrained grant may name
    /// (CreateGrant and RetireGrant are allowed with constraints too, as AWS allows).
    public static let contextOperations: Set<String> = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "CreateGrant", "RetireGrant",
    ]

    /// Encryption-context constraints.
    public struct Constraints: Sendable, Hashable {
        /// The request's context must equal these pairs exactly.
        public var equals: [String: String]?
        /// The request's context must include these pairs (and may have more).
        public var subset: [String: String]?
        public init(equals: [String: String]? = nil, subset: [String: String]? = nil) {
            self.equals = equals
            self.subset = subset
        }
        public var isEmpty: Bool { equals == nil && subset == nil }

        /// Whether a request's encryption context satisfies the constraints. As AWS documents,
        /// keys compare without regard to case and values exactly.
        public func admit(_ context: EncryptionContext?) -> Bool {
            var pairs: [String: String] = [:]
            for (key, value) in context?.pairs ?? [:] {
                // Two request keys that differ only in case cannot both match one constraint key.
                guard pairs.updateValue(value, forKey: key.lowercased()) == nil else { return false }
            }
            if let equals {
                guard equals.count == pairs.count, equals.allSatisfy({ pairs[$0.key.lowercased()] == $0.value }) else { return false }
            }
            if let subset, !subset.allSatisfy({ pairs[$0.key.lowercased()] == $0.value }) { return false }
            return true
        }
    }

    /// 64 hex digits.
    public var grantID: String
    public var keyID: String
    public var region: Region
    /// The account that owns the key.
    public var keyAccount: AccountID
    public var name: String?
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    /// The account root of the principal that created the grant.
    public var issuingAccount: String
    public var operations: [String]
    public var constraints: Constraints
    public var creationDate: Date
    /// The token handed out when the grant was created. Every CreateGrant answer carries a fresh
    /// token; all of them name the grant and work the same (see `KMSService.grantToken`).
    public var token: String

    public init(
        grantID: String, keyID: String, region: Region, keyAccount: AccountID, name: String?, granteePrincipal: String,
        retiringPrincipal: String?, issuingAccount: String, operations: [String], constraints: Constraints, creationDate: Date, token: String
    ) {
        self.grantID = grantID
        self.keyID = keyID
        self.region = region
        self.keyAccount = keyAccount
        self.name = name
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.issuingAccount = issuingAccount
        self.operations = operations
        self.constraints = constraints
        self.creationDate = creationDate
        self.token = token
    }

    public var keyARN: String { "arn:aws:kms:\(region.rawValue):\(keyAccount.rawValue):key/\(keyID)" }

    /// Whether the grant gives `caller` the operation with this encryption context. The grantee
    /// matches the caller's ARN, or, for a role session, the role's ARN.
    public func allows(_ operation: String, caller: Caller, context: EncryptionContext?) -> Bool {
        guard granteePrincipal == caller.principalARN || granteePrincipal == caller.roleARN else { return false }
        guard operations.contains(operation) else { return false }
        return constraints.admit(context)
    }

    /// Whether two grants carry the same parameters (CreateGrant's Name idempotency).
    func sameParameters(as other: KMSGrant) -> Bool {
        granteePrincipal == other.granteePrincipal && retiringPrincipal == other.retiringPrincipal
            && Set(operations) == Set(other.operations) && constraints == other.constraints
    }
}
