import CofferCore
import Foundation
import Testing

@testable import CofferObjectStore

@Suite("Listing, tags, buckets and settings")
struct ListingAndTagsTests {
    static let catalogs = 0..<ObjectCatalogTests.catalogs.count
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-listing-\(UUID().uuidString)")

    /// A service over a counting catalog holding `keys` (records only; listings read no blob).
    func service(_ which: Int, keys: [String]) async throws -> (ObjectService, CountingCatalog) {
        let catalog = CountingCatalog(ObjectCatalogTests.catalogs[which]())
        let service = ObjectService(catalog: catalog, blobs: try LocalBlobStore(directory: directory))
        try await service.createBucket(S3Bucket(name: "photos", account: "111122223333", region: "us-east-1", createdAt: Date()))
        for key in keys {
            _ = try await catalog.putObject(
                StoredObject(bucket: "photos", key: key, blob: .random(), size: 1, etag: "\"e\"", lastModified: Date(), encryption: .s3(sealedDataKey: [])))
        }
        return (service, catalog)
    }

    static let keys = ["a/1", "a/2", "a/\u{10FFFF}x", "b", "c/d/e", "c/x", "é/1", "é/2", "日本/語", "日本語", "z"] + (0..<1500).map { "many/\($0)" }

    @Test("a delimiter rolls keys into common prefixes in UTF-8 byte order, counted toward maxKeys", arguments: catalogs)
    func delimiter(_ which: Int) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, catalog) = try await service(which, keys: Self.keys)
        let all = try await service.list(bucket: "photos", delimiter: "/")
        #expect(all.objects.map(\.key) == ["b", "z", "日本語"])
        #expect(all.commonPrefixes == ["a/", "c/", "many/", "é/", "日本/"])
        #expect(!all.isTruncated && all.nextMarker == "日本語")

        // Each common prefix costs one catalog query, however many keys it holds.
        catalog.resetCount()
        _ = try await service.list(bucket: "photos", delimiter: "/")
        #expect(catalog.listingQueries <= 8)

        var entries: [String] = []
        var marker: String?
        var pages = 0
        repeat {
            let page = try await service.list(bucket: "photos", delimiter: "/", after: marker, maxKeys: 3)
            #expect(page.objects.count + page.commonPrefixes.count <= 3)
            entries += (page.objects.map(\.key) + page.commonPrefixes).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            marker = page.isTruncated ? page.nextMarker : nil
            pages += 1
        } while marker != nil
        #expect(entries == ["a/", "b", "c/", "many/", "z", "é/", "日本/", "日本語"])
        #expect(pages == 3)

        let nested = try await service.list(bucket: "photos", prefix: "c/", delimiter: "/")
        #expect(nested.objects.map(\.key) == ["c/x"] && nested.commonPrefixes == ["c/d/"])
        // A multi-byte delimiter.
        let japanese = try await service.list(bucket: "photos", prefix: "日", delimiter: "本")
        #expect(japanese.objects.isEmpty && japanese.commonPrefixes == ["日本"])
        // A marker inside a common prefix does not bring that prefix back.
        let resumed = try await service.list(bucket: "photos", delimiter: "/", after: "a/1", maxKeys: 2)
        #expect((resumed.objects.map(\.key) + resumed.commonPrefixes) == ["b", "c/"] && resumed.isTruncated && resumed.nextMarker == "c/")
    }

    @Test("without a delimiter, keys list in byte order up to 1,000 a page; maxKeys 0 returns nothing", arguments: catalogs)
    func plain(_ which: Int) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _) = try await service(which, keys: Self.keys)
        let first = try await service.list(bucket: "photos", maxKeys: 5000)
        #expect(first.objects.count == 1000 && first.isTruncated && first.nextMarker == first.objects.last?.key)
        let rest = try await service.list(bucket: "photos", after: first.nextMarker)
        #expect(rest.objects.count == Self.keys.count - 1000 && !rest.isTruncated)
        #expect((first.objects + rest.objects).map(\.key) == Self.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let exact = try await service.list(bucket: "photos", prefix: "a/", maxKeys: 3)
        #expect(exact.objects.map(\.key) == ["a/1", "a/2", "a/\u{10FFFF}x"] && !exact.isTruncated)
        let none = try await service.list(bucket: "photos", maxKeys: 0)
        #expect(none == ObjectListing())
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.list(bucket: "nope") }
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.list(bucket: "nope", maxKeys: 0) }
    }

    @Test("tags are stored with the object and can be replaced or removed", arguments: catalogs)
    func tags(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let object = try await fixture.put("cat.jpg", [1, 2], tags: [S3Tag(key: "b", value: "2"), S3Tag(key: "a", value: "1")])
        #expect(try await service.object(bucket: "photos", key: "cat.jpg").tags == [S3Tag(key: "b", value: "2"), S3Tag(key: "a", value: "1")])
        try await service.putObjectTags(bucket: "photos", key: "cat.jpg", tags: [S3Tag(key: "c", value: "")])
        var expected = object
        expected.tags = [S3Tag(key: "c", value: "")]
        #expect(try await service.object(bucket: "photos", key: "cat.jpg") == expected)
        try await service.deleteObjectTags(bucket: "photos", key: "cat.jpg")
        #expect(try await service.object(bucket: "photos", key: "cat.jpg").tags.isEmpty)
        await #expect(throws: ObjectStoreError.noSuchKey) { try await service.putObjectTags(bucket: "photos", key: "dog.jpg", tags: []) }
        await #expect(throws: ObjectStoreError.noSuchKey) { try await service.deleteObjectTags(bucket: "photos", key: "dog.jpg") }
        await #expect(throws: ObjectStoreError.noSuchBucket) { try await service.putObjectTags(bucket: "nope", key: "cat.jpg", tags: []) }
    }

    @Test("buckets pass through with S3's errors; their settings go with them", arguments: catalogs)
    func buckets(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let mine = S3Bucket(name: "photos", account: "111122223333", region: "us-east-1", createdAt: Date(timeIntervalSince1970: 1))
        await #expect(throws: ObjectStoreError.bucketAlreadyOwnedByYou) { try await service.createBucket(mine) }
        var theirs = mine
        theirs.account = "444455556666"
        await #expect(throws: ObjectStoreError.bucketAlreadyExists) { try await service.createBucket(theirs) }
        #expect(try await service.bucket(named: "photos") == mine)
        #expect(try await service.bucket(named: "nope") == nil)
        #expect(try await service.buckets(account: "111122223333") == [mine])
        try await service.setBucketSetting(bucket: "photos", name: "encryption", value: Array("<xml/>".utf8))
        #expect(try await service.bucketSetting(bucket: "photos", name: "encryption") == Array("<xml/>".utf8))
        try await service.setBucketSetting(bucket: "photos", name: "encryption", value: nil)
        #expect(try await service.bucketSetting(bucket: "photos", name: "encryption") == nil)
        try await service.setBucketSetting(bucket: "photos", name: "policy", value: [1])
        _ = try await fixture.put("x")
        await #expect(throws: ObjectStoreError.bucketNotEmpty) { try await service.deleteBucket(named: "photos") }
        try await service.delete(bucket: "photos", key: "x")
        try await service.deleteBucket(named: "photos")
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.bucketSetting(bucket: "photos", name: "policy") }
        await #expect(throws: ObjectStoreError.noSuchBucket) { try await service.setBucketSetting(bucket: "photos", name: "policy", value: [1]) }
        try await service.createBucket(mine)
        #expect(try await service.bucketSetting(bucket: "photos", name: "policy") == nil)
    }
}
