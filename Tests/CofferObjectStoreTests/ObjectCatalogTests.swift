import Foundation
import Testing

@testable import CofferObjectStore
import CofferStorageSQLite

/// The catalog contract, run against every implementation (the SQLite adapter joins this list).
@Suite("Object catalog")
struct ObjectCatalogTests {
    static let catalogs: [@Sendable () -> any ObjectCatalog] = [
        { InMemoryObjectCatalog() },
        {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-catalog-\(UUID().uuidString)")
            // Invariant: a fresh temporary directory can be created and opened.
            try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return SQLiteObjectCatalog(database: try! SQLiteDatabase(path: directory.appendingPathComponent("coffer.sqlite").path))
        },
    ]
    static let alice = "111122223333"
    static let bob = "444455556666"

    func bucket(_ name: String, _ account: String = alice) -> S3Bucket {
        S3Bucket(name: name, account: account, region: "us-east-1", createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func object(_ key: String, in bucket: String = "photos", size: Int = 3) -> StoredObject {
        StoredObject(
            bucket: bucket, key: key, blob: .random(), size: size, etag: "\"0cc175b9c0f1b6a831c399e269772661\"",
            lastModified: Date(timeIntervalSince1970: 1_700_000_100), contentType: "image/jpeg", metadata: ["owner": "alice"],
            encryption: .s3(sealedDataKey: [1, 2, 3]))
    }

    @Test("bucket names are global; only empty buckets can be deleted", arguments: 0..<catalogs.count)
    func buckets(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        try await catalog.createBucket(bucket("logs"))
        try await catalog.createBucket(bucket("bob-data", Self.bob))
        await #expect(throws: CatalogError.bucketAlreadyOwnedByYou) { try await catalog.createBucket(bucket("photos")) }
        await #expect(throws: CatalogError.bucketAlreadyExists) { try await catalog.createBucket(bucket("photos", Self.bob)) }
        #expect(try await catalog.buckets(account: Self.alice).map(\.name) == ["logs", "photos"])
        #expect(try await catalog.bucket(named: "bob-data")?.account == Self.bob)

        _ = try await catalog.putObject(object("cat.jpg"))
        await #expect(throws: CatalogError.bucketNotEmpty) { try await catalog.deleteBucket(named: "photos") }
        _ = try await catalog.deleteObject(bucket: "photos", key: "cat.jpg")
        try await catalog.deleteBucket(named: "photos")
        await #expect(throws: CatalogError.noSuchBucket) { try await catalog.deleteBucket(named: "photos") }
        await #expect(throws: CatalogError.noSuchBucket) { _ = try await catalog.putObject(object("cat.jpg")) }
        #expect(try await catalog.bucket(named: "photos") == nil)
    }

    @Test("a put replaces the record and hands back the old one; lists go in UTF-8 byte order", arguments: 0..<catalogs.count)
    func objects(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        let first = object("a/1.jpg")
        #expect(try await catalog.putObject(first) == nil)
        let second = object("a/1.jpg", size: 9)
        #expect(try await catalog.putObject(second) == first)
        #expect(try await catalog.object(bucket: "photos", key: "a/1.jpg") == second)
        for key in ["a/2.jpg", "b/1.jpg", "a/é.jpg", "a/Z.jpg", "a/10.jpg"] { _ = try await catalog.putObject(object(key)) }
        let keys = try await catalog.listObjects(bucket: "photos", prefix: "a/", after: nil, limit: 100).map(\.key)
        #expect(keys == ["a/1.jpg", "a/10.jpg", "a/2.jpg", "a/Z.jpg", "a/é.jpg"])
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "a/", after: "a/10.jpg", limit: 2).map(\.key) == ["a/2.jpg", "a/Z.jpg"])
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "", after: nil, limit: 0).isEmpty)
        await #expect(throws: CatalogError.noSuchBucket) { _ = try await catalog.listObjects(bucket: "nope", prefix: "", after: nil, limit: 1) }
        #expect(try await catalog.referencedBlobs().contains(second.blob))
        #expect(try await !catalog.referencedBlobs().contains(first.blob))
        #expect(try await catalog.deleteObject(bucket: "photos", key: "a/1.jpg") == second)
        #expect(try await catalog.deleteObject(bucket: "photos", key: "a/1.jpg") == nil)
    }
}
