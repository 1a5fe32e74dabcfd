import CofferCore
import CofferCrypto
import Crypto
import Foundation

/// A row of ListKeyRotations.
public struct KeyRotationEntry: Sendable, Hashable {
    public var version: UInt32
    public var rotationDate: Date?
    public var rotationType: RotationType?
    public var isCurrent: Bool
    /// An identifier of the material that reveals nothing about it (hex SHA-256 of ARN and version).
    public var keyMaterialID: String
}

extension KMSService {
    /// AWS's limits for rotation and deletion.
    public static let rotationPeriodDays = 90...2560
    public static let defaultRotationPeriodDays = 365
    public static let maximumOnDemandRotations = 25
    public static let pendingWindowDays = 7...30
    public static let defaultPendingWindowDays = 30
    static let day: TimeInterval = 86_400

    /// Rotation applies to symmetric encryption keys with KMS-generated material.
    private func checkRotatable(_ key: KMSKey) throws {
        guard key.keySpec == .symmetricDefault, key.origin == .awsKMS else {
            throw KMSError(.unsupportedOperation, "\(key.arn) does not support key rotation.")
        }
    }

    /// Rotation settings are shared by a multi-Region key's copies and managed on the primary.
    private func checkRotationManageable(_ key: KMSKey) throws {
        try checkRotatable(key)
        if key.keyManager == .aws {
            throw KMSError(.unsupportedOperation, "\(key.arn) is an AWS managed key; its material rotates every year automatically.")
        }
        if key.isReplica {
            throw KMSError(.unsupportedOperation, "\(key.arn) is a replica key; manage rotation on the primary key in \(key.primaryRegion?.rawValue ?? "its primary region").")
        }
    }

    /// EnableKeyRotation: rotate automatically every `periodDays` (default 365), first after one period.
    public func enableKeyRotation(_ keyID: String, periodDays: Int?, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("EnableKeyRotation"))
        try checkRotationManageable(key)
        let arn = key.arn, region = key.region
        let period = periodDays ?? key.rotationPeriodDays ?? Self.defaultRotationPeriodDays
        let now = clock.now()
        try await modifyShared(key) { key in
            if key.region == region { try key.state.checkUsable(keyARN: arn) }
            if key.rotationPeriodDays != period || key.nextRotationDate == nil {
                key.nextRotationDate = now.addingTimeInterval(TimeInterval(period) * Self.day)
            }
            key.rotationPeriodDays = period
        }
    }

    /// DisableKeyRotation.
    public func disableKeyRotation(_ keyID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("DisableKeyRotation"))
        try checkRotationManageable(key)
        let arn = key.arn, region = key.region
        try await modifyShared(key) { key in
            if key.region == region { try key.state.checkUsable(keyARN: arn) }
            key.rotationPeriodDays = nil
            key.nextRotationDate = nil
        }
    }

    /// GetKeyRotationStatus.
    public func keyRotationStatus(_ keyID: String, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("GetKeyRotationStatus"))
        try checkRotatable(key)
        if key.state == .pendingDeletion { throw KMSError(.invalidState, "\(key.arn) is pending deletion.") }
        return key
    }

    /// RotateKeyOnDemand: a new current version now; the automatic schedule is unchanged.
    public func rotateKeyOnDemand(_ keyID: String, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("RotateKeyOnDemand"))
        try checkRotationManageable(key)
        try key.state.checkUsable(keyARN: key.arn)
        guard key.onDemandRotations < Self.maximumOnDemandRotations else {
            throw KMSError(.limitExceeded, "\(key.arn) has reached the limit of \(Self.maximumOnDemandRotations) on-demand rotations.")
        }
        return try await rotate(key, type: .onDemand)
    }

    /// Adds a version of fresh material and makes it current; earlier versions keep decrypting.
    private func rotate(_ key: KMSKey, type: RotationType) async throws -> KMSKey {
        let now = clock.now()
        let version = key.currentVersion + 1
        let raw = SecureRandom.bytes(32)
        let sealed = try rootKey.seal(raw, label: key.materialLabel(version: version))
        let material = SealedKeyMaterial(keyID: key.id, version: version, sealed: sealed, creationDate: now, rotationType: type)
        let expectedVersion = key.currentVersion
        let arn = key.arn
        let changed = try await store.addMaterial(material, { key in
            // Two rotations racing: only the first one that read this version wins.
            guard key.currentVersion == expectedVersion else {
                throw KMSError(.invalidState, "\(arn) was rotated concurrently; try again.")
            }
            key.currentVersion = version
            switch type {
            case .onDemand:
                key.onDemandRotations += 1
            case .automatic:
                if let period = key.rotationPeriodDays {
                    key.nextRotationDate = now.addingTimeInterval(TimeInterval(period) * Self.day)
                }
            }
        })
        // A multi-Region key's copies rotate together: they share their material.
        changed.forEach(cache)
        guard let updated = changed.first(where: { $0.region == key.region }) else {
            throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue)
        }
        return updated
    }

    /// ListKeyRotations: completed rotations (or, with `includeOriginal`, every version), oldest first.
    public func listKeyRotations(
        _ keyID: String, includeOriginal: Bool, limit: Int, marker: String?, caller: Caller
    ) async throws -> (entries: [KeyRotationEntry], nextMarker: String?, key: KMSKey) {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ListKeyRotations"))
        try checkRotatable(key)
        if key.state == .pendingDeletion { throw KMSError(.invalidState, "\(key.arn) is pending deletion.") }
        var after: UInt32 = 0
        if let marker {
            guard let value = UInt32(marker) else { throw KMSError(.invalidMarker, "Invalid marker: \(marker)") }
            after = value
        }
        let entries = try await store.materials(keyID: key.id)
            .filter { $0.version > after && (includeOriginal || $0.rotationType != nil) }
            .map { material in
                KeyRotationEntry(
                    version: material.version, rotationDate: material.rotationType == nil ? nil : material.creationDate,
                    rotationType: material.rotationType, isCurrent: material.version == key.currentVersion,
                    keyMaterialID: Bytes.hex(SHA256.hash(data: Array("\(key.arn)#\(material.version)".utf8)))
                )
            }
        let page = Array(entries.prefix(limit))
        return (page, entries.count > limit ? page.last.map { String($0.version) } : nil, key)
    }

    /// ScheduleKeyDeletion: the key becomes PendingDeletion and is deleted after the window.
    public func scheduleKeyDeletion(_ keyID: String, windowDays: Int?, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ScheduleKeyDeletion"))
        let arn = key.arn
        let window = windowDays ?? Self.defaultPendingWindowDays
        let deletionDate = clock.now().addingTimeInterval(TimeInterval(window) * Self.day)
        // A multi-Region primary with replicas waits in PendingReplicaDeletion for them.
        let hasReplicas = key.isPrimary ? try await store.keyCopies(id: key.id).count > 1 : false
        return try await modify(key) { key in
            guard key.state == .enabled || key.state == .disabled || key.state == .pendingImport else {
                throw KMSError(.invalidState, "\(arn) is \(key.state.rawValue)")
            }
            key.state = hasReplicas ? .pendingReplicaDeletion : .pendingDeletion
            key.deletionDate = deletionDate
            key.pendingWindowDays = window
        }
    }

    /// CancelKeyDeletion: the key comes back Disabled, as in AWS.
    public func cancelKeyDeletion(_ keyID: String, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("CancelKeyDeletion"))
        let arn = key.arn
        return try await modify(key) { key in
            guard key.state == .pendingDeletion || key.state == .pendingReplicaDeletion else {
                throw KMSError(.invalidState, "\(arn) is not pending deletion.")
            }
            key.state = .disabled
            key.deletionDate = nil
            key.pendingWindowDays = nil
        }
    }

    /// Runs every automatic rotation, deletion and imported-material expiry that is due; returns
    /// how many rotations and deletions it did. The background scheduler calls this periodically;
    /// test mode can call it after moving the clock.
    @discardableResult
    public func runDueLifecycle() async throws -> (rotated: Int, deleted: Int) {
        let now = clock.now()
        var rotated = 0, deleted = 0
        for key in try await store.keysWithLifecycleDue(at: now) {
            if let validTo = key.materialValidTo, validTo <= now {
                try await expireImportedMaterial(key)
            }
            if [.pendingDeletion, .pendingReplicaDeletion].contains(key.state), let deletionDate = key.deletionDate, deletionDate <= now {
                // A multi-Region primary waits for its replicas to be deleted first.
                if key.isPrimary, try await store.keyCopies(id: key.id).count > 1 { continue }
                try await store.deleteKey(id: key.id, region: key.region)
                uncacheKey(id: key.id, region: key.region)
                deleted += 1
            } else if key.state == .enabled, !key.isReplica, let next = key.nextRotationDate, next <= now {
                _ = try await rotate(key, type: .automatic)
                rotated += 1
            }
        }
        return (rotated, deleted)
    }
}
