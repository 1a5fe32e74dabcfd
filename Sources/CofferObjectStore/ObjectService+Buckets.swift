extension ObjectService {
    /// Adds a bucket (`.bucketAlreadyExists` / `.bucketAlreadyOwnedByYou` when the name is taken).
    public func createBucket(_ bucket: S3Bucket) async throws(ObjectStoreError) {
        do { try await catalog.createBucket(bucket) } catch { throw ObjectStoreError(error) }
    }

    public func bucket(named name: String) async throws(ObjectStoreError) -> S3Bucket? {
        do { return try await catalog.bucket(named: name) } catch { throw ObjectStoreError(error) }
    }

    /// An account's buckets by name.
    public func buckets(account: String) async throws(ObjectStoreError) -> [S3Bucket] {
        do { return try await catalog.buckets(account: account) } catch { throw ObjectStoreError(error) }
    }

    /// Removes an empty bucket.
    public func deleteBucket(named name: String) async throws(ObjectStoreError) {
        do { try await catalog.deleteBucket(named: name) } catch { throw ObjectStoreError(error) }
    }

    /// Records of keys starting with `prefix`, strictly after `after`, at most `limit`, in UTF-8 byte order.
    public func listObjects(bucket: String, prefix: String, after: String?, limit: Int) async throws(ObjectStoreError) -> [StoredObject] {
        do {
            guard try await catalog.bucket(named: bucket) != nil else { throw ObjectStoreError.noSuchBucket }
            return try await catalog.listObjects(bucket: bucket, prefix: prefix, after: after, limit: limit)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }
}
