import CofferCore
/// The reference `ObjectCatalog`: everything in memory (tests, and the model the SQLite adapter follows).
public actor InMemoryObjectCatalog: ObjectCatalog {
    private var bucketsByName: [String: S3Bucket] = [:]
    private var objects: [String: [String: StoredObject]] = [:]
    private var settings: [String: [String: [UInt8]]] = [:]
    private var uploads: [String: MultipartUploadRecord] = [:]
    /// Parts by upload id, then part number.
    private var parts: [String: [Int: PartRecord]] = [:]

    public init() {}

    public func removeAll() {
        bucketsByName = [:]
        objects = [:]
        settings = [:]
        uploads = [:]
        parts = [:]
    }

    // MARK: Buckets

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

    @discardableResult
    public func deleteBucket(named name: String) throws(CatalogError) -> [BlobID] {
        guard bucketsByName[name] != nil else { throw .noSuchBucket }
        guard objects[name]?.isEmpty ?? true else { throw .bucketNotEmpty }
        var partBlobs: [BlobID] = []
        for upload in uploads.values where upload.bucket == name {
            partBlobs += (parts.removeValue(forKey: upload.uploadID) ?? [:]).values.map(\.blob)
            uploads[upload.uploadID] = nil
        }
        bucketsByName[name] = nil
        objects[name] = nil
        settings[name] = nil
        return partBlobs
    }

    public func setBucketSetting(bucket: String, name: String, value: [UInt8]?) throws(CatalogError) {
        guard bucketsByName[bucket] != nil else { throw .noSuchBucket }
        settings[bucket, default: [:]][name] = value
    }

    public func bucketSetting(bucket: String, name: String) throws(CatalogError) -> [UInt8]? {
        guard bucketsByName[bucket] != nil else { throw .noSuchBucket }
        return settings[bucket]?[name]
    }

    // MARK: Objects

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

    public func setTags(_ tags: [S3Tag], bucket: String, key: String) throws(CatalogError) {
        guard bucketsByName[bucket] != nil else { throw .noSuchBucket }
        guard objects[bucket]?[key] != nil else { throw .noSuchKey }
        objects[bucket]?[key]?.tags = tags
    }

    public func listObjects(bucket: String, prefix: String, from position: ListPosition?, limit: Int) throws(CatalogError) -> [StoredObject] {
        guard let stored = objects[bucket] else { throw .noSuchBucket }
        return stored.values
            .filter { object in object.key.utf8.starts(with: prefix.utf8) && (position?.precedes(object.key) ?? true) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .prefix(max(0, limit))
            .map { $0 }
    }

    // MARK: Multipart uploads

    public func createUpload(_ upload: MultipartUploadRecord) throws(CatalogError) {
        guard bucketsByName[upload.bucket] != nil else { throw .noSuchBucket }
        uploads[upload.uploadID] = upload
        parts[upload.uploadID] = [:]
    }

    public func upload(id: String) -> MultipartUploadRecord? { uploads[id] }

    public func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIDMarker: String?, limit: Int) throws(CatalogError)
        -> [MultipartUploadRecord]
    {
        guard bucketsByName[bucket] != nil else { throw .noSuchBucket }
        let marker = uploadIDMarker.flatMap { uploads[$0] }.flatMap { $0.bucket == bucket && $0.key == keyMarker ? $0 : nil }
        return uploads.values
            .filter { upload in
                guard upload.bucket == bucket, upload.key.utf8.starts(with: prefix.utf8) else { return false }
                guard let keyMarker else { return true }
                if keyMarker.utf8.lexicographicallyPrecedes(upload.key.utf8) { return true }
                guard let marker, upload.key == keyMarker else { return false }
                return Self.precedes(marker, upload)
            }
            .sorted(by: Self.precedes)
            .prefix(max(0, limit))
            .map { $0 }
    }

    /// Listing order: key bytes, then initiation, then id.
    private static func precedes(_ first: MultipartUploadRecord, _ second: MultipartUploadRecord) -> Bool {
        if first.key != second.key { return first.key.utf8.lexicographicallyPrecedes(second.key.utf8) }
        if first.initiated != second.initiated { return first.initiated < second.initiated }
        return first.uploadID.utf8.lexicographicallyPrecedes(second.uploadID.utf8)
    }

    public func putPart(_ part: PartRecord, uploadID: String) throws(CatalogError) -> PartRecord? {
        guard uploads[uploadID] != nil else { throw .noSuchUpload }
        return parts[uploadID, default: [:]].updateValue(part, forKey: part.number)
    }

    public func parts(uploadID: String, after: Int, limit: Int) -> [PartRecord] {
        (parts[uploadID] ?? [:]).values.filter { $0.number > after }.sorted { $0.number < $1.number }.prefix(max(0, limit)).map { $0 }
    }

    public func completeUpload(_ uploadID: String, as object: StoredObject) throws(CatalogError) -> UploadCompletion {
        guard let upload = uploads[uploadID], upload.bucket == object.bucket, upload.key == object.key else { throw .noSuchUpload }
        guard bucketsByName[object.bucket] != nil else { throw .noSuchBucket }
        var current = parts[uploadID] ?? [:]
        for part in object.parts {
            guard current[part.number]?.blob == part.blob else { throw .invalidPart }
            current[part.number] = nil
        }
        uploads[uploadID] = nil
        parts[uploadID] = nil
        let replaced = objects[object.bucket]?[object.key]
        objects[object.bucket, default: [:]][object.key] = object
        return UploadCompletion(replaced: replaced, discardedParts: current.values.sorted { $0.number < $1.number })
    }

    public func abortUpload(_ uploadID: String) throws(CatalogError) -> [PartRecord] {
        guard uploads.removeValue(forKey: uploadID) != nil else { throw .noSuchUpload }
        return (parts.removeValue(forKey: uploadID) ?? [:]).values.sorted { $0.number < $1.number }
    }

    public func referencedBlobs() -> Set<BlobID> {
        var blobs = Set(objects.values.flatMap { $0.values.flatMap(\.blobs) })
        for uploadParts in parts.values { blobs.formUnion(uploadParts.values.map(\.blob)) }
        return blobs
    }
}
