import CofferCore
import Foundation

/// Persistence for the key ring. Implementations store what they are given: key material arrives
/// already sealed. Every method is atomic.
///
/// A key is identified by its id and region: a multi-Region key has one copy per region with the
/// same id, and its copies share their material versions (stored once per id).
public protocol KeyStore: Sendable {
    /// Stores a new key, with its first material version unless it has none yet (imported
    /// material, or a replica whose material is already stored).
    func insertKey(_ key: KMSKey, material: SealedKeyMaterial?) async throws
    func key(id: String, region: Region) async throws -> KMSKey?
    /// Every regional copy of a key id, ordered by region.
    func keyCopies(id: String) async throws -> [KMSKey]
    /// Applies `change` to the stored key inside one transaction and returns the result, with
    /// its revision bumped. Returns nil when the key does not exist.
    func modifyKey(id: String, region: Region, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> KMSKey?
    /// Applies `change` to every regional copy of a key in one transaction (the shared properties
    /// of a multi-Region key) and returns the changed copies.
    func modifyKeyCopies(id: String, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> [KMSKey]
    /// Keys of an account in a region, ordered by id, starting after `afterID`.
    func listKeys(account: AccountID, region: Region, afterID: String?, limit: Int) async throws -> [KMSKey]
    func material(keyID: String, version: UInt32) async throws -> SealedKeyMaterial?
    /// Every version of a key's material, oldest first.
    func materials(keyID: String) async throws -> [SealedKeyMaterial]
    /// Adds a material version and applies `change` to every copy of the key in one transaction
    /// (rotation). Returns the changed copies (none when the key does not exist).
    func addMaterial(_ material: SealedKeyMaterial, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> [KMSKey]
    /// Replaces all of a key's material with `material` (nil deletes it) and applies `change` to
    /// the key, in one transaction (importing and deleting imported material).
    func replaceMaterial(
        keyID: String, region: Region, with material: SealedKeyMaterial?, _ change: @Sendable (inout KMSKey) throws -> Void
    ) async throws -> KMSKey?
    /// Deletes one regional copy of a key with the aliases that point to it there; the material
    /// goes with the last copy.
    func deleteKey(id: String, region: Region) async throws
    /// Keys whose automatic rotation, scheduled deletion or imported material expiry is due at `now`.
    func keysWithLifecycleDue(at now: Date) async throws -> [KMSKey]

    func alias(account: AccountID, region: Region, name: String) async throws -> KMSAlias?
    /// Inserts an alias; throws ``KMSError/Code/alreadyExists`` if the name is taken.
    func insertAlias(_ alias: KMSAlias) async throws
    /// Points an existing alias elsewhere; returns false if it does not exist.
    func updateAlias(_ alias: KMSAlias) async throws -> Bool
    func deleteAlias(account: AccountID, region: Region, name: String) async throws -> Bool
    /// Aliases of an account in a region, ordered by name, optionally only those of one key.
    func listAliases(account: AccountID, region: Region, targetKeyID: String?, afterName: String?, limit: Int) async throws -> [KMSAlias]

    /// When this store began recording key usage.
    func usageTrackingStart() async throws -> Date
    /// Saves the latest use of each key copy, replacing older records (one transaction).
    func recordUsage(_ uses: [KeyLastUse]) async throws
    func lastUse(keyID: String, region: Region) async throws -> KeyLastUse?

    /// Stores a new grant.
    func insertGrant(_ grant: KMSGrant) async throws
    /// The grants of one key copy, oldest first.
    func grants(keyID: String, region: Region) async throws -> [KMSGrant]
    /// Grants whose retiring principal is `principal`, oldest first.
    func grants(retiringPrincipal principal: String) async throws -> [KMSGrant]
    /// The grant with this id.
    func grant(id: String) async throws -> KMSGrant?
    /// Removes a grant; false if there was none.
    func deleteGrant(id: String) async throws -> Bool

    /// Removes every key, alias, version and grant (test mode's reset).
    func removeAll() async throws
}
