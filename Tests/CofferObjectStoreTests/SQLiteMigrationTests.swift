import CofferCore
import Foundation
import GRDB
import Testing

@testable import CofferObjectStore
@testable import CofferStorageSQLite

@Suite("SQLite migration v9-s3-multipart")
struct SQLiteMigrationTests {
    @Test("a database left at v8 migrates to v9 and keeps its buckets and objects")
    func fromV8() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("coffer.sqlite").path
        let blob = BlobID.random()
        do {
            let old = try SQLiteDatabase(path: path, migratingUpTo: "v8-s3-catalog")
            try await old.pool.write { db in
                #expect(try !db.tableExists("s3_uploads"))
                try db.execute(sql: "INSERT INTO s3_buckets(name, account, region, created_at) VALUES ('photos', '111122223333', 'us-east-1', 1700000000)")
                try db.execute(
                    sql: """
                        INSERT INTO s3_objects(bucket, key, blob, size, etag, last_modified, content_type, metadata, sse, data_key)
                        VALUES ('photos', ?, ?, 3, '"abc"', 1700000100, 'image/jpeg', '{"owner":"alice"}', 's3', ?)
                        """,
                    arguments: [Data("cat.jpg".utf8), blob.rawValue, Data([1, 2, 3])])
            }
            try old.pool.close()
        }
        let database = try SQLiteDatabase(path: path)
        let applied = try await database.pool.read { db in try SQLiteDatabase.migrator.appliedMigrations(db) }
        #expect(applied.suffix(2) == ["v8-s3-catalog", "v9-s3-multipart"])
        let catalog = SQLiteObjectCatalog(database: database)
        #expect(try await catalog.bucket(named: "photos")?.account == "111122223333")
        let object = try #require(try await catalog.object(bucket: "photos", key: "cat.jpg"))
        #expect(
            object
                == StoredObject(
                    bucket: "photos", key: "cat.jpg", blob: blob, size: 3, etag: "\"abc\"", lastModified: Date(timeIntervalSince1970: 1_700_000_100),
                    contentType: "image/jpeg", metadata: ["owner": "alice"], encryption: .s3(sealedDataKey: [1, 2, 3])))
        #expect(object.partsCount == nil && object.tags.isEmpty && object.headers == ObjectHeaders() && object.checksum == nil)
        // The new tables work on the migrated database.
        try await catalog.setTags([S3Tag(key: "k", value: "v")], bucket: "photos", key: "cat.jpg")
        try await catalog.setBucketSetting(bucket: "photos", name: "policy", value: [1])
        #expect(try await catalog.object(bucket: "photos", key: "cat.jpg")?.tags == [S3Tag(key: "k", value: "v")])
        #expect(try await catalog.referencedBlobs() == [blob])
    }
}
