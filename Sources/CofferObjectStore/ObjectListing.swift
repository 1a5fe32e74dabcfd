/// One page of ListObjects: keys and, with a delimiter, the common prefixes that stand for the keys under them.
public struct ObjectListing: Sendable, Hashable {
    public var objects: [StoredObject]
    /// Distinct prefixes ending in the delimiter, in UTF-8 byte order.
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    /// The last key or common prefix returned (the marker of the next page); nil when nothing was returned.
    public var nextMarker: String?

    public init(objects: [StoredObject] = [], commonPrefixes: [String] = [], isTruncated: Bool = false, nextMarker: String? = nil) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.isTruncated = isTruncated
        self.nextMarker = nextMarker
    }
}
