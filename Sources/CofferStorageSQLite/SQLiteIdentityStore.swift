import CofferCore
import CofferIdentity
import Foundation
import GRDB

/// The SQLite adapter of ``IdentityStore``.
public final class SQLiteIdentityStore: IdentityStore {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) { self.database = database }

    public func insertAccount(_ account: Account) async throws {
        try await database.pool.write { db in
            try db.execute(sql: "INSERT INTO accounts(id, created_at) VALUES (?, ?)", arguments: [account.id.rawValue, account.creationDate.timeIntervalSince1970])
        }
    }

    public func accounts() async throws -> [Account] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, created_at FROM accounts ORDER BY created_at, id").compactMap { row in
                let id: String = row["id"]
                return AccountID(id).map { Account(id: $0, creationDate: Date(timeIntervalSince1970: row["created_at"])) }
            }
        }
    }

    // MARK: - Access keys

    public func upsertAccessKey(_ key: AccessKey) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_keys(access_key_id, account_id, principal_arn, user_name, sealed_secret, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(access_key_id) DO UPDATE SET account_id = excluded.account_id, principal_arn = excluded.principal_arn,
                    user_name = excluded.user_name, sealed_secret = excluded.sealed_secret, status = excluded.status
                    """,
                arguments: [
                    key.accessKeyID, key.account.rawValue, key.principalARN, key.userName, Data(key.sealedSecret), key.status.rawValue,
                    key.creationDate.timeIntervalSince1970,
                ]
            )
        }
    }

    private static func decodeAccessKey(_ row: Row) -> AccessKey? {
        let accountText: String = row["account_id"], statusText: String = row["status"]
        let sealed: Data = row["sealed_secret"]
        guard let account = AccountID(accountText), let status = AccessKey.Status(rawValue: statusText) else { return nil }
        return AccessKey(
            accessKeyID: row["access_key_id"], account: account, principalARN: row["principal_arn"], userName: row["user_name"],
            sealedSecret: Array(sealed), status: status, creationDate: Date(timeIntervalSince1970: row["created_at"])
        )
    }

    public func accessKey(id: String) async throws -> AccessKey? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_keys WHERE access_key_id = ?", arguments: [id]).flatMap(Self.decodeAccessKey)
        }
    }

    public func accessKeys(account: AccountID) async throws -> [AccessKey] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_keys WHERE account_id = ? ORDER BY created_at, access_key_id", arguments: [account.rawValue])
                .compactMap(Self.decodeAccessKey)
        }
    }

    public func deleteAccessKey(id: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM access_keys WHERE access_key_id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    // MARK: - Users and roles

    private static func encodeTags(_ tags: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
    }

    private static func decodeTags(_ row: Row) throws -> [String: String] {
        let text: String = row["tags"]
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    /// Inserts a row keyed by (account, lowercased name), mapping a taken name to AlreadyExists.
    private func insertNamed(_ sql: String, _ arguments: StatementArguments, taken: String) async throws {
        do {
            try await database.pool.write { db in try db.execute(sql: sql, arguments: arguments) }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw IdentityError(.alreadyExists, taken)
        }
    }

    public func insertUser(_ user: IAMUser) async throws {
        try await insertNamed(
            "INSERT INTO iam_users(account_id, name_key, name, path, user_id, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [user.account.rawValue, user.name.lowercased(), user.name, user.path, user.userID, user.creationDate.timeIntervalSince1970, try Self.encodeTags(user.tags)],
            taken: "User with name \(user.name) already exists."
        )
    }

    private static func decodeUser(_ row: Row) throws -> IAMUser? {
        let accountText: String = row["account_id"]
        guard let account = AccountID(accountText) else { return nil }
        return IAMUser(
            account: account, name: row["name"], path: row["path"], userID: row["user_id"],
            creationDate: Date(timeIntervalSince1970: row["created_at"]), tags: try decodeTags(row)
        )
    }

    public func user(account: AccountID, name: String) async throws -> IAMUser? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM iam_users WHERE account_id = ? AND name_key = ?", arguments: [account.rawValue, name.lowercased()])
                .flatMap(Self.decodeUser)
        }
    }

    public func users(account: AccountID) async throws -> [IAMUser] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM iam_users WHERE account_id = ? ORDER BY name_key", arguments: [account.rawValue]).compactMap(Self.decodeUser)
        }
    }

    public func deleteUser(account: AccountID, name: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM iam_users WHERE account_id = ? AND name_key = ?", arguments: [account.rawValue, name.lowercased()])
            return db.changesCount > 0
        }
    }

    public func insertRole(_ role: IAMRole) async throws {
        try await insertNamed(
            """
            INSERT INTO iam_roles(account_id, name_key, name, path, role_id, created_at, trust_policy, description, max_session_duration, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                role.account.rawValue, role.name.lowercased(), role.name, role.path, role.roleID, role.creationDate.timeIntervalSince1970, role.trustPolicy,
                role.description, role.maxSessionDuration, try Self.encodeTags(role.tags),
            ],
            taken: "Role with name \(role.name) already exists."
        )
    }

    private static func decodeRole(_ row: Row) throws -> IAMRole? {
        let accountText: String = row["account_id"]
        guard let account = AccountID(accountText) else { return nil }
        return IAMRole(
            account: account, name: row["name"], path: row["path"], roleID: row["role_id"], creationDate: Date(timeIntervalSince1970: row["created_at"]),
            trustPolicy: row["trust_policy"], description: row["description"], maxSessionDuration: row["max_session_duration"], tags: try decodeTags(row)
        )
    }

    public func role(account: AccountID, name: String) async throws -> IAMRole? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM iam_roles WHERE account_id = ? AND name_key = ?", arguments: [account.rawValue, name.lowercased()])
                .flatMap(Self.decodeRole)
        }
    }

    public func roles(account: AccountID) async throws -> [IAMRole] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM iam_roles WHERE account_id = ? ORDER BY name_key", arguments: [account.rawValue]).compactMap(Self.decodeRole)
        }
    }

    public func deleteRole(account: AccountID, name: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM iam_roles WHERE account_id = ? AND name_key = ?", arguments: [account.rawValue, name.lowercased()])
            return db.changesCount > 0
        }
    }

    // MARK: - Inline policies

    public func putPolicy(account: AccountID, owner: PolicyOwner, name: String, document: String) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO iam_inline_policies(account_id, owner_kind, owner_key, policy_name, document) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(account_id, owner_kind, owner_key, policy_name) DO UPDATE SET document = excluded.document
                    """,
                arguments: [account.rawValue, owner.kind, owner.name.lowercased(), name, document]
            )
        }
    }

    public func policies(account: AccountID, owner: PolicyOwner) async throws -> [(name: String, document: String)] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT policy_name, document FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_key = ? ORDER BY policy_name",
                arguments: [account.rawValue, owner.kind, owner.name.lowercased()]
            ).map { (name: $0["policy_name"], document: $0["document"]) }
        }
    }

    public func deletePolicy(account: AccountID, owner: PolicyOwner, name: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(
                sql: "DELETE FROM iam_inline_policies WHERE account_id = ? AND owner_kind = ? AND owner_key = ? AND policy_name = ?",
                arguments: [account.rawValue, owner.kind, owner.name.lowercased(), name]
            )
            return db.changesCount > 0
        }
    }
}
