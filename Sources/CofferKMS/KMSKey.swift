import CofferCore
import Foundation

/// A KMS key's metadata. Its material lives separately, sealed, one entry per version.
public struct KMSKey: Sendable, Hashable {
    public var id: String
    public var account: AccountID
    public var region: Region
    public var creationDate: Date
    public var description: String
    public var keyUsage: KeyUsage
    public var keySpec: KeySpec
    public var origin: KeyOrigin
    public var keyManager: KeyManager
    public var state: KeyState
    /// The version new ciphertexts use; earlier versions still decrypt.
    public var currentVersion: UInt32
    public var tags: [KMSTag]
    /// The key policy document as given (enforcement arrives with the access-control work).
    public var policy: String?
    /// Bumped on every change, so caches never replace a newer copy with an older one.
    public var revision: Int64
    /// Automatic rotation period in days; nil while automatic rotation is off.
    public var rotationPeriodDays: Int?
    /// When the next automatic rotation is due (while automatic rotation is on).
    public var nextRotationDate: Date?
    /// How many on-demand rotations the key has had (AWS allows 25).
    public var onDemandRotations: Int = 0
    /// When a key pending deletion will be deleted, and the window it was scheduled with.
    public var deletionDate: Date?
    public var pendingWindowDays: Int?
    /// Multi-Region keys: every regional copy has the same id and material; one is the primary.
    public var multiRegion: Bool = false
    public var primaryRegion: Region?
    /// Imported material (Origin EXTERNAL): whether and when it expires, and its identifier.
    public var expirationModel: ExpirationModel?
    public var materialValidTo: Date?
    public var importedMaterialID: String?
    /// AWS managed keys: the service they belong to (the `<service>` of `alias/aws/<service>`).
    public var awsService: String?

    public init(
        id: String, account: AccountID, region: Region, creationDate: Date, description: String,
        keyUsage: KeyUsage, keySpec: KeySpec, origin: KeyOrigin, keyManager: KeyManager = .customer,
        state: KeyState, currentVersion: UInt32 = 1, tags: [KMSTag] = [], policy: String? = nil, revision: Int64 = 1
    ) {
        self.id = id
        self.account = account
        self.region = region
        self.creationDate = creationDate
        self.description = description
        self.keyUsage = keyUsage
        self.keySpec = keySpec
        self.origin = origin
        self.keyManager = keyManager
        self.state = state
        self.currentVersion = currentVersion
        self.tags = tags
        self.policy = policy
        self.revision = revision
    }

    public var arn: String { Self.arn(id: id, account: account, region: region) }

    /// Whether this copy is the primary of a multi-Region key.
    public var isPrimary: Bool { multiRegion && primaryRegion == region }

    /// Whether this copy is a replica of a multi-Region key.
    public var isReplica: Bool { multiRegion && primaryRegion != region }

    /// The label that binds a sealed material version to this key. A multi-Region key's copies
    /// share their material, so its label names the account and id but no region.
    public func materialLabel(version: UInt32) -> String {
        multiRegion
            ? "kms-key-material:mrk:\(account.rawValue):\(id):v\(version)"
            : SealedKeyMaterial.sealingLabel(keyARN: arn, version: version)
    }

    public static func arn(id: String, account: AccountID, region: Region) -> String {
        "arn:aws:kms:\(region.rawValue):\(account.rawValue):key/\(id)"
    }

    /// The key agreement algorithms DescribeKey lists for this key.
    public var keyAgreementAlgorithms: [String] { keyUsage == .keyAgreement ? ["ECDH"] : [] }

    /// The MAC algorithms DescribeKey lists for this key.
    public var macAlgorithms: [String] {
        keyUsage == .generateVerifyMAC ? keySpec.macAlgorithm.map { [$0.name] } ?? [] : []
    }

    /// The signing algorithms DescribeKey lists for this key.
    public var signingAlgorithms: [String] {
        keyUsage == .signVerify ? AsymmetricKey.signingAlgorithms(for: keySpec).map(\.name) : []
    }

    /// The encryption algorithms DescribeKey lists for this key.
    public var encryptionAlgorithms: [String] {
        guard keyUsage == .encryptDecrypt else { return [] }
        if keySpec == .symmetricDefault { return ["SYMMETRIC_DEFAULT"] }
        return AsymmetricKey.isRSA(keySpec) ? AsymmetricKey.rsaEncryptionAlgorithms : []
    }
}

/// Whether imported key material expires.
public enum ExpirationModel: String, Sendable, Hashable {
    case expires = "KEY_MATERIAL_EXPIRES"
    case doesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE"
}

/// How a key version came to be.
public enum RotationType: String, Sendable, Hashable {
    case automatic = "AUTOMATIC"
    case onDemand = "ON_DEMAND"
}

/// One version of a key's material, sealed under the root key.
public struct SealedKeyMaterial: Sendable, Hashable {
    public var keyID: String
    public var version: UInt32
    public var sealed: [UInt8]
    public var creationDate: Date
    /// nil for the key's original material; otherwise how the rotation that made it was started.
    public var rotationType: RotationType?

    public init(keyID: String, version: UInt32, sealed: [UInt8], creationDate: Date, rotationType: RotationType? = nil) {
        self.keyID = keyID
        self.version = version
        self.sealed = sealed
        self.creationDate = creationDate
        self.rotationType = rotationType
    }

    /// The label binding sealed material to its key ARN and version.
    public static func sealingLabel(keyARN: String, version: UInt32) -> String {
        "kms-key-material:\(keyARN):v\(version)"
    }
}
