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

    public func upsertAccessKey(_ key: AccessKey) async throws {
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_keys(access_key_id, account_id, principal_arn, sealed_secret, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(access_key_id) DO UPDATE SET account_id = excluded.account_id, principal_arn = excluded.principal_arn,
                    sealed_secret = excluded.sealed_secret, status = excluded.status
                    """,
                arguments: [key.accessKeyID, key.account.rawValue, key.principalARN, Data(key.sealedSecret), key.status.rawValue, key.creationDate.timeIntervalSince1970]
            )
        }
    }

    private static func decode(_ row: Row) -> AccessKey? {
        let accountText: String = row["account_id"], statusText: String = row["status"]
        let sealed: Data = row["sealed_secret"]
        guard let account = AccountID(accountText), let status = AccessKey.Status(rawValue: statusText) else { return nil }
        return AccessKey(
            accessKeyID: row["access_key_id"], account: account, principalARN: row["principal_arn"], sealedSecret: Array(sealed),
            status: status, creationDate: Date(timeIntervalSince1970: row["created_at"])
        )
    }

    public func accessKey(id: String) async throws -> AccessKey? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_keys WHERE access_key_id = ?", arguments: [id]).flatMap(Self.decode)
        }
    }

    public func accessKeys(account: AccountID) async throws -> [AccessKey] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_keys WHERE account_id = ? ORDER BY created_at, access_key_id", arguments: [account.rawValue]).compactMap(Self.decode)
        }
    }
}
