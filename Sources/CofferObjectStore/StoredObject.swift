import CofferCore
import Foundation

/// The current version of an object.
public struct StoredObject: Sendable, Hashable {
    public var bucket: String
    public var key: String
    /// The sealed stream of a single PUT. For a multipart object, the first part's blob (its bytes are the
    /// streams named in `parts`, in order).
    public var blob: BlobID
    /// Plaintext bytes.
    public var size: Int
    /// The ETag as S3 returns it, quotes included (`"<md5 hex>-<part count>"` for a multipart object).
    public var etag: String
    /// When the object was written; for a multipart object, when its upload was initiated (as S3 does).
    public var lastModified: Date
    public var contentType: String?
    /// `x-amz-meta-*` values by lowercase name (without the prefix).
    public var metadata: [String: String]
    /// How the object's data key is protected.
    public var encryption: ObjectEncryption
    /// The other representation headers stored with the object.
    public var headers: ObjectHeaders
    /// The whole-object checksum the client supplied or the S3 layer computed, if any.
    public var checksum: ObjectChecksum?
    /// The object's tag set, in the order given.
    public var tags: [S3Tag]
    /// Empty for a single PUT; for a completed multipart upload, its parts in order.
    public var parts: [ObjectPart]

    public init(
        bucket: String, key: String, blob: BlobID, size: Int, etag: String, lastModified: Date, contentType: String? = nil,
        metadata: [String: String] = [:], encryption: ObjectEncryption, headers: ObjectHeaders = ObjectHeaders(),
        checksum: ObjectChecksum? = nil, tags: [S3Tag] = [], parts: [ObjectPart] = []
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
        self.headers = headers
        self.checksum = checksum
        self.tags = tags
        self.parts = parts
    }

    /// The number of parts of a multipart object (`x-amz-mp-parts-count`); nil for a single PUT.
    public var partsCount: Int? { parts.isEmpty ? nil : parts.count }

    /// Every blob holding the object's bytes.
    public var blobs: [BlobID] {
        parts.isEmpty ? [blob] : parts.map(\.blob) + (parts.contains { $0.blob == blob } ? [] : [blob])
    }
}
