import CofferCore
import Foundation
import Testing

@testable import CofferObjectStore

/// The catalog contract for what came with multipart uploads (object parts, headers, checksum and tags;
/// uploads and their parts; bucket settings; skipping a common prefix), run against every implementation.
@Suite("Object catalog: multipart, tags, settings")
struct ObjectCatalogMultipartTests {
    static let catalogs = ObjectCatalogTests.catalogs
    let when = Date(timeIntervalSince1970: 1_700_000_000)

    func bucket(_ name: String) -> S3Bucket {
        S3Bucket(name: name, account: ObjectCatalogTests.alice, region: "us-east-1", createdAt: when)
    }

    func multipartObject(_ key: String, parts count: Int, uploadID: String = "upload-1") -> StoredObject {
        let parts = (1...count).map { ObjectPart(number: $0 * 2, blob: .random(), size: 10 * $0, etag: "\"e\($0)\"", checksum: "c\($0)==", uploadID: uploadID) }
        return StoredObject(
            bucket: "photos", key: key, blob: parts[0].blob, size: parts.reduce(0) { $0 + $1.size }, etag: "\"abc-\(count)\"", lastModified: when,
            contentType: "video/mp4", metadata: ["a": "b"],
            encryption: .kms(keyARN: "arn:aws:kms:us-east-1:111122223333:key/k", ciphertextBlob: [7, 8], context: ["aws:s3:arn": "x"], bucketKey: true),
            headers: ObjectHeaders(contentEncoding: "gzip", contentDisposition: "attachment", contentLanguage: "fr", cacheControl: "no-cache", expires: "soon"),
            checksum: ObjectChecksum(algorithm: "CRC32", value: "AAAAAA==-\(count)", type: "COMPOSITE"),
            tags: [S3Tag(key: "z", value: "1"), S3Tag(key: "a", value: "2")], parts: parts)
    }

    func upload(_ key: String, id: String, at seconds: Double, in bucket: String = "photos") -> MultipartUploadRecord {
        MultipartUploadRecord(
            uploadID: id, bucket: bucket, key: key, initiated: Date(timeIntervalSince1970: seconds), encryption: .customer(keyMAC: [1], salt: [2]),
            contentType: "text/plain", headers: ObjectHeaders(cacheControl: "max-age=1"), metadata: ["m": "n"], tags: [S3Tag(key: "t", value: "v")],
            checksumAlgorithm: "SHA256", checksumType: "COMPOSITE")
    }

    func part(_ number: Int, size: Int = 5) -> PartRecord {
        PartRecord(number: number, blob: .random(), size: size, etag: "\"p\(number)\"", lastModified: when, checksum: number == 1 ? "x==" : nil)
    }

    @Test("a multipart object keeps its parts, headers, checksum and tags; tags can be replaced", arguments: 0..<catalogs.count)
    func objectFields(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        let object = multipartObject("movie", parts: 3)
        #expect(try await catalog.putObject(object) == nil)
        #expect(try await catalog.object(bucket: "photos", key: "movie") == object)
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "", after: nil, limit: 10) == [object])
        #expect(try await catalog.referencedBlobs() == Set(object.parts.map(\.blob)))

        try await catalog.setTags([S3Tag(key: "k", value: "")], bucket: "photos", key: "movie")
        #expect(try await catalog.object(bucket: "photos", key: "movie")?.tags == [S3Tag(key: "k", value: "")])
        await #expect(throws: CatalogError.noSuchKey) { try await catalog.setTags([], bucket: "photos", key: "nope") }
        await #expect(throws: CatalogError.noSuchBucket) { try await catalog.setTags([], bucket: "nope", key: "movie") }

        // A single PUT over it drops its parts; the replaced record comes back whole.
        var single = object
        single.parts = []
        single.blob = .random()
        single.checksum = nil
        single.tags = []
        single.headers = ObjectHeaders()
        var tagged = object
        tagged.tags = [S3Tag(key: "k", value: "")]
        #expect(try await catalog.putObject(single) == tagged)
        #expect(try await catalog.object(bucket: "photos", key: "movie") == single)
        #expect(try await catalog.referencedBlobs() == [single.blob])
        #expect(try await catalog.deleteObject(bucket: "photos", key: "movie") == single)
    }

    @Test("bucket settings are opaque values by name that go with their bucket", arguments: 0..<catalogs.count)
    func settings(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        #expect(try await catalog.bucketSetting(bucket: "photos", name: "policy") == nil)
        try await catalog.setBucketSetting(bucket: "photos", name: "policy", value: [1, 2, 3])
        try await catalog.setBucketSetting(bucket: "photos", name: "encryption", value: [])
        try await catalog.setBucketSetting(bucket: "photos", name: "policy", value: [4])
        #expect(try await catalog.bucketSetting(bucket: "photos", name: "policy") == [4])
        #expect(try await catalog.bucketSetting(bucket: "photos", name: "encryption") == [])
        try await catalog.setBucketSetting(bucket: "photos", name: "encryption", value: nil)
        #expect(try await catalog.bucketSetting(bucket: "photos", name: "encryption") == nil)
        await #expect(throws: CatalogError.noSuchBucket) { try await catalog.setBucketSetting(bucket: "nope", name: "policy", value: [1]) }
        await #expect(throws: CatalogError.noSuchBucket) { _ = try await catalog.bucketSetting(bucket: "nope", name: "policy") }
        try await catalog.deleteBucket(named: "photos")
        await #expect(throws: CatalogError.noSuchBucket) { _ = try await catalog.bucketSetting(bucket: "photos", name: "policy") }
        try await catalog.createBucket(bucket("photos"))
        #expect(try await catalog.bucketSetting(bucket: "photos", name: "policy") == nil)
    }

    @Test("uploads keep their parts until completed or aborted; completion is checked against the current parts", arguments: 0..<catalogs.count)
    func uploads(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        await #expect(throws: CatalogError.noSuchBucket) { try await catalog.createUpload(upload("k", id: "u0", at: 1, in: "nope")) }
        let record = upload("movie", id: "u1", at: 100)
        try await catalog.createUpload(record)
        #expect(try await catalog.upload(id: "u1") == record)
        #expect(try await catalog.upload(id: "u2") == nil)

        let first = part(1), second = part(2), third = part(3)
        for part in [third, first, second] { #expect(try await catalog.putPart(part, uploadID: "u1") == nil) }
        let again = part(2, size: 9)
        #expect(try await catalog.putPart(again, uploadID: "u1") == second)
        await #expect(throws: CatalogError.noSuchUpload) { _ = try await catalog.putPart(part(1), uploadID: "u2") }
        #expect(try await catalog.parts(uploadID: "u1", after: 0, limit: 10) == [first, again, third])
        #expect(try await catalog.parts(uploadID: "u1", after: 1, limit: 1) == [again])
        #expect(try await catalog.referencedBlobs() == [first.blob, again.blob, third.blob])

        // The object names part 2 by its replaced blob: refused, nothing changes.
        var object = multipartObject("movie", parts: 1, uploadID: "u1")
        object.parts = [ObjectPart(number: 1, blob: first.blob, size: 5, etag: first.etag, uploadID: "u1"),
                        ObjectPart(number: 2, blob: second.blob, size: 5, etag: second.etag, uploadID: "u1")]
        await #expect(throws: CatalogError.invalidPart) { _ = try await catalog.completeUpload("u1", as: object) }
        var elsewhere = object
        elsewhere.key = "other"
        await #expect(throws: CatalogError.noSuchUpload) { _ = try await catalog.completeUpload("u1", as: elsewhere) }
        #expect(try await catalog.object(bucket: "photos", key: "movie") == nil)

        object.parts[1] = ObjectPart(number: 2, blob: again.blob, size: 9, etag: again.etag, uploadID: "u1")
        object.blob = first.blob
        object.size = 14
        let previous = multipartObject("movie", parts: 2, uploadID: "old")
        _ = try await catalog.putObject(previous)
        let completion = try await catalog.completeUpload("u1", as: object)
        #expect(completion == UploadCompletion(replaced: previous, discardedParts: [third]))
        #expect(try await catalog.object(bucket: "photos", key: "movie") == object)
        #expect(try await catalog.upload(id: "u1") == nil)
        #expect(try await catalog.parts(uploadID: "u1", after: 0, limit: 10).isEmpty)
        #expect(try await catalog.referencedBlobs() == [first.blob, again.blob])
        await #expect(throws: CatalogError.noSuchUpload) { _ = try await catalog.completeUpload("u1", as: object) }

        try await catalog.createUpload(upload("movie", id: "u3", at: 200))
        let kept = part(1)
        _ = try await catalog.putPart(kept, uploadID: "u3")
        #expect(try await catalog.abortUpload("u3") == [kept])
        await #expect(throws: CatalogError.noSuchUpload) { _ = try await catalog.abortUpload("u3") }
    }

    @Test("uploads list by key bytes, then initiation, resuming after a key or after one upload of it", arguments: 0..<catalogs.count)
    func listingUploads(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        try await catalog.createBucket(bucket("logs"))
        let records = [
            upload("b", id: "id-b", at: 1), upload("a", id: "id-a2", at: 5), upload("a", id: "id-a1", at: 3), upload("é", id: "id-e", at: 2),
            upload("a", id: "id-a0", at: 5), upload("Z", id: "id-z", at: 9), upload("x", id: "id-x", at: 1, in: "logs"),
        ]
        for record in records { try await catalog.createUpload(record) }
        func ids(prefix: String = "", keyMarker: String? = nil, uploadIDMarker: String? = nil, limit: Int = 100) async throws -> [String] {
            try await catalog.listUploads(bucket: "photos", prefix: prefix, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker, limit: limit)
                .map(\.uploadID)
        }
        #expect(try await ids() == ["id-z", "id-a1", "id-a0", "id-a2", "id-b", "id-e"])
        #expect(try await ids(limit: 2) == ["id-z", "id-a1"])
        #expect(try await ids(keyMarker: "a") == ["id-b", "id-e"])
        #expect(try await ids(keyMarker: "a", uploadIDMarker: "id-a1") == ["id-a0", "id-a2", "id-b", "id-e"])
        #expect(try await ids(keyMarker: "a", uploadIDMarker: "id-a0") == ["id-a2", "id-b", "id-e"])
        #expect(try await ids(keyMarker: "a", uploadIDMarker: "id-gone") == ["id-b", "id-e"])
        #expect(try await ids(keyMarker: "a", uploadIDMarker: "id-b") == ["id-b", "id-e"])
        #expect(try await ids(prefix: "a") == ["id-a1", "id-a0", "id-a2"])
        #expect(try await ids(prefix: "é") == ["id-e"])
        #expect(try await ids(limit: 0).isEmpty)
        await #expect(throws: CatalogError.noSuchBucket) {
            _ = try await catalog.listUploads(bucket: "nope", prefix: "", keyMarker: nil, uploadIDMarker: nil, limit: 1)
        }
    }

    @Test("deleting a bucket discards its uploads and hands back their part blobs", arguments: 0..<catalogs.count)
    func deletingBucketWithUploads(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        try await catalog.createUpload(upload("a", id: "u1", at: 1))
        try await catalog.createUpload(upload("b", id: "u2", at: 1))
        let parts = [part(1), part(2)]
        _ = try await catalog.putPart(parts[0], uploadID: "u1")
        _ = try await catalog.putPart(parts[1], uploadID: "u2")
        _ = try await catalog.putObject(multipartObject("m", parts: 1))
        await #expect(throws: CatalogError.bucketNotEmpty) { try await catalog.deleteBucket(named: "photos") }
        _ = try await catalog.deleteObject(bucket: "photos", key: "m")
        #expect(Set(try await catalog.deleteBucket(named: "photos")) == Set(parts.map(\.blob)))
        #expect(try await catalog.upload(id: "u1") == nil)
        #expect(try await catalog.referencedBlobs().isEmpty)
    }

    @Test("a listing can resume after every key under a prefix, even keys past U+10FFFF's encoding", arguments: 0..<catalogs.count)
    func skippingAPrefix(_ which: Int) async throws {
        let catalog = Self.catalogs[which]()
        try await catalog.createBucket(bucket("photos"))
        for key in ["a/1", "a/2", "a/\u{10FFFF}", "a/\u{10FFFF}x", "a0", "b", "é/1"] {
            _ = try await catalog.putObject(StoredObject(bucket: "photos", key: key, blob: .random(), size: 0, etag: "\"\"", lastModified: when, encryption: .s3(sealedDataKey: [])))
        }
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "", from: .afterPrefix("a/"), limit: 10).map(\.key) == ["a0", "b", "é/1"])
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "", from: .afterKey("a/"), limit: 2).map(\.key) == ["a/1", "a/2"])
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "", from: .afterPrefix("é/"), limit: 10).isEmpty)
        #expect(try await catalog.listObjects(bucket: "photos", prefix: "a/", from: .afterPrefix("a/\u{10FFFF}"), limit: 10).isEmpty)
    }
}
