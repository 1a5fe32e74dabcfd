/// Representation headers S3 stores with an object and returns on GET and HEAD, each as the client sent it.
/// (`Content-Type` is `StoredObject.contentType`.)
public struct ObjectHeaders: Sendable, Hashable {
    public var contentEncoding: String?
    public var contentDisposition: String?
    public var contentLanguage: String?
    public var cacheControl: String?
    /// The `Expires` header, unparsed.
    public var expires: String?

    public init(
        contentEncoding: String? = nil, contentDisposition: String? = nil, contentLanguage: String? = nil, cacheControl: String? = nil,
        expires: String? = nil
    ) {
        self.contentEncoding = contentEncoding
        self.contentDisposition = contentDisposition
        self.contentLanguage = contentLanguage
        self.cacheControl = cacheControl
        self.expires = expires
    }
}
