import CofferCore
import CofferKMS
import Foundation
import GRDB

/// The SQLite adapter of ``KeyStore``.
public final class SQLiteKeyStore: KeyStore {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    private static let keyColumns = "id, account_id, region, created_at, description, key_usage, key_spec, origin, key_manager, state, current_version, tags, policy, revision"

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
        return KMSKey(
            id: row["id"], account: account, region: region,
            creationDate: Date(timeIntervalSince1970: row["created_at"]), description: row["description"],
            keyUsage: try parse("key_usage"), keySpec: try parse("key_spec"), origin: try parse("origin"),
            keyManager: try parse("key_manager"), state: try parse("state"), currentVersion: UInt32(clamping: version),
            tags: tags, policy: row["policy"], revision: row["revision"]
        )
    }

    private static func arguments(_ key: KMSKey) throws -> StatementArguments {
        let tags = String(decoding: try JSONEncoder().encode(key.tags), as: UTF8.self)
        return [
            key.id, key.account.rawValue, key.region.rawValue, key.creationDate.timeIntervalSince1970, key.description,
            key.keyUsage.rawValue, key.keySpec.rawValue, key.origin.rawValue, key.keyManager.rawValue, key.state.rawValue,
            Int64(key.currentVersion), tags, key.policy, key.revision,
        ]
    }

    public func insertKey(_ key: KMSKey, material: SealedKeyMaterial) async throws {
        let keyArguments = try Self.arguments(key)
        try await database.pool.write { db in
            try db.execute(sql: "INSERT INTO kms_keys(\(Self.keyColumns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", arguments: keyArguments)
            try db.execute(
                sql: "INSERT INTO kms_key_material(key_id, version, sealed, created_at) VALUES (?, ?, ?, ?)",
                arguments: [material.keyID, Int64(material.version), Data(material.sealed), material.creationDate.timeIntervalSince1970]
            )
        }
    }

    public func key(id: String) async throws -> KMSKey? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE id = ?", arguments: [id]).map(Self.decodeKey)
        }
    }

    public func modifyKey(id: String, _ change: @Sendable (inout KMSKey) throws -> Void) async throws -> KMSKey? {
        try await database.pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.keyColumns) FROM kms_keys WHERE id = ?", arguments: [id]) else { return nil }
            var key = try Self.decodeKey(row)
            try change(&key)
            key.revision += 1
            try db.execute(
                sql: """
                    UPDATE kms_keys SET description = ?, key_usage = ?, key_spec = ?, origin = ?, key_manager = ?, state = ?,
                    current_version = ?, tags = ?, policy = ?, revision = ? WHERE id = ?
                    """,
                arguments: [
                    key.description, key.keyUsage.rawValue, key.keySpec.rawValue, key.origin.rawValue, key.keyManager.rawValue,
                    key.state.rawValue, Int64(key.currentVersion),
                    String(decoding: try JSONEncoder().encode(key.tags), as: UTF8.self), key.policy, key.revision, key.id,
                ]
            )
            return key
        }
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
                db, sql: "SELECT sealed, created_at FROM kms_key_material WHERE key_id = ? AND version = ?",
                arguments: [keyID, Int64(version)]
            ).map { row in
                let sealed: Data = row["sealed"]
                return SealedKeyMaterial(keyID: keyID, version: version, sealed: Array(sealed), creationDate: Date(timeIntervalSince1970: row["created_at"]))
            }
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

    public func removeAll() async throws {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM kms_aliases; DELETE FROM kms_key_material; DELETE FROM kms_keys;")
        }
    }
}
