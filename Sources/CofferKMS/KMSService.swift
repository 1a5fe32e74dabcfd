import CofferCore
import CofferCrypto
import CofferPolicy
import Crypto
import Foundation
import Synchronization

/// The KMS key ring for every account and region this server hosts.
///
/// Reads go through write-through caches: key metadata, alias targets and unsealed key versions
/// are kept in memory after first use so that the cryptographic hot path touches no storage.
/// (With several nodes sharing one database these caches will need invalidation; see
/// docs/key-hierarchy.md.)
public final class KMSService: Sendable {
    let store: any KeyStore
    let rootKey: RootKey
    let clock: any WallClock
    /// The IAM policies of callers; nil in unit tests that only use account roots.
    let identityPolicies: (any IdentityPolicySource)?

    private let keyCache = Mutex<[KeySlot: KMSKey]>([:])
    private let aliasCache = Mutex<[String: String]>([:])
    private let materialCache = Mutex<[String: SymmetricKey]>([:])
    private let signingKeyCache = Mutex<[String: AsymmetricKey]>([:])
    /// Key uses not yet written to the store (see ``recordUse(of:operation:requestID:)``).
    let pendingUsage = Mutex<[KeySlot: KeyLastUse]>([:])
    /// Parsed key policies by their text.
    let keyPolicyCache = Mutex<[String: PolicyDocument]>([:])
    /// Allow decisions for account roots under condition-free key policies (see `authorize`).
    let allowCache = Mutex<Set<AllowSlot>>([])
    /// The grants of each key copy, loaded on first need and refreshed on every grant change.
    let grantCache = Mutex<[KeySlot: [KMSGrant]]>([:])

    /// The longest `Policy` member the API model accepts, in characters.
    public static let maximumPolicyLength = 131_072
    /// AWS's key policy document size quota (not adjustable): 32 KiB.
    public static let maximumPolicyBytes = 32_768
    public static let maximumTagsPerKey = 50

    public init(
        store: any KeyStore, rootKey: RootKey, clock: any WallClock = SystemWallClock(), identityPolicies: (any IdentityPolicySource)? = nil
    ) {
        self.store = store
        self.rootKey = rootKey
        self.clock = clock
        self.identityPolicies = identityPolicies
    }

    // MARK: Caches

    /// One remembered allow: the key policy's cache slot, the caller, the action and the key copy.
    struct AllowSlot: Hashable {
        var policy: String
        var principal: String
        var action: String
        var keyID: String
        var region: String
    }

    /// Where a key copy sits in the cache: its id and region.
    struct KeySlot: Hashable {
        var id: String
        var region: String
    }

    func cache(_ key: KMSKey) {
        let slot = KeySlot(id: key.id, region: key.region.rawValue)
        keyCache.withLock { cache in
            if let existing = cache[slot], existing.revision > key.revision { return }
            cache[slot] = key
        }
    }

    func loadKey(id: String, region: Region) async throws -> KMSKey? {
        if let cached = keyCache.withLock({ $0[KeySlot(id: id, region: region.rawValue)] }) { return cached }
        guard let key = try await store.key(id: id, region: region) else { return nil }
        cache(key)
        return key
    }

    private static func aliasSlot(_ account: AccountID, _ region: Region, _ name: String) -> String {
        "\(account.rawValue)/\(region.rawValue)/\(name)"
    }

    func cacheAlias(_ alias: KMSAlias) {
        aliasCache.withLock { $0[Self.aliasSlot(alias.account, alias.region, alias.name)] = alias.targetKeyID }
    }

    func uncacheAlias(account: AccountID, region: Region, name: String) {
        _ = aliasCache.withLock { $0.removeValue(forKey: Self.aliasSlot(account, region, name)) }
    }

    /// Forgets a deleted key copy: its metadata, its unsealed versions and the aliases that named it.
    func uncacheKey(id: String, region: Region) {
        keyCache.withLock { _ = $0.removeValue(forKey: KeySlot(id: id, region: region.rawValue)) }
        grantCache.withLock { _ = $0.removeValue(forKey: KeySlot(id: id, region: region.rawValue)) }
        uncacheMaterial(keyID: id)
        // Alias slots are "account/region/name": keep every alias but this copy's.
        let regionPart = Substring(region.rawValue)
        aliasCache.withLock { cache in
            cache = cache.filter { $0.value != id || $0.key.split(separator: "/", maxSplits: 2).dropFirst().first != regionPart }
        }
    }

    /// Forgets a key's unsealed material (deleted or replaced imported material).
    func uncacheMaterial(keyID: String) {
        materialCache.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(keyID + "#") } }
        signingKeyCache.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(keyID + "#") } }
    }

    /// Drops every cached value (after a reset).
    func clearCaches() {
        keyCache.withLock { $0.removeAll() }
        aliasCache.withLock { $0.removeAll() }
        materialCache.withLock { $0.removeAll() }
        signingKeyCache.withLock { $0.removeAll() }
        grantCache.withLock { $0.removeAll() }
        allowCache.withLock { $0.removeAll() }
    }

    /// The parsed private key of an asymmetric key version, from cache or by unsealing it (parsing
    /// is costly: an ECC key derives its public point, an RSA key checks its parameters).
    func asymmetricKey(for key: KMSKey, version: UInt32) async throws -> AsymmetricKey {
        let slot = "\(key.id)#\(version)"
        if let cached = signingKeyCache.withLock({ $0[slot] }) { return cached }
        let raw = try await material(for: key, version: version).withUnsafeBytes { Array($0) }
        let parsed = try AsymmetricKey(spec: key.keySpec, material: raw)
        signingKeyCache.withLock { $0[slot] = parsed }
        return parsed
    }

    /// The unsealed material of one key version, from cache or storage.
    func material(for key: KMSKey, version: UInt32) async throws -> SymmetricKey {
        let slot = "\(key.id)#\(version)"
        if let cached = materialCache.withLock({ $0[slot] }) { return cached }
        guard let sealed = try await store.material(keyID: key.id, version: version) else {
            throw KMSError(.invalidCiphertext, "")
        }
        let bytes: [UInt8]
        do {
            bytes = try rootKey.open(sealed.sealed, label: key.materialLabel(version: version))
        } catch {
            // Sealed material that does not open under the root key means storage was tampered
            // with or a different root key is in use: fail closed.
            throw KMSError(.internal, "Key material for \(key.arn) could not be unsealed.")
        }
        let material = SymmetricKey(data: bytes)
        materialCache.withLock { $0[slot] = material }
        return material
    }

    /// Throws the AWS error unless a key can be used cryptographically now: it must be Enabled
    /// and, with imported material, the material must not have expired (the background sweep
    /// deletes expired material later; the check here makes expiry exact). Who may use it (an AWS
    /// managed key only through its service) is the key policy's business, checked in `resolve`.
    func checkUsable(_ key: KMSKey, caller: Caller) throws {
        try key.state.checkUsable(keyARN: key.arn)
        if let validTo = key.materialValidTo, clock.now() >= validTo {
            throw KMSError(.invalidState, "\(key.arn) is pending import: its imported key material expired.")
        }
    }

    // MARK: Resolution

    /// Finds the key a reference names and authorizes `access` to it (key policy, IAM policies,
    /// grants). A key of another account is reachable only by its ARN, as on AWS.
    func resolve(_ reference: KeyReference, caller: Caller, for access: KeyAccess) async throws -> KMSKey {
        let key = try await locate(reference, caller: caller)
        var requestAlias: String?
        switch reference {
        case .aliasName(let name), .aliasARN(_, _, let name): requestAlias = name
        default: requestAlias = nil
        }
        try await authorize(caller, key: key, access: access, requestAlias: requestAlias)
        return key
    }

    func resolve(_ text: String, forms: KeyReference.Forms, caller: Caller, for access: KeyAccess) async throws -> KMSKey {
        try await resolve(KeyReference(parsing: text, forms: forms), caller: caller, for: access)
    }

    /// Finds the key a reference names, without authorization (callers authorize themselves).
    func locate(_ reference: KeyReference, caller: Caller) async throws -> KMSKey {
        switch reference {
        case .keyID(let id):
            return try await ownKey(id: id, caller: caller)
        case .keyARN(let account, let region, let id):
            guard region == caller.region.rawValue, let keyRegion = Region(region),
                let key = try await loadKey(id: id, region: keyRegion), key.account.rawValue == account
            else { throw notFound(arnFor: id, account: account, region: region) }
            return key
        case .aliasName(let name):
            return try await aliasTarget(name: name, caller: caller)
        case .aliasARN(let account, let region, let name):
            guard account == caller.account.rawValue, region == caller.region.rawValue else {
                throw KMSError(.notFound, "Alias arn:aws:kms:\(region):\(account):\(name) is not found.")
            }
            return try await aliasTarget(name: name, caller: caller)
        }
    }

    private func ownKey(id: String, caller: Caller) async throws -> KMSKey {
        guard let key = try await loadKey(id: id, region: caller.region), key.account == caller.account else {
            throw notFound(arnFor: id, account: caller.account.rawValue, region: caller.region.rawValue)
        }
        return key
    }

    private func aliasTarget(name: String, caller: Caller) async throws -> KMSKey {
        let slot = Self.aliasSlot(caller.account, caller.region, name)
        var targetID = aliasCache.withLock { $0[slot] }
        if targetID == nil, let alias = try await store.alias(account: caller.account, region: caller.region, name: name) {
            cacheAlias(alias)
            targetID = alias.targetKeyID
        }
        guard let targetID, let key = try await loadKey(id: targetID, region: caller.region) else {
            throw KMSError(.notFound, "Alias arn:aws:kms:\(caller.region.rawValue):\(caller.account.rawValue):\(name) is not found.")
        }
        return key
    }

    func notFound(arnFor id: String, account: String, region: String) -> KMSError {
        KMSError(.notFound, "Key 'arn:aws:kms:\(region):\(account):key/\(id)' does not exist")
    }

    /// Applies a change to a key through the store and refreshes the cache.
    func modify(_ key: KMSKey, _ change: @Sendable @escaping (inout KMSKey) throws -> Void) async throws -> KMSKey {
        guard let updated = try await store.modifyKey(id: key.id, region: key.region, change) else {
            throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue)
        }
        cache(updated)
        return updated
    }

    /// Test mode's reset: forgets every key and alias.
    public func removeAll() async throws {
        pendingUsage.withLock { $0.removeAll() }
        try await store.removeAll()
        clearCaches()
    }
}
