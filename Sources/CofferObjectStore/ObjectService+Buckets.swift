import CofferCore
/// Buckets, their opaque settings, and object tags: thin passes to the catalog in `ObjectStoreError` terms.
extension ObjectService {
    /// Creates a bucket: `.bucketAlreadyOwnedByYou` or `.bucketAlreadyExists` when the name is taken.
    public func createBucket(_ bucket: S3Bucket) async throws(ObjectStoreError) {
        try await catalogCall { () async throws(CatalogError) in try await catalog.createBucket(bucket) }
    }

    /// The bucket of that name, nil when there is none.
    public func bucket(named name: String) async throws(ObjectStoreError) -> S3Bucket? {
        try await catalogCall { () async throws(CatalogError) in try await catalog.bucket(named: name) }
    }

    /// An account's buckets, by name in UTF-8 byte order.
    public func buckets(account: String) async throws(ObjectStoreError) -> [S3Bucket] {
        try await catalogCall { () async throws(CatalogError) in try await catalog.buckets(account: account) }
    }

    /// Deletes a bucket that holds no object (`.bucketNotEmpty` otherwise), with its settings; like S3, its
    /// multipart uploads in progress are discarded, and their part blobs removed.
    public func deleteBucket(named name: String) async throws(ObjectStoreError) {
        let partBlobs = try await catalogCall { () async throws(CatalogError) in try await catalog.deleteBucket(named: name) }
        for blob in partBlobs { try? blobs.remove(blob) }
    }

    /// Stores (or with nil deletes) the bucket's opaque value `name` (encryption configuration, policy,
    /// tagging...). `.noSuchBucket` when the bucket is gone.
    public func setBucketSetting(bucket: String, name: String, value: [UInt8]?) async throws(ObjectStoreError) {
        try await catalogCall { () async throws(CatalogError) in try await catalog.setBucketSetting(bucket: bucket, name: name, value: value) }
    }

    /// The bucket's value `name`, nil when unset. `.noSuchBucket` when the bucket is gone.
    public func bucketSetting(bucket: String, name: String) async throws(ObjectStoreError) -> [UInt8]? {
        try await catalogCall { () async throws(CatalogError) in try await catalog.bucketSetting(bucket: bucket, name: name) }
    }

    /// Replaces an object's tag set (PutObjectTagging). `.noSuchBucket` or `.noSuchKey` when absent.
    public func putObjectTags(bucket: String, key: String, tags: [S3Tag]) async throws(ObjectStoreError) {
        try await catalogCall { () async throws(CatalogError) in try await catalog.setTags(tags, bucket: bucket, key: key) }
    }

    /// Removes an object's tags (DeleteObjectTagging). `.noSuchBucket` or `.noSuchKey` when absent.
    public func deleteObjectTags(bucket: String, key: String) async throws(ObjectStoreError) {
        try await putObjectTags(bucket: bucket, key: key, tags: [])
    }

    /// Forgets every bucket and object and deletes their blobs (test mode's reset). Returns how many blobs went.
    @discardableResult
    public func removeAll() async throws(ObjectStoreError) -> Int {
        try await catalogCall { () async throws(CatalogError) in try await catalog.removeAll() }
        return try await sweepOrphans()
    }
}
