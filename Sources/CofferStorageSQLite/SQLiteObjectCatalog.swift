import CofferObjectStore
import Foundation
import GRDB

/// The SQLite adapter of ``ObjectCatalog``: `s3_buckets` and `s3_objects` (migration v8). Object keys are
/// stored as BLOBs of their UTF-8 bytes, so SQLite's ordering is S3's byte order and a prefix is the range
/// [prefix, prefix ‖ 0xFF) (0xFF never occurs in UTF-8).
public final class SQLiteObjectCatalog: ObjectCatalog {
    private let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    public func createBucket(_ bucket: S3Bucket) async throws(CatalogError) {
        try await run { db throws(CatalogError) in
            let owner = try Self.fetch { try String.fetchOne(db, sql: "SELECT account FROM s3_buckets WHERE name = ?", arguments: [bucket.name]) }
            if let owner {
                throw owner == bucket.account ? .bucketAlreadyOwnedByYou : .bucketAlreadyExists
            }
            try Self.fetch {
                try db.execute(
                    sql: "INSERT INTO s3_buckets(name, account, region, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [bucket.name, bucket.account, bucket.region, bucket.createdAt.timeIntervalSince1970])
            }
        }
    }

    public func bucket(named name: String) async throws(CatalogError) -> S3Bucket? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM s3_buckets WHERE name = ?", arguments: [name]).map(Self.bucket) }
    }

    public func buckets(account: String) async throws(CatalogError) -> [S3Bucket] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM s3_buckets WHERE account = ? ORDER BY CAST(name AS BLOB)", arguments: [account]).map(Self.bucket)
        }
    }

    public func deleteBucket(named name: String) async throws(CatalogError) {
        try await run { db throws(CatalogError) in
            guard try Self.fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [name]) }) != nil else {
                throw .noSuchBucket
            }
            guard try Self.fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1", arguments: [name]) }) == nil else {
                throw .bucketNotEmpty
            }
            try Self.fetch { try db.execute(sql: "DELETE FROM s3_buckets WHERE name = ?", arguments: [name]) }
        }
    }

    public func putObject(_ object: StoredObject) async throws(CatalogError) -> StoredObject? {
        let columns = try Self.columns(object)
        return try await run { db throws(CatalogError) -> StoredObject? in
            guard try Self.fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [object.bucket]) }) != nil else {
                throw .noSuchBucket
            }
            let replaced = try Self.fetch {
                try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [object.bucket, Data(object.key.utf8)])
            }.map(Self.object)
            try Self.fetch {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO s3_objects(bucket, key, blob, size, etag, last_modified, content_type, metadata, sse,
                        kms_key_arn, data_key, context, bucket_key, ssec_mac, ssec_salt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: columns)
            }
            return replaced
        }
    }

    public func object(bucket: String, key: String) async throws(CatalogError) -> StoredObject? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, Data(key.utf8)]).map(Self.object)
        }
    }

    public func deleteObject(bucket: String, key: String) async throws(CatalogError) -> StoredObject? {
        try await run { db throws(CatalogError) -> StoredObject? in
            let removed = try Self.fetch {
                try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, Data(key.utf8)])
            }.map(Self.object)
            try Self.fetch { try db.execute(sql: "DELETE FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, Data(key.utf8)]) }
            return removed
        }
    }

    public func listObjects(bucket: String, prefix: String, after: String?, limit: Int) async throws(CatalogError) -> [StoredObject] {
        let low = Data(prefix.utf8)
        let high = Data(prefix.utf8) + [0xFF]
        let start = after.map { Data($0.utf8) }
        return try await run { db throws(CatalogError) -> [StoredObject] in
            guard try Self.fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [bucket]) }) != nil else {
                throw .noSuchBucket
            }
            let rows = try Self.fetch {
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM s3_objects WHERE bucket = ? AND key >= ? AND key < ? AND (? IS NULL OR key > ?)
                        ORDER BY key LIMIT ?
                        """,
                    arguments: [bucket, low, high, start, start, max(0, limit)])
            }
            return try rows.map(Self.object)
        }
    }

    public func referencedBlobs() async throws(CatalogError) -> Set<BlobID> {
        try await read { db in Set(try String.fetchAll(db, sql: "SELECT blob FROM s3_objects").compactMap(BlobID.init)) }
    }

    // MARK: Rows

    private static func bucket(_ row: Row) -> S3Bucket {
        S3Bucket(name: row["name"], account: row["account"], region: row["region"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    private static func object(_ row: Row) throws(CatalogError) -> StoredObject {
        let keyBytes: Data = row["key"], blobText: String = row["blob"], metadataText: String = row["metadata"], sse: String = row["sse"]
        guard let blob = BlobID(blobText), let key = String(validating: keyBytes, as: UTF8.self) else {
            throw .storage("an object record is damaged")
        }
        let metadata: [String: String]
        do {
            metadata = try JSONDecoder().decode([String: String].self, from: Data(metadataText.utf8))
        } catch {
            throw .storage("an object record's metadata is damaged")
        }
        let encryption: ObjectEncryption
        switch sse {
        case "s3":
            guard let key: Data = row["data_key"] else { throw .storage("an SSE-S3 record has no data key") }
            encryption = .s3(sealedDataKey: Array(key))
        case "kms":
            guard let arn: String = row["kms_key_arn"], let blobBytes: Data = row["data_key"], let contextText: String = row["context"],
                let context = try? JSONDecoder().decode([String: String].self, from: Data(contextText.utf8))
            else { throw .storage("an SSE-KMS record is damaged") }
            encryption = .kms(keyARN: arn, ciphertextBlob: Array(blobBytes), context: context, bucketKey: row["bucket_key"])
        case "customer":
            guard let mac: Data = row["ssec_mac"], let salt: Data = row["ssec_salt"] else { throw .storage("an SSE-C record is damaged") }
            encryption = .customer(keyMAC: Array(mac), salt: Array(salt))
        default:
            throw .storage("an object record has an unknown encryption mode")
        }
        return StoredObject(
            bucket: row["bucket"], key: key, blob: blob, size: row["size"], etag: row["etag"],
            lastModified: Date(timeIntervalSince1970: row["last_modified"]), contentType: row["content_type"], metadata: metadata,
            encryption: encryption)
    }

    private static func columns(_ object: StoredObject) throws(CatalogError) -> StatementArguments {
        let metadata: String
        do {
            metadata = String(decoding: try JSONEncoder().encode(object.metadata), as: UTF8.self)
        } catch {
            throw .storage("metadata cannot be encoded")
        }
        var sse = "s3", arn: String?, dataKey: Data?, context: String?, bucketKey = false, mac: Data?, salt: Data?
        switch object.encryption {
        case .s3(let sealed):
            dataKey = Data(sealed)
        case .kms(let keyARN, let blob, let encryptionContext, let enabled):
            sse = "kms"
            arn = keyARN
            dataKey = Data(blob)
            bucketKey = enabled
            do {
                context = String(decoding: try JSONEncoder().encode(encryptionContext), as: UTF8.self)
            } catch {
                throw .storage("the encryption context cannot be encoded")
            }
        case .customer(let keyMAC, let keySalt):
            sse = "customer"
            mac = Data(keyMAC)
            salt = Data(keySalt)
        }
        return [
            object.bucket, Data(object.key.utf8), object.blob.rawValue, object.size, object.etag, object.lastModified.timeIntervalSince1970,
            object.contentType, metadata, sse, arn, dataKey, context, bucketKey, mac, salt,
        ]
    }

    // MARK: Transactions

    /// Runs `body` in a write transaction, rolled back if it throws; storage failures become `.storage`.
    private func run<T: Sendable>(_ body: @escaping @Sendable (Database) throws(CatalogError) -> T) async throws(CatalogError) -> T {
        do {
            return try await database.pool.write { db -> T in
                do throws(CatalogError) {
                    return try body(db)
                } catch {
                    throw CatalogRefusal(error: error)
                }
            }
        } catch let refused as CatalogRefusal {
            throw refused.error
        } catch {
            throw .storage("the object catalog could not be updated: \(error)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do {
            return try await database.pool.read(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .storage("the object catalog could not be read: \(error)")
        }
    }

    /// Runs one statement, turning a database error into `.storage`.
    private static func fetch<T>(_ body: () throws -> T) throws(CatalogError) -> T {
        do {
            return try body()
        } catch {
            throw .storage("the object catalog failed: \(error)")
        }
    }
}

/// Carries a catalog error out of GRDB's transaction, which rolls back on any thrown error.
private struct CatalogRefusal: Error {
    let error: CatalogError
}
