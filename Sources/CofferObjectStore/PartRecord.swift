import Foundation

/// One uploaded part of a multipart upload in progress.
public struct PartRecord: Sendable, Hashable {
    public var number: Int
    /// The part's sealed stream.
    public var blob: BlobID
    /// Plaintext bytes.
    public var size: Int
    /// The quoted MD5 of the part's plaintext.
    public var etag: String
    public var lastModified: Date
    /// The part's checksum (base64), if one was given.
    public var checksum: String?

    public init(number: Int, blob: BlobID, size: Int, etag: String, lastModified: Date, checksum: String? = nil) {
        self.number = number
        self.blob = blob
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.checksum = checksum
    }
}
