import CofferCore
import Foundation

/// ReplicateKey's parameters, already type-checked by the wire layer.
public struct ReplicateKeyParameters: Sendable {
    public var keyID: String
    public var replicaRegion: String
    public var description: String = ""
    public var policy: String?
    public var tags: [KMSTag] = []

    public init(keyID: String, replicaRegion: String) {
        self.keyID = keyID
        self.replicaRegion = replicaRegion
    }
}

extension KMSService {
    /// Every regional copy of a multi-Region key (for MultiRegionConfiguration); empty otherwise.
    public func multiRegionCopies(of key: KMSKey) async throws -> [KMSKey] {
        guard key.multiRegion else { return [] }
        return try await store.keyCopies(id: key.id)
    }

    /// ReplicateKey: a copy of a multi-Region primary key in another region of the same account,
    /// with the same id, key material and shared properties, and its own policy, tags and description.
    public func replicateKey(_ parameters: ReplicateKeyParameters, caller: Caller) async throws -> KMSKey {
        let primary = try await resolve(parameters.keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ReplicateKey"))
        guard primary.multiRegion else {
            throw KMSError(.unsupportedOperation, "\(primary.arn) is not a multi-Region key.")
        }
        guard primary.isPrimary else {
            throw KMSError(.unsupportedOperation, "\(primary.arn) is a replica key; only the primary key of a multi-Region key can be replicated.")
        }
        switch primary.state {
        case .enabled: break
        case .disabled: throw KMSError(.disabled, "\(primary.arn) is disabled.")
        default: throw KMSError(.invalidState, "\(primary.arn) is \(primary.state.rawValue)")
        }
        guard let region = Region(parameters.replicaRegion), region != primary.region else {
            throw KMSError(.validation, "ReplicaRegion \(parameters.replicaRegion) is not a valid region other than the primary key's region.")
        }
        if let policy = parameters.policy { try Self.checkPolicyDocument(policy) }
        try Self.checkNewTags(parameters.tags, existing: [])
        if try await store.key(id: primary.id, region: region) != nil {
            throw KMSError(.alreadyExists, "\(KMSKey.arn(id: primary.id, account: primary.account, region: region)) already exists")
        }
        var replica = KMSKey(
            id: primary.id, account: primary.account, region: region, creationDate: clock.now(),
            description: parameters.description, keyUsage: primary.keyUsage, keySpec: primary.keySpec, origin: primary.origin,
            keyManager: primary.keyManager, state: .enabled, currentVersion: primary.currentVersion,
            tags: Self.merge(parameters.tags, into: []), policy: parameters.policy
        )
        replica.multiRegion = true
        replica.primaryRegion = primary.region
        replica.rotationPeriodDays = primary.rotationPeriodDays
        replica.nextRotationDate = primary.nextRotationDate
        replica.onDemandRotations = primary.onDemandRotations
        // The copies share their material versions, which are already stored under the key id.
        try await store.insertKey(replica, material: nil)
        cache(replica)
        return replica
    }

    /// UpdatePrimaryRegion: the copy in `primaryRegion` becomes the primary; the old primary a replica.
    public func updatePrimaryRegion(_ keyID: String, primaryRegion: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("UpdatePrimaryRegion"))
        guard key.multiRegion else {
            throw KMSError(.unsupportedOperation, "\(key.arn) is not a multi-Region key.")
        }
        guard key.isPrimary else {
            throw KMSError(.unsupportedOperation, "\(key.arn) is a replica key; call UpdatePrimaryRegion on the primary key in \(key.primaryRegion?.rawValue ?? "its primary region").")
        }
        switch key.state {
        case .enabled, .disabled: break
        default: throw KMSError(.invalidState, "\(key.arn) is \(key.state.rawValue)")
        }
        guard let region = Region(primaryRegion) else {
            throw KMSError(.validation, "PrimaryRegion \(primaryRegion) is not a valid region.")
        }
        guard let target = try await store.key(id: key.id, region: region) else {
            throw KMSError(.notFound, "\(KMSKey.arn(id: key.id, account: key.account, region: region)) does not exist")
        }
        guard target.state == .enabled || target.state == .disabled else {
            throw KMSError(.invalidState, "\(target.arn) is \(target.state.rawValue)")
        }
        try await modifyShared(key) { $0.primaryRegion = region }
    }

    /// Applies a change to every copy of a multi-Region key (its shared properties), or to the key.
    @discardableResult
    func modifyShared(_ key: KMSKey, _ change: @Sendable @escaping (inout KMSKey) throws -> Void) async throws -> KMSKey {
        guard key.multiRegion else { return try await modify(key, change) }
        let changed = try await store.modifyKeyCopies(id: key.id, change)
        changed.forEach(cache)
        guard let updated = changed.first(where: { $0.region == key.region }) else {
            throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue)
        }
        return updated
    }
}
