import CofferCore
import Foundation

/// A ``KeyStore`` in memory, for unit tests and as the reference behaviour adapters must match.
public actor InMemoryKeyStore: KeyStore {
    private var keys: [String: KMSKey] = [:]
    private var materials: [String: SealedKeyMaterial] = [:]
    private var aliases: [String: KMSAlias] = [:]

    private var usage: [String: KeyLastUse] = [:]
    private var grantList: [KMSGrant] = []

    public func insertGrant(_ grant: KMSGrant) { grantList.append(grant) }

    public func grants(keyID: String, region: Region) -> [KMSGrant] { grantList.filter { $0.keyID == keyID && $0.region == region } }

    public func grants(retiringPrincipal principal: String) -> [KMSGrant] { grantList.filter { $0.retiringPrincipal == principal } }

    public func grant(id: String) -> KMSGrant? { grantList.first { $0.grantID == id } }

    public func deleteGrant(id: String) -> Bool {
        let before = grantList.count
        grantList.removeAll { $0.grantID == id }
        return grantList.count != before
    }
    private let trackingStart = Date()

    public init() {}

    public func usageTrackingStart() -> Date { trackingStart }

    public func recordUsage(_ uses: [KeyLastUse]) {
        for use in uses {
            let slot = Self.slot(use.keyID, use.region)
            if let existing = usage[slot], existing.date > use.date { continue }
            usage[slot] = use
        }
    }

    public func lastUse(keyID: String, region: Region) -> KeyLastUse? { usage[Self.slot(keyID, region)] }

    private static func aliasSlot(_ account: AccountID, _ region: Region, _ name: String) -> String {
        "\(account.rawValue)/\(region.rawValue)/\(name)"
    }

    private static func slot(_ id: String, _ region: Region) -> String { "\(region.rawValue)/\(id)" }

    public func insertKey(_ key: KMSKey, material: SealedKeyMaterial?) throws {
        let slot = Self.slot(key.id, key.region)
        guard keys[slot] == nil else { throw KMSError(.alreadyExists, "key \(key.id) exists") }
        keys[slot] = key
        if let material { materials["\(material.keyID)#\(material.version)"] = material }
    }

    public func key(id: String, region: Region) -> KMSKey? { keys[Self.slot(id, region)] }

    public func keyCopies(id: String) -> [KMSKey] {
        keys.values.filter { $0.id == id }.sorted { $0.region.rawValue < $1.region.rawValue }
    }

    public func modifyKey(id: String, region: Region, _ change: @Sendable (inout KMSKey) throws -> Void) throws -> KMSKey? {
        let slot = Self.slot(id, region)
        guard var key = keys[slot] else { return nil }
        try change(&key)
        key.revision += 1
        keys[slot] = key
        return key
    }

    public func modifyKeyCopies(id: String, _ change: @Sendable (inout KMSKey) throws -> Void) throws -> [KMSKey] {
        var changed: [KMSKey] = []
        for var key in keyCopies(id: id) {
            try change(&key)
            key.revision += 1
            changed.append(key)
        }
        for key in changed { keys[Self.slot(key.id, key.region)] = key }
        return changed
    }

    public func listKeys(account: AccountID, region: Region, afterID: String?, limit: Int) -> [KMSKey] {
        let matching = keys.values.filter { key in
            key.account == account && key.region == region && afterID.map { key.id > $0 } != false
        }
        return Array(matching.sorted { $0.id < $1.id }.prefix(limit))
    }

    public func material(keyID: String, version: UInt32) -> SealedKeyMaterial? { materials["\(keyID)#\(version)"] }

    public func materials(keyID: String) -> [SealedKeyMaterial] {
        materials.values.filter { $0.keyID == keyID }.sorted { $0.version < $1.version }
    }

    public func addMaterial(_ material: SealedKeyMaterial, _ change: @Sendable (inout KMSKey) throws -> Void) throws -> [KMSKey] {
        let changed = try modifyKeyCopies(id: material.keyID, change)
        if !changed.isEmpty { materials["\(material.keyID)#\(material.version)"] = material }
        return changed
    }

    public func replaceMaterial(
        keyID: String, region: Region, with material: SealedKeyMaterial?, _ change: @Sendable (inout KMSKey) throws -> Void
    ) throws -> KMSKey? {
        guard let key = try modifyKey(id: keyID, region: region, change) else { return nil }
        materials = materials.filter { $0.value.keyID != keyID }
        if let material { materials["\(material.keyID)#\(material.version)"] = material }
        return key
    }

    public func deleteKey(id: String, region: Region) {
        keys.removeValue(forKey: Self.slot(id, region))
        usage.removeValue(forKey: Self.slot(id, region))
        aliases = aliases.filter { !($0.value.targetKeyID == id && $0.value.region == region) }
        grantList.removeAll { $0.keyID == id && $0.region == region }
        if keyCopies(id: id).isEmpty { materials = materials.filter { $0.value.keyID != id } }
    }

    public func keysWithLifecycleDue(at now: Date) -> [KMSKey] {
        keys.values.filter { key in
            key.nextRotationDate.map { $0 <= now } == true || key.deletionDate.map { $0 <= now } == true
                || key.materialValidTo.map { $0 <= now } == true
        }
    }

    public func alias(account: AccountID, region: Region, name: String) -> KMSAlias? {
        aliases[Self.aliasSlot(account, region, name)]
    }

    public func insertAlias(_ alias: KMSAlias) throws {
        let slot = Self.aliasSlot(alias.account, alias.region, alias.name)
        guard aliases[slot] == nil else { throw KMSError(.alreadyExists, "An alias with the name \(alias.arn) already exists") }
        aliases[slot] = alias
    }

    public func updateAlias(_ alias: KMSAlias) -> Bool {
        let slot = Self.aliasSlot(alias.account, alias.region, alias.name)
        guard aliases[slot] != nil else { return false }
        aliases[slot] = alias
        return true
    }

    public func deleteAlias(account: AccountID, region: Region, name: String) -> Bool {
        aliases.removeValue(forKey: Self.aliasSlot(account, region, name)) != nil
    }

    public func listAliases(account: AccountID, region: Region, targetKeyID: String?, afterName: String?, limit: Int) -> [KMSAlias] {
        let matching = aliases.values.filter { alias in
            alias.account == account && alias.region == region
                && targetKeyID.map { alias.targetKeyID == $0 } != false
                && afterName.map { alias.name > $0 } != false
        }
        return Array(matching.sorted { $0.name < $1.name }.prefix(limit))
    }

    public func removeAll() {
        usage.removeAll()
        keys.removeAll()
        materials.removeAll()
        aliases.removeAll()
        grantList.removeAll()
    }
}
