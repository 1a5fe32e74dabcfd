import CofferCore
import Foundation

/// A multipart upload in progress: what CreateMultipartUpload was told, kept until the upload is completed
/// or aborted. Its parts are sealed under one data key, whose protection `encryption` records.
public struct MultipartUploadRecord: Sendable, Hashable {
    /// Random and URL-safe (64 characters of base64url).
    public var uploadID: String
    public var bucket: String
    public var key: String
    public var initiated: Date
    public var encryption: ObjectEncryption
    public var contentType: String?
    public var headers: ObjectHeaders
    /// `x-amz-meta-*` values by lowercase name (without the prefix).
    public var metadata: [String: String]
    public var tags: [S3Tag]
    /// The checksum algorithm the client asked for ("CRC32", ...), if any.
    public var checksumAlgorithm: String?
    /// "FULL_OBJECT" or "COMPOSITE", if the client said.
    public var checksumType: String?

    public init(
        uploadID: String, bucket: String, key: String, initiated: Date, encryption: ObjectEncryption, contentType: String? = nil,
        headers: ObjectHeaders = ObjectHeaders(), metadata: [String: String] = [:], tags: [S3Tag] = [], checksumAlgorithm: String? = nil,
        checksumType: String? = nil
    ) {
        self.uploadID = uploadID
        self.bucket = bucket
        self.key = key
        self.initiated = initiated
        self.encryption = encryption
        self.contentType = contentType
        self.headers = headers
        self.metadata = metadata
        self.tags = tags
        self.checksumAlgorithm = checksumAlgorithm
        self.checksumType = checksumType
    }

    /// A fresh upload id: 48 random bytes in unpadded base64url.
    public static func newUploadID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in generator.next() as UInt8 }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
