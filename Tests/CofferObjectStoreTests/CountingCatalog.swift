import CofferCore
import Synchronization

@testable import CofferObjectStore

/// Passes every call to another catalog and counts the object listings asked of it.
final class CountingCatalog: ObjectCatalog {
    let base: any ObjectCatalog
    private let listings = Mutex(0)

    init(_ base: any ObjectCatalog) { self.base = base }

    var listingQueries: Int { listings.withLock { $0 } }
    func resetCount() { listings.withLock { $0 = 0 } }

    func listObjects(bucket: String, prefix: String, from position: ListPosition?, limit: Int) async throws(CatalogError) -> [StoredObject] {
        listings.withLock { $0 += 1 }
        return try await base.listObjects(bucket: bucket, prefix: prefix, from: position, limit: limit)
    }

    func createBucket(_ bucket: S3Bucket) async throws(CatalogError) { try await base.createBucket(bucket) }
    func bucket(named name: String) async throws(CatalogError) -> S3Bucket? { try await base.bucket(named: name) }
    func buckets(account: String) async throws(CatalogError) -> [S3Bucket] { try await base.buckets(account: account) }
    func deleteBucket(named name: String) async throws(CatalogError) -> [BlobID] { try await base.deleteBucket(named: name) }
    func setBucketSetting(bucket: String, name: String, value: [UInt8]?) async throws(CatalogError) {
        try await base.setBucketSetting(bucket: bucket, name: name, value: value)
    }
    func bucketSetting(bucket: String, name: String) async throws(CatalogError) -> [UInt8]? { try await base.bucketSetting(bucket: bucket, name: name) }
    func putObject(_ object: StoredObject) async throws(CatalogError) -> StoredObject? { try await base.putObject(object) }
    func object(bucket: String, key: String) async throws(CatalogError) -> StoredObject? { try await base.object(bucket: bucket, key: key) }
    func deleteObject(bucket: String, key: String) async throws(CatalogError) -> StoredObject? { try await base.deleteObject(bucket: bucket, key: key) }
    func setTags(_ tags: [S3Tag], bucket: String, key: String) async throws(CatalogError) { try await base.setTags(tags, bucket: bucket, key: key) }
    func createUpload(_ upload: MultipartUploadRecord) async throws(CatalogError) { try await base.createUpload(upload) }
    func upload(id: String) async throws(CatalogError) -> MultipartUploadRecord? { try await base.upload(id: id) }
    func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIDMarker: String?, limit: Int) async throws(CatalogError)
        -> [MultipartUploadRecord]
    {
        try await base.listUploads(bucket: bucket, prefix: prefix, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker, limit: limit)
    }
    func putPart(_ part: PartRecord, uploadID: String) async throws(CatalogError) -> PartRecord? { try await base.putPart(part, uploadID: uploadID) }
    func parts(uploadID: String, after: Int, limit: Int) async throws(CatalogError) -> [PartRecord] {
        try await base.parts(uploadID: uploadID, after: after, limit: limit)
    }
    func completeUpload(_ uploadID: String, as object: StoredObject) async throws(CatalogError) -> UploadCompletion {
        try await base.completeUpload(uploadID, as: object)
    }
    func abortUpload(_ uploadID: String) async throws(CatalogError) -> [PartRecord] { try await base.abortUpload(uploadID) }
    func referencedBlobs() async throws(CatalogError) -> Set<BlobID> { try await base.referencedBlobs() }
    func removeAll() async throws(CatalogError) { try await base.removeAll() }
}
