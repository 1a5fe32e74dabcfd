import CofferCore
import CofferKMS
import Foundation
import GRDB

/// The SQLite adapter of ``KeyStore``.
public final class SQLiteKeyStore: KeyStore {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    private static let keyColumns = """
        id, account_id, region, created_at, description, key_usage, key_spec, origin, key_manager, state, current_version, tags, policy, \
        revision, rotation_period_days, next_rotation, on_demand_rotations, deletion_date, pending_window_days, multi_region, primary_region, \
        expiration_model, material_valid_to, imported_material_id, aws_service
        """

    private static func decodeKey(_ row: Row) throws -> KMSKey {
        func parse<T: RawRepresentable>(_ column: String) throws -> T where T.RawValue == String {
            let text: String = row[column]
            guard let value = T(rawValue: text) else { throw KMSError(.internal, "stored key has an invalid \(column)") }
            return value
        }
        let accountText: String = row["account_id"], regionText: String = row["region"]
        guard let account = AccountID(accountText), let region = Region(regionText) else {
            throw KMSError(.internal, "stored key has an invalid owner")
        }
        let tagsJSON: String = row["tags"]
        let tags = try JSONDecoder().decode([KMSTag].self, from: Data(tagsJSON.utf8))
        let version: Int64 = row["current_version"]
        var key = KMSKey(
            id: row["id"], account: account, region: region,
            creationDate: Date(timeIntervalSince1970: row["created_at"]), description: row["description"],
            keyUsage: try parse("key_usage"), keySpec: try parse("key_spec"), origin: try parse("origin"),
            keyManager: try parse("key_manager"), state: try parse("state"), currentVersion: UInt32(clamping: version),
            tags: tags, policy: row["policy"], revision: row["revision"]
        )
        key.rotationPeriodDays = row["rotation_period_days"]
        key.nextRotationDate = (row["next_rotation"] as Double?).map(Date.init(timeIntervalSince1970:))
        key.onDemandRotations = row["on_demand_rotations"]
        key.deletionDate = (row["deletion_date"] as Double?).map(Date.init(timeIntervalSince1970:))
        key.pendingWindowDays = row["pending_window_days"]
        key.multiRegion = row["multi_region"]
        key.primaryRegion = (row["primary_region"] as String?).flatMap(Region.init)
        key.expirationModel = (row["expiration_model"] as String?).flatMap(ExpirationModel.init(rawValue:))
        key.materialValidTo = (row["material_valid_to"] as Double?).map(Date.init(timeIntervalSince1970:))
        key.importedMaterialID = row["imported_material_id"]
        key.awsService = row["aws_service"]
        return key
    }

    private static func arguments(_ key: KMSKey) throws -> StatementArguments {
        let tags = String(decoding: try JSONEncoder().encode(key.tags), as: UTF8.self)
        return [
            key.id, key.account.rawValue, key.region.rawValue, key.creationDate.timeIntervalSince1970, key.description,
            key.keyUsage.rawValue, key.keySpec.rawValue, key.origin.rawValue, key.keyManager.rawValue, key.state.rawValue,
            Int64(key.currentVersion), tags, key.policy, key.revision, key.rotationPeriodDays,
            key.nextRotationDate?.timeIntervalSince1970, key.onDemandRotations, key.deletionDate?.timeIntervalSince1970, key.pendingWindowDays,
            key.multiRegion, key.primaryRegion?.rawValue, key.expirationModel?.rawValue, key.materialValidTo?.timeIntervalSince1970,
            key.importedMaterialID, key.awsService,
        ]
    }

    public func insertKey(_ key: KMSKey, material: SealedKeyMaterial?) async throws {
        let keyArguments = try Self.arguments(key)
        let placeholders = Array(repeating: "?", count: 25).joined(separator: ",")
        try await database.pool.write { db in
            try db.execute(sql: "INSERT INTO kms_keys(\(Self.keyColumns)) VALUES (\(placeholders))", arguments: keyArguments)
            if let material { try Self.insert(material, db) }
        }
    }

    public func key(id: String, region: Region) async throws -> KMSKey? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE id = ? AND region = ?", arguments: [id, region.rawValue]
            ).map(Self.decodeKey)
        }
    }

    public func keyCopies(id: String) async throws -> [KMSKey] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE id = ? ORDER BY region", arguments: [id]).map(Self.decodeKey)
        }
    }

    public func modifyKey(id: String, region: Region, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> KMSKey? {
        try await database.pool.write { db in try Self.modify(db, id: id, region: region, change) }
    }

    public func modifyKeyCopies(id: String, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> [KMSKey] {
        try await database.pool.write { db in try Self.modifyCopies(db, id: id, change) }
    }

    private static func modifyCopies(_ db: Database, id: String, _ change: (inout KMSKey) throws -> Void) throws -> [KMSKey] {
        let regions = try String.fetchAll(db, sql: "SELECT region FROM kms_keys WHERE id = ? ORDER BY region", arguments: [id])
        return try regions.compactMap { text in try Region(text).flatMap { try modify(db, id: id, region: $0, change) } }
    }

    /// Reads, changes and writes back one key inside the caller's transaction.
    private static func modify(_ db: Database, id: String, region: Region, _ change: (inout KMSKey) throws -> Void) throws -> KMSKey? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT \(keyColumns) FROM kms_keys WHERE id = ? AND region = ?", arguments: [id, region.rawValue]
        ) else { return nil }
        var key = try decodeKey(row)
        try change(&key)
        key.revision += 1
        var arguments = try Self.arguments(key)
        arguments += [id, region.rawValue]
        try db.execute(
            sql: """
                UPDATE kms_keys SET id = ?, account_id = ?, region = ?, created_at = ?, description = ?, key_usage = ?, key_spec = ?,
                origin = ?, key_manager = ?, state = ?, current_version = ?, tags = ?, policy = ?, revision = ?, rotation_period_days = ?,
                next_rotation = ?, on_demand_rotations = ?, deletion_date = ?, pending_window_days = ?, multi_region = ?, primary_region = ?,
                expiration_model = ?, material_valid_to = ?, imported_material_id = ?, aws_service = ? WHERE id = ? AND region = ?
                """,
            arguments: arguments
        )
        return key
    }

    public func addMaterial(_ material: SealedKeyMaterial, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> [KMSKey] {
        try await database.pool.write { db in
            let changed = try Self.modifyCopies(db, id: material.keyID, change)
            if !changed.isEmpty { try Self.insert(material, db) }
            return changed
        }
    }

    public func replaceMaterial(
        keyID: String, region: Region, with material: SealedKeyMaterial?, _ change: @Sendable (inout KMSKey) throws -> Void
    ) async throws -> KMSKey? {
        try await database.pool.write { db in
            guard let key = try Self.modify(db, id: keyID, region: region, change) else { return nil }
            try db.execute(sql: "DELETE FROM kms_key_material WHERE key_id = ?", arguments: [keyID])
            if let material { try Self.insert(material, db) }
            return key
        }
    }

    private static func insert(_ material: SealedKeyMaterial, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO kms_key_material(key_id, version, sealed, created_at, rotation_type) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                material.keyID, Int64(material.version), Data(material.sealed), material.creationDate.timeIntervalSince1970,
                material.rotationType?.rawValue,
            ]
        )
    }

    public func deleteKey(id: String, region: Region) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM kms_aliases WHERE target_key_id = ? AND region = ?", arguments: [id, region.rawValue])
            try db.execute(sql: "DELETE FROM kms_keys WHERE id = ? AND region = ?", arguments: [id, region.rawValue])
            try db.execute(sql: "DELETE FROM kms_key_usage WHERE key_id = ? AND region = ?", arguments: [id, region.rawValue])
            try db.execute(sql: "DELETE FROM kms_grants WHERE key_id = ? AND region = ?", arguments: [id, region.rawValue])
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM kms_keys WHERE id = ?", arguments: [id]) == 0 {
                try db.execute(sql: "DELETE FROM kms_key_material WHERE key_id = ?", arguments: [id])
            }
        }
    }

    public func keysWithLifecycleDue(at now: Date) async throws -> [KMSKey] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE next_rotation <= ? OR deletion_date <= ? OR material_valid_to <= ?",
                arguments: [now.timeIntervalSince1970, now.timeIntervalSince1970, now.timeIntervalSince1970]
            ).map(Self.decodeKey)
        }
    }

    public func materials(keyID: String) async throws -> [SealedKeyMaterial] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT version, sealed, created_at, rotation_type FROM kms_key_material WHERE key_id = ? ORDER BY version",
                arguments: [keyID]
            ).map { Self.decodeMaterial($0, keyID: keyID) }
        }
    }

    private static func decodeMaterial(_ row: Row, keyID: String) -> SealedKeyMaterial {
        let sealed: Data = row["sealed"]
        let version: Int64 = row["version"]
        return SealedKeyMaterial(
            keyID: keyID, version: UInt32(clamping: version), sealed: Array(sealed),
            creationDate: Date(timeIntervalSince1970: row["created_at"]),
            rotationType: (row["rotation_type"] as String?).flatMap(RotationType.init(rawValue:))
        )
    }

    public func listKeys(account: AccountID, region: Region, afterID: String?, limit: Int) async throws -> [KMSKey] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?",
                arguments: [account.rawValue, region.rawValue, afterID ?? "", limit]
            ).map(Self.decodeKey)
        }
    }

    public func material(keyID: String, version: UInt32) async throws -> SealedKeyMaterial? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT version, sealed, created_at, rotation_type FROM kms_key_material WHERE key_id = ? AND version = ?",
                arguments: [keyID, Int64(version)]
            ).map { Self.decodeMaterial($0, keyID: keyID) }
        }
    }

    private static func decodeAlias(_ row: Row) throws -> KMSAlias {
        let accountText: String = row["account_id"], regionText: String = row["region"]
        guard let account = AccountID(accountText), let region = Region(regionText) else {
            throw KMSError(.internal, "stored alias has an invalid owner")
        }
        return KMSAlias(
            name: row["name"], account: account, region: region, targetKeyID: row["target_key_id"],
            creationDate: Date(timeIntervalSince1970: row["created_at"]), lastUpdatedDate: Date(timeIntervalSince1970: row["updated_at"])
        )
    }

    public func alias(account: AccountID, region: Region, name: String) async throws -> KMSAlias? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND name = ?",
                arguments: [account.rawValue, region.rawValue, name]
            ).map(Self.decodeAlias)
        }
    }

    public func insertAlias(_ alias: KMSAlias) async throws {
        let inserted = try await database.pool.write { db -> Bool in
            try db.execute(
                sql: "INSERT OR IGNORE INTO kms_aliases(account_id, region, name, target_key_id, created_at, updated_at) VALUES (?,?,?,?,?,?)",
                arguments: [
                    alias.account.rawValue, alias.region.rawValue, alias.name, alias.targetKeyID,
                    alias.creationDate.timeIntervalSince1970, alias.lastUpdatedDate.timeIntervalSince1970,
                ]
            )
            return db.changesCount == 1
        }
        guard inserted else { throw KMSError(.alreadyExists, "An alias with the name \(alias.arn) already exists") }
    }

    public func updateAlias(_ alias: KMSAlias) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE kms_aliases SET target_key_id = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?",
                arguments: [alias.targetKeyID, alias.lastUpdatedDate.timeIntervalSince1970, alias.account.rawValue, alias.region.rawValue, alias.name]
            )
            return db.changesCount == 1
        }
    }

    public func deleteAlias(account: AccountID, region: Region, name: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "DELETE FROM kms_aliases WHERE account_id = ? AND region = ? AND name = ?",
                arguments: [account.rawValue, region.rawValue, name]
            )
            return db.changesCount == 1
        }
    }

    public func listAliases(account: AccountID, region: Region, targetKeyID: String?, afterName: String?, limit: Int) async throws -> [KMSAlias] {
        try await database.pool.read { db in
            var sql = "SELECT * FROM kms_aliases WHERE account_id = ? AND region = ? AND name > ?"
            var arguments: StatementArguments = [account.rawValue, region.rawValue, afterName ?? ""]
            if let targetKeyID {
                sql += " AND target_key_id = ?"
                arguments += [targetKeyID]
            }
            sql += " ORDER BY name LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.decodeAlias)
        }
    }

    public func usageTrackingStart() async throws -> Date {
        let text = try await database.pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM coffer_meta WHERE name = 'kms_usage_tracking_start'")
        }
        guard let text, let seconds = Double(text) else { throw KMSError(.internal, "the usage tracking start date is missing") }
        return Date(timeIntervalSince1970: seconds)
    }

    public func recordUsage(_ uses: [KeyLastUse]) async throws {
        try await database.pool.write { db in
            for use in uses {
                try db.execute(
                    sql: """
                        INSERT INTO kms_key_usage(key_id, region, operation, used_at, request_id) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(key_id, region) DO UPDATE SET operation = excluded.operation, used_at = excluded.used_at,
                        request_id = excluded.request_id WHERE excluded.used_at >= kms_key_usage.used_at
                        """,
                    arguments: [use.keyID, use.region.rawValue, use.operation, use.date.timeIntervalSince1970, use.requestID]
                )
            }
        }
    }

    public func lastUse(keyID: String, region: Region) async throws -> KeyLastUse? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT operation, used_at, request_id FROM kms_key_usage WHERE key_id = ? AND region = ?",
                arguments: [keyID, region.rawValue]
            ).map { row in
                KeyLastUse(keyID: keyID, region: region, operation: row["operation"], date: Date(timeIntervalSince1970: row["used_at"]), requestID: row["request_id"])
            }
        }
    }

    public func removeAll() async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM kms_grants; DELETE FROM kms_key_usage; DELETE FROM kms_aliases; DELETE FROM kms_key_material; DELETE FROM kms_keys;")
        }
    }
}
