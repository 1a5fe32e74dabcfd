/// One part of a completed multipart object: its own sealed stream, bound to bucket, key, upload id and
/// part number.
public struct ObjectPart: Sendable, Hashable {
    /// The part number it was uploaded under (numbers may have gaps).
    public var number: Int
    public var blob: BlobID
    /// Plaintext bytes.
    public var size: Int
    /// The quoted MD5 of the part's plaintext.
    public var etag: String
    /// The part's checksum (base64), if one was given.
    public var checksum: String?
    /// The upload the part belongs to: with bucket, key and number, what its stream is bound to.
    public var uploadID: String

    public init(number: Int, blob: BlobID, size: Int, etag: String, checksum: String? = nil, uploadID: String) {
        self.number = number
        self.blob = blob
        self.size = size
        self.etag = etag
        self.checksum = checksum
        self.uploadID = uploadID
    }
}
