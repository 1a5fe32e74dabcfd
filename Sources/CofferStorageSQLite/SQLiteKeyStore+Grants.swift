import CofferCore
import CofferKMS
import Foundation
import GRDB

/// Grants in SQLite: one row per grant, operations and constraints as JSON.
extension SQLiteKeyStore {
    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decodeGrant(_ row: Row) throws -> KMSGrant? {
        let regionText: String = row["region"], accountText: String = row["key_account"], operationsText: String = row["operations"]
        guard let region = Region(regionText), let account = AccountID(accountText) else { return nil }
        func map(_ column: String) throws -> [String: String]? {
            guard let text: String = row[column] else { return nil }
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        }
        return KMSGrant(
            grantID: row["grant_id"], keyID: row["key_id"], region: region, keyAccount: account, name: row["name"],
            granteePrincipal: row["grantee_principal"], retiringPrincipal: row["retiring_principal"], issuingAccount: row["issuing_account"],
            operations: try JSONDecoder().decode([String].self, from: Data(operationsText.utf8)),
            constraints: KMSGrant.Constraints(equals: try map("constraint_equals"), subset: try map("constraint_subset")),
            creationDate: Date(timeIntervalSince1970: row["created_at"]), token: row["token"]
        )
    }

    public func insertGrant(_ grant: KMSGrant) async throws {
        let operations = try Self.json(grant.operations)
        let equals = try grant.constraints.equals.map(Self.json)
        let subset = try grant.constraints.subset.map(Self.json)
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO kms_grants(grant_id, key_id, region, key_account, name, grantee_principal, retiring_principal, issuing_account,
                    operations, constraint_equals, constraint_subset, created_at, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    grant.grantID, grant.keyID, grant.region.rawValue, grant.keyAccount.rawValue, grant.name, grant.granteePrincipal,
                    grant.retiringPrincipal, grant.issuingAccount, operations, equals, subset, grant.creationDate.timeIntervalSince1970, grant.token,
                ]
            )
        }
    }

    public func grants(keyID: String, region: Region) async throws -> [KMSGrant] {
        try await database.pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM kms_grants WHERE key_id = ? AND region = ? ORDER BY created_at, grant_id", arguments: [keyID, region.rawValue]
            ).compactMap(Self.decodeGrant)
        }
    }

    public func grants(retiringPrincipal principal: String) async throws -> [KMSGrant] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM kms_grants WHERE retiring_principal = ? ORDER BY created_at, grant_id", arguments: [principal])
                .compactMap(Self.decodeGrant)
        }
    }

    public func grant(id: String) async throws -> KMSGrant? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM kms_grants WHERE grant_id = ?", arguments: [id]).flatMap(Self.decodeGrant)
        }
    }

    public func deleteGrant(id: String) async throws -> Bool {
        try await database.pool.write { db in
            try db.execute(sql: "DELETE FROM kms_grants WHERE grant_id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
