import CofferObjectStore
import Foundation
import GRDB

/// Multipart uploads in `s3_uploads` and their parts in `s3_upload_parts` (migration v9).
extension SQLiteObjectCatalog {
    public func createUpload(_ upload: MultipartUploadRecord) async throws(CatalogError) {
        let arguments = try Self.uploadArguments(upload)
        try await run { db throws(CatalogError) in
            try Self.requireBucket(upload.bucket, in: db)
            try Self.fetch {
                try db.execute(sql: "INSERT INTO s3_uploads(\(Self.uploadColumns)) VALUES (\(Self.placeholders(for: Self.uploadColumns)))", arguments: arguments)
            }
        }
    }

    public func upload(id: String) async throws(CatalogError) -> MultipartUploadRecord? {
        try await read { db in try Self.upload(id: id, in: db) }
    }

    public func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIDMarker: String?, limit: Int) async throws(CatalogError)
        -> [MultipartUploadRecord]
    {
        let arguments: StatementArguments = [
            "bucket": bucket, "low": Data(prefix.utf8), "high": Data(prefix.utf8) + [0xFF], "keyMarker": keyMarker.map { Data($0.utf8) },
            "uploadMarker": uploadIDMarker, "limit": max(0, limit),
        ]
        return try await read { db in
            try Self.requireBucket(bucket, in: db)
            // After the key marker; and after the upload marker among the uploads of the key marker, when it is one of them.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT u.* FROM s3_uploads u WHERE u.bucket = :bucket AND u.key >= :low AND u.key < :high
                    AND (:keyMarker IS NULL OR u.key > :keyMarker OR (u.key = :keyMarker AND EXISTS (
                        SELECT 1 FROM s3_uploads m WHERE m.upload_id = :uploadMarker AND m.bucket = u.bucket AND m.key = u.key
                        AND (u.initiated > m.initiated OR (u.initiated = m.initiated AND u.upload_id > m.upload_id)))))
                    ORDER BY u.key, u.initiated, u.upload_id LIMIT :limit
                    """,
                arguments: arguments)
            return try rows.map { row throws(CatalogError) in try Self.upload(row) }
        }
    }

    public func putPart(_ part: PartRecord, uploadID: String) async throws(CatalogError) -> PartRecord? {
        try await run { db throws(CatalogError) -> PartRecord? in
            guard try Self.upload(id: uploadID, in: db) != nil else { throw .noSuchUpload }
            let replaced = try Self.fetch {
                try Row.fetchOne(db, sql: "SELECT * FROM s3_upload_parts WHERE upload_id = ? AND number = ?", arguments: [uploadID, part.number])
            }.map { row throws(CatalogError) in try Self.part(row) }
            try Self.fetch {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO s3_upload_parts(upload_id, number, blob, size, etag, last_modified, checksum)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        uploadID, part.number, part.blob.rawValue, part.size, part.etag, part.lastModified.timeIntervalSince1970, part.checksum,
                    ])
            }
            return replaced
        }
    }

    public func parts(uploadID: String, after: Int, limit: Int) async throws(CatalogError) -> [PartRecord] {
        try await read { db in try Self.parts(uploadID: uploadID, after: after, limit: limit, in: db) }
    }

    public func completeUpload(_ uploadID: String, as object: StoredObject) async throws(CatalogError) -> UploadCompletion {
        let arguments = try Self.objectArguments(object)
        return try await run { db throws(CatalogError) -> UploadCompletion in
            guard let upload = try Self.upload(id: uploadID, in: db), upload.bucket == object.bucket, upload.key == object.key else {
                throw .noSuchUpload
            }
            var current = Dictionary(
                try Self.parts(uploadID: uploadID, after: 0, limit: -1, in: db).map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
            for part in object.parts {
                guard current[part.number]?.blob == part.blob else { throw .invalidPart }
                current[part.number] = nil
            }
            try Self.fetch {
                try db.execute(
                    sql: "DELETE FROM s3_upload_parts WHERE upload_id = ?; DELETE FROM s3_uploads WHERE upload_id = ?", arguments: [uploadID, uploadID])
            }
            let replaced = try Self.store(object, arguments: arguments, in: db)
            return UploadCompletion(replaced: replaced, discardedParts: current.values.sorted { $0.number < $1.number })
        }
    }

    public func abortUpload(_ uploadID: String) async throws(CatalogError) -> [PartRecord] {
        try await run { db throws(CatalogError) -> [PartRecord] in
            guard try Self.upload(id: uploadID, in: db) != nil else { throw .noSuchUpload }
            let parts = try Self.parts(uploadID: uploadID, after: 0, limit: -1, in: db)
            try Self.fetch {
                try db.execute(
                    sql: "DELETE FROM s3_upload_parts WHERE upload_id = ?; DELETE FROM s3_uploads WHERE upload_id = ?", arguments: [uploadID, uploadID])
            }
            return parts
        }
    }

    private static func upload(id: String, in db: Database) throws(CatalogError) -> MultipartUploadRecord? {
        let row = try fetch { try Row.fetchOne(db, sql: "SELECT * FROM s3_uploads WHERE upload_id = ?", arguments: [id]) }
        guard let row else { return nil }
        return try upload(row)
    }

    /// Parts numbered above `after`, in order; a negative `limit` means all.
    private static func parts(uploadID: String, after: Int, limit: Int, in db: Database) throws(CatalogError) -> [PartRecord] {
        let rows = try fetch {
            try Row.fetchAll(
                db, sql: "SELECT * FROM s3_upload_parts WHERE upload_id = ? AND number > ? ORDER BY number LIMIT ?", arguments: [uploadID, after, limit])
        }
        return try rows.map { row throws(CatalogError) in try part(row) }
    }
}
