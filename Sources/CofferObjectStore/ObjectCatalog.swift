import Foundation

/// The metadata side of the object store: buckets and the current record of each object. A record names
/// its blob; the blob is written and made durable first, so a record never points at missing bytes.
public protocol ObjectCatalog: Sendable {
    /// Adds a bucket. Bucket names are global: throws `.bucketAlreadyOwnedByYou` when the same account has
    /// it and `.bucketAlreadyExists` when another one does.
    func createBucket(_ bucket: S3Bucket) async throws(CatalogError)
    func bucket(named name: String) async throws(CatalogError) -> S3Bucket?
    /// An account's buckets by name.
    func buckets(account: String) async throws(CatalogError) -> [S3Bucket]
    /// Removes an empty bucket; `.noSuchBucket` or `.bucketNotEmpty` otherwise.
    func deleteBucket(named name: String) async throws(CatalogError)
    /// Stores `object` as the current record of its key (in one transaction) and returns the record it
    /// replaced, whose blob the caller then deletes. `.noSuchBucket` if the bucket is gone.
    func putObject(_ object: StoredObject) async throws(CatalogError) -> StoredObject?
    func object(bucket: String, key: String) async throws(CatalogError) -> StoredObject?
    /// Removes and returns the record of a key (nil if there was none).
    func deleteObject(bucket: String, key: String) async throws(CatalogError) -> StoredObject?
    /// Records whose keys start with `prefix`, in UTF-8 byte order, strictly after `after`, at most `limit`.
    func listObjects(bucket: String, prefix: String, after: String?, limit: Int) async throws(CatalogError) -> [StoredObject]
    /// Every blob a record names (orphan sweeps delete the others).
    func referencedBlobs() async throws(CatalogError) -> Set<BlobID>
}

/// A bucket.
public struct S3Bucket: Sendable, Hashable {
    public var name: String
    /// The 12-digit owner account.
    public var account: String
    public var region: String
    public var createdAt: Date

    public init(name: String, account: String, region: String, createdAt: Date) {
        self.name = name
        self.account = account
        self.region = region
        self.createdAt = createdAt
    }
}

/// The current version of an object.
public struct StoredObject: Sendable, Hashable {
    public var bucket: String
    public var key: String
    /// The sealed stream.
    public var blob: BlobID
    /// Plaintext bytes.
    public var size: Int
    /// The ETag as S3 returns it, quotes included.
    public var etag: String
    public var lastModified: Date
    public var contentType: String?
    /// `x-amz-meta-*` values by lowercase name (without the prefix).
    public var metadata: [String: String]
    /// How the object's data key is protected.
    public var encryption: ObjectEncryption

    public init(
        bucket: String, key: String, blob: BlobID, size: Int, etag: String, lastModified: Date, contentType: String? = nil,
        metadata: [String: String] = [:], encryption: ObjectEncryption
    ) {
        self.bucket = bucket
        self.key = key
        self.blob = blob
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.metadata = metadata
        self.encryption = encryption
    }
}

/// How an object's data key is kept; the key itself is never stored in the clear.
public enum ObjectEncryption: Sendable, Hashable {
    /// SSE-S3: the data key sealed under the service's own key.
    case s3(sealedDataKey: [UInt8])
    /// SSE-KMS: the data key as the KMS ciphertext blob of `keyARN`, under `context`.
    case kms(keyARN: String, ciphertextBlob: [UInt8], context: [String: String], bucketKey: Bool)
    /// SSE-C: nothing of the key is stored but a salted MAC to recognise it.
    case customer(keyMAC: [UInt8], salt: [UInt8])
}

/// Why a catalog call failed.
public enum CatalogError: Error, Sendable, Equatable {
    case bucketAlreadyExists
    case bucketAlreadyOwnedByYou
    case noSuchBucket
    case bucketNotEmpty
    /// The backing store failed.
    case storage(String)
}
