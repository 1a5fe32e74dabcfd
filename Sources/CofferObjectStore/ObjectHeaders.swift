/// Representation headers S3 stores with an object and returns on GET and HEAD, each as the client sent it,
/// and the object's storage class.
/// (`Content-Type` is `StoredObject.contentType`.)
public struct ObjectHeaders: Sendable, Hashable {
    public var contentEncoding: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var cacheControl: String?
    /// The `Expires` header, unparsed.
    public var expires: String?
    /// `x-amz-storage-class` when not STANDARD (S3 stores and reports it; nil means STANDARD).
    public var storageClass: String?

    public init(
        contentEncoding: String? = nil, contentDisposition: String? = nil, contentLanguage: String? = nil, cacheControl: String? = nil,
        expires: String? = nil, storageClass: String? = nil
    ) {
        self.contentEncoding = contentEncoding
        self.contentDisposition = contentDisposition
        self.contentLanguage = contentLanguage
        self.cacheControl = cacheControl
        self.expires = expires
        self.storageClass = storageClass
    }
}
