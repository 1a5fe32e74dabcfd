import CofferCore
import Foundation

/// The metadata side of the object store: buckets and their settings, the current record of each object, and
/// multipart uploads in progress with their parts. A record names its blobs; a blob is written and made
/// durable first, so a record never points at missing bytes. Each call that changes anything is one
/// transaction.
public protocol ObjectCatalog: Sendable {
    /// Adds a bucket. Bucket names are global: throws `.bucketAlreadyOwnedByYou` when the same account has
    /// it and `.bucketAlreadyExists` when another one does.
    func createBucket(_ bucket: S3Bucket) async throws(CatalogError)
    func bucket(named name: String) async throws(CatalogError) -> S3Bucket?
    /// An account's buckets by name.
    func buckets(account: String) async throws(CatalogError) -> [S3Bucket]
    /// Removes a bucket that holds no object, with its settings and its multipart uploads in progress (S3
    /// discards those), and returns those uploads' part blobs for the caller to delete. `.noSuchBucket` or
    /// `.bucketNotEmpty` otherwise.
    @discardableResult
    func deleteBucket(named name: String) async throws(CatalogError) -> [BlobID]
    /// Sets (or with nil removes) an opaque per-bucket value. `.noSuchBucket` if the bucket is gone.
    func setBucketSetting(bucket: String, name: String, value: [UInt8]?) async throws(CatalogError)
    /// A per-bucket value, nil when unset. `.noSuchBucket` if the bucket is gone.
    func bucketSetting(bucket: String, name: String) async throws(CatalogError) -> [UInt8]?

    /// Stores `object` as the current record of its key (in one transaction) and returns the record it
    /// replaced, whose blobs the caller then deletes. `.noSuchBucket` if the bucket is gone.
    func putObject(_ object: StoredObject) async throws(CatalogError) -> StoredObject?
    func object(bucket: String, key: String) async throws(CatalogError) -> StoredObject?
    /// Removes and returns the record of a key (nil if there was none).
    func deleteObject(bucket: String, key: String) async throws(CatalogError) -> StoredObject?
    /// Replaces an object's tag set. `.noSuchBucket` or `.noSuchKey` if it is gone.
    func setTags(_ tags: [S3Tag], bucket: String, key: String) async throws(CatalogError)
    /// Records whose keys start with `prefix`, in UTF-8 byte order, after `position` (from the first when
    /// nil), at most `limit`. `.noSuchBucket` if the bucket is gone.
    func listObjects(bucket: String, prefix: String, from position: ListPosition?, limit: Int) async throws(CatalogError) -> [StoredObject]

    /// Records a new multipart upload. `.noSuchBucket` if the bucket is gone.
    func createUpload(_ upload: MultipartUploadRecord) async throws(CatalogError)
    /// The upload with this id, wherever it is.
    func upload(id: String) async throws(CatalogError) -> MultipartUploadRecord?
    /// A bucket's uploads whose keys start with `prefix`, ordered by key (UTF-8 bytes), then initiation time,
    /// then id: those with keys after `keyMarker`, and, when `uploadIDMarker` names an upload of `keyMarker`,
    /// the uploads of `keyMarker` after it. At most `limit`. `.noSuchBucket` if the bucket is gone.
    func listUploads(bucket: String, prefix: String, keyMarker: String?, uploadIDMarker: String?, limit: Int) async throws(CatalogError)
        -> [MultipartUploadRecord]
    /// Stores a part of an upload and returns the part of the same number it replaced, whose blob the caller
    /// then deletes. `.noSuchUpload` if the upload is gone.
    func putPart(_ part: PartRecord, uploadID: String) async throws(CatalogError) -> PartRecord?
    /// An upload's parts numbered above `after`, in order, at most `limit`.
    func parts(uploadID: String, after: Int, limit: Int) async throws(CatalogError) -> [PartRecord]
    /// In one transaction: checks that each of `object.parts` is still the upload's part of that number
    /// (same blob; `.invalidPart` otherwise), removes the upload and its parts, and stores `object` as the
    /// current record of its key. `.noSuchUpload` if the upload is gone or belongs to another bucket or key.
    func completeUpload(_ uploadID: String, as object: StoredObject) async throws(CatalogError) -> UploadCompletion
    /// Removes an upload and its parts and returns the parts, whose blobs the caller deletes. `.noSuchUpload`
    /// if the upload is gone.
    func abortUpload(_ uploadID: String) async throws(CatalogError) -> [PartRecord]

    /// Every blob a record names, parts of uploads in progress included (orphan sweeps delete the others).
    func referencedBlobs() async throws(CatalogError) -> Set<BlobID>
    /// Forgets every bucket, object, upload and setting (test mode's reset), in one transaction.
    func removeAll() async throws(CatalogError)
}

extension ObjectCatalog {
    /// Records whose keys start with `prefix`, in UTF-8 byte order, strictly after `after`, at most `limit`.
    public func listObjects(bucket: String, prefix: String, after: String?, limit: Int) async throws(CatalogError) -> [StoredObject] {
        try await listObjects(bucket: bucket, prefix: prefix, from: after.map { .afterKey($0) }, limit: limit)
    }
}

/// Where an object listing resumes.
public enum ListPosition: Sendable, Hashable {
    /// Strictly after this key.
    case afterKey(String)
    /// After every key that starts with this prefix (a common prefix already returned), so a prefix over a
    /// million keys costs one query.
    case afterPrefix(String)

    /// Whether `key` comes after this position, in UTF-8 byte order.
    public func precedes(_ key: String) -> Bool {
        switch self {
        case .afterKey(let after): after.utf8.lexicographicallyPrecedes(key.utf8)
        case .afterPrefix(let prefix): !key.utf8.starts(with: prefix.utf8) && prefix.utf8.lexicographicallyPrecedes(key.utf8)
        }
    }
}

/// What completing an upload changed: the record it replaced and the uploaded parts it left out, whose blobs
/// the caller deletes.
public struct UploadCompletion: Sendable, Hashable {
    public var replaced: StoredObject?
    public var discardedParts: [PartRecord]

    public init(replaced: StoredObject?, discardedParts: [PartRecord]) {
        self.replaced = replaced
        self.discardedParts = discardedParts
    }
}

/// Why a catalog call failed.
public enum CatalogError: Error, Sendable, Equatable {
    case bucketAlreadyExists
    case bucketAlreadyOwnedByYou
    case noSuchBucket
    case bucketNotEmpty
    case noSuchKey
    case noSuchUpload
    /// A part named at completion is no longer the upload's part of that number.
    case invalidPart
    /// The backing store failed.
    case storage(String)
}
