import CofferCore
import CofferObjectStore
import Foundation
import GRDB

/// The SQLite adapter of ``ObjectCatalog``: `s3_buckets` and `s3_objects` (migration v8); object parts,
/// multipart uploads with their parts, and bucket settings (v9). Object keys are stored as BLOBs of their
/// UTF-8 bytes, so SQLite's ordering is S3's byte order and a prefix is the range [prefix, prefix ‖ 0xFF)
/// (0xFF never occurs in UTF-8).
public final class SQLiteObjectCatalog: ObjectCatalog {
    let database: SQLiteDatabase

    public init(database: SQLiteDatabase) {
        self.database = database
    }

    // MARK: Buckets

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

    public func removeAll() async throws(CatalogError) {
        try await run { db throws(CatalogError) in
            try Self.fetch {
                try db.execute(
                    sql: """
                        DELETE FROM s3_upload_parts; DELETE FROM s3_uploads; DELETE FROM s3_object_parts; DELETE FROM s3_objects;
                        DELETE FROM s3_bucket_settings; DELETE FROM s3_buckets;
                        """)
            }
        }
    }

    @discardableResult
    public func deleteBucket(named name: String) async throws(CatalogError) -> [BlobID] {
        try await run { db throws(CatalogError) -> [BlobID] in
            try Self.requireBucket(name, in: db)
            guard try Self.fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1", arguments: [name]) }) == nil else {
                throw .bucketNotEmpty
            }
            let partBlobs = try Self.fetch {
                try String.fetchAll(
                    db,
                    sql: "SELECT p.blob FROM s3_upload_parts p JOIN s3_uploads u ON u.upload_id = p.upload_id WHERE u.bucket = ?",
                    arguments: [name])
            }
            try Self.fetch {
                try db.execute(
                    sql: """
                        DELETE FROM s3_upload_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket = ?);
                        DELETE FROM s3_uploads WHERE bucket = ?;
                        DELETE FROM s3_bucket_settings WHERE bucket = ?;
                        DELETE FROM s3_buckets WHERE name = ?;
                        """,
                    arguments: [name, name, name, name])
            }
            return partBlobs.compactMap(BlobID.init)
        }
    }

    public func setBucketSetting(bucket: String, name: String, value: [UInt8]?) async throws(CatalogError) {
        try await run { db throws(CatalogError) in
            try Self.requireBucket(bucket, in: db)
            try Self.fetch {
                if let value {
                    try db.execute(
                        sql: """
                            INSERT INTO s3_bucket_settings(bucket, name, value) VALUES (?, ?, ?)
                            ON CONFLICT(bucket, name) DO UPDATE SET value = excluded.value
                            """,
                        arguments: [bucket, name, Data(value)])
                } else {
                    try db.execute(sql: "DELETE FROM s3_bucket_settings WHERE bucket = ? AND name = ?", arguments: [bucket, name])
                }
            }
        }
    }

    public func bucketSetting(bucket: String, name: String) async throws(CatalogError) -> [UInt8]? {
        try await read { db in
            try Self.requireBucket(bucket, in: db)
            return try Data.fetchOne(db, sql: "SELECT value FROM s3_bucket_settings WHERE bucket = ? AND name = ?", arguments: [bucket, name])
                .map { Array($0) }
        }
    }

    // MARK: Objects

    public func putObject(_ object: StoredObject) async throws(CatalogError) -> StoredObject? {
        let arguments = try Self.objectArguments(object)
        return try await run { db throws(CatalogError) -> StoredObject? in
            try Self.requireBucket(object.bucket, in: db)
            return try Self.store(object, arguments: arguments, in: db)
        }
    }

    public func object(bucket: String, key: String) async throws(CatalogError) -> StoredObject? {
        try await read { db in try Self.storedObject(bucket: bucket, key: key, in: db) }
    }

    public func deleteObject(bucket: String, key: String) async throws(CatalogError) -> StoredObject? {
        try await run { db throws(CatalogError) -> StoredObject? in
            let removed = try Self.storedObject(bucket: bucket, key: key, in: db)
            try Self.fetch {
                try db.execute(
                    sql: "DELETE FROM s3_object_parts WHERE bucket = ? AND key = ?; DELETE FROM s3_objects WHERE bucket = ? AND key = ?",
                    arguments: [bucket, Data(key.utf8), bucket, Data(key.utf8)])
            }
            return removed
        }
    }

    public func setTags(_ tags: [S3Tag], bucket: String, key: String) async throws(CatalogError) {
        let arguments: StatementArguments = [try Self.encodeTags(tags), bucket, Data(key.utf8)]
        try await run { db throws(CatalogError) in
            try Self.requireBucket(bucket, in: db)
            try Self.fetch { try db.execute(sql: "UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ?", arguments: arguments) }
            guard db.changesCount == 1 else { throw .noSuchKey }
        }
    }

    public func listObjects(bucket: String, prefix: String, from position: ListPosition?, limit: Int) async throws(CatalogError) -> [StoredObject] {
        let low = Data(prefix.utf8)
        let high = Data(prefix.utf8) + [0xFF]
        // Keys under a common prefix p all sort below p ‖ 0xFF.
        let start: Data? =
            switch position {
            case .afterKey(let key): Data(key.utf8)
            case .afterPrefix(let skipped): Data(skipped.utf8) + [0xFF]
            case nil: nil
            }
        return try await read { db in
            try Self.requireBucket(bucket, in: db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM s3_objects WHERE bucket = ? AND key >= ? AND key < ? AND (? IS NULL OR key > ?)
                    ORDER BY key LIMIT ?
                    """,
                arguments: [bucket, low, high, start, start, max(0, limit)])
            return try rows.map { row throws(CatalogError) in try Self.object(row, in: db) }
        }
    }

    public func referencedBlobs() async throws(CatalogError) -> Set<BlobID> {
        try await read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT blob FROM s3_objects UNION SELECT blob FROM s3_object_parts UNION SELECT blob FROM s3_upload_parts"
                ).compactMap(BlobID.init))
        }
    }

    // MARK: Steps inside a transaction

    static func requireBucket(_ name: String, in db: Database) throws(CatalogError) {
        guard try fetch({ try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [name]) }) != nil else {
            throw .noSuchBucket
        }
    }

    static func storedObject(bucket: String, key: String, in db: Database) throws(CatalogError) -> StoredObject? {
        let row = try fetch {
            try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, Data(key.utf8)])
        }
        guard let row else { return nil }
        return try object(row, in: db)
    }

    /// Makes `object` the key's record, parts included, and returns the record it replaced.
    static func store(_ object: StoredObject, arguments: StatementArguments, in db: Database) throws(CatalogError) -> StoredObject? {
        let replaced = try storedObject(bucket: object.bucket, key: object.key, in: db)
        try fetch {
            try db.execute(sql: "DELETE FROM s3_object_parts WHERE bucket = ? AND key = ?", arguments: [object.bucket, Data(object.key.utf8)])
            try db.execute(sql: "INSERT OR REPLACE INTO s3_objects(\(objectColumns)) VALUES (\(placeholders(for: objectColumns)))", arguments: arguments)
            for part in object.parts {
                try db.execute(
                    sql: "INSERT INTO s3_object_parts(bucket, key, number, upload_id, blob, size, etag, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: objectPartArguments(part, of: object))
            }
        }
        return replaced
    }

    /// One `?` per column of a comma-separated column list.
    static func placeholders(for columns: String) -> String {
        Array(repeating: "?", count: columns.split(separator: ",").count).joined(separator: ", ")
    }

    // MARK: Transactions

    /// Runs `body` in a write transaction, rolled back if it throws; storage failures become `.storage`.
    func run<T: Sendable>(_ body: @escaping @Sendable (Database) throws(CatalogError) -> T) async throws(CatalogError) -> T {
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

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CatalogError) -> T {
        do {
            return try await database.pool.read(body)
        } catch let error as CatalogError {
            throw error
        } catch {
            throw .storage("the object catalog could not be read: \(error)")
        }
    }

    /// Runs one statement, turning a database error into `.storage`.
    static func fetch<T>(_ body: () throws -> T) throws(CatalogError) -> T {
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
