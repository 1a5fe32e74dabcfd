/// The reference `ObjectCatalog`: everything in memory (tests, and the model the SQLite adapter follows).
public actor InMemoryObjectCatalog: ObjectCatalog {
    private var bucketsByName: [String: S3Bucket] = [:]
    private var objects: [String: [String: StoredObject]] = [:]

    public init() {}

    public func createBucket(_ bucket: S3Bucket) throws(CatalogError) {
        if let existing = bucketsByName[bucket.name] {
            throw existing.account == bucket.account ? .bucketAlreadyOwnedByYou : .bucketAlreadyExists
        }
        bucketsByName[bucket.name] = bucket
        objects[bucket.name] = [:]
    }

    public func bucket(named name: String) -> S3Bucket? { bucketsByName[name] }

    public func buckets(account: String) -> [S3Bucket] {
        bucketsByName.values.filter { $0.account == account }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    public func deleteBucket(named name: String) throws(CatalogError) {
        guard bucketsByName[name] != nil else { throw .noSuchBucket }
        guard objects[name]?.isEmpty ?? true else { throw .bucketNotEmpty }
        bucketsByName[name] = nil
        objects[name] = nil
    }

    public func putObject(_ object: StoredObject) throws(CatalogError) -> StoredObject? {
        guard bucketsByName[object.bucket] != nil else { throw .noSuchBucket }
        let replaced = objects[object.bucket]?[object.key]
        objects[object.bucket, default: [:]][object.key] = object
        return replaced
    }

    public func object(bucket: String, key: String) -> StoredObject? { objects[bucket]?[key] }

    public func deleteObject(bucket: String, key: String) -> StoredObject? {
        objects[bucket]?.removeValue(forKey: key)
    }

    public func listObjects(bucket: String, prefix: String, after: String?, limit: Int) throws(CatalogError) -> [StoredObject] {
        guard let stored = objects[bucket] else { throw .noSuchBucket }
        return stored.values
            .filter { object in
                guard object.key.utf8.starts(with: prefix.utf8) else { return false }
                guard let after else { return true }
                return after.utf8.lexicographicallyPrecedes(object.key.utf8)
            }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .prefix(max(0, limit))
            .map { $0 }
    }

    public func referencedBlobs() -> Set<BlobID> {
        Set(objects.values.flatMap { $0.values.map(\.blob) })
    }
}
