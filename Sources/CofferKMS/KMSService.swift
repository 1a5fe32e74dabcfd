import CofferCore
import CofferCrypto
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

    private let keyCache = Mutex<[String: KMSKey]>([:])
    private let aliasCache = Mutex<[String: String]>([:])
    private let materialCache = Mutex<[String: SymmetricKey]>([:])
    private let signingKeyCache = Mutex<[String: AsymmetricKey]>([:])

    /// AWS's limit on key policy documents, in characters.
    public static let maximumPolicyLength = 131_072
    public static let maximumTagsPerKey = 50

    public init(store: any KeyStore, rootKey: RootKey, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.rootKey = rootKey
        self.clock = clock
    }

    // MARK: Caches

    func cache(_ key: KMSKey) {
        keyCache.withLock { cache in
            if let existing = cache[key.id], existing.revision > key.revision { return }
            cache[key.id] = key
        }
    }

    func loadKey(id: String) async throws -> KMSKey? {
        if let cached = keyCache.withLock({ $0[id] }) { return cached }
        guard let key = try await store.key(id: id) else { return nil }
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

    /// Forgets a deleted key: its metadata, its unsealed versions and the aliases that named it.
    func uncacheKey(id: String) {
        keyCache.withLock { _ = $0.removeValue(forKey: id) }
        materialCache.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(id + "#") } }
        signingKeyCache.withLock { cache in cache = cache.filter { !$0.key.hasPrefix(id + "#") } }
        aliasCache.withLock { cache in cache = cache.filter { $0.value != id } }
    }

    /// Drops every cached value (after a reset).
    func clearCaches() {
        keyCache.withLock { $0.removeAll() }
        aliasCache.withLock { $0.removeAll() }
        materialCache.withLock { $0.removeAll() }
        signingKeyCache.withLock { $0.removeAll() }
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
            bytes = try rootKey.open(sealed.sealed, label: SealedKeyMaterial.sealingLabel(keyARN: key.arn, version: version))
        } catch {
            // Sealed material that does not open under the root key means storage was tampered
            // with or a different root key is in use: fail closed.
            throw KMSError(.internal, "Key material for \(key.arn) could not be unsealed.")
        }
        let material = SymmetricKey(data: bytes)
        materialCache.withLock { $0[slot] = material }
        return material
    }

    // MARK: Resolution

    /// Finds the key a reference names, as seen by `caller`.
    func resolve(_ reference: KeyReference, caller: Caller) async throws -> KMSKey {
        switch reference {
        case .keyID(let id):
            return try await ownKey(id: id, caller: caller)
        case .keyARN(let account, let region, let id):
            guard region == caller.region.rawValue else { throw notFound(arnFor: id, account: account, region: region) }
            guard account == caller.account.rawValue else {
                // Cross-account use needs a key policy that grants it; that arrives with the
                // access-control work, so until then the default key policy (own account only) holds.
                if try await loadKey(id: id) != nil {
                    throw KMSError(.accessDenied, "User: \(caller.principalARN) is not authorized to perform this operation on resource: arn:aws:kms:\(region):\(account):key/\(id) because no resource-based policy allows it")
                }
                throw notFound(arnFor: id, account: account, region: region)
            }
            return try await ownKey(id: id, caller: caller)
        case .aliasName(let name):
            return try await aliasTarget(name: name, caller: caller)
        case .aliasARN(let account, let region, let name):
            guard account == caller.account.rawValue, region == caller.region.rawValue else {
                throw KMSError(.notFound, "Alias arn:aws:kms:\(region):\(account):\(name) is not found.")
            }
            return try await aliasTarget(name: name, caller: caller)
        }
    }

    func resolve(_ text: String, forms: KeyReference.Forms, caller: Caller) async throws -> KMSKey {
        try await resolve(KeyReference(parsing: text, forms: forms), caller: caller)
    }

    private func ownKey(id: String, caller: Caller) async throws -> KMSKey {
        guard let key = try await loadKey(id: id), key.account == caller.account, key.region == caller.region else {
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
        guard let targetID, let key = try await loadKey(id: targetID) else {
            throw KMSError(.notFound, "Alias arn:aws:kms:\(caller.region.rawValue):\(caller.account.rawValue):\(name) is not found.")
        }
        return key
    }

    func notFound(arnFor id: String, account: String, region: String) -> KMSError {
        KMSError(.notFound, "Key 'arn:aws:kms:\(region):\(account):key/\(id)' does not exist")
    }

    /// Applies a change to a key through the store and refreshes the cache.
    func modify(_ key: KMSKey, _ change: @Sendable @escaping (inout KMSKey) throws -> Void) async throws -> KMSKey {
        guard let updated = try await store.modifyKey(id: key.id, change) else {
            throw notFound(arnFor: key.id, account: key.account.rawValue, region: key.region.rawValue)
        }
        cache(updated)
        return updated
    }

    /// Test mode's reset: forgets every key and alias.
    public func removeAll() async throws {
        try await store.removeAll()
        clearCaches()
    }
}
