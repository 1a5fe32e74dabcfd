/// One entry of a DeleteObjects request.
public struct S3ObjectIdentifier: Sendable, Equatable {
    /// The key exactly as sent (keys may begin or end with spaces).
    public var key: String
    /// The version to delete, as sent; nil when absent.
    public var versionId: String?
    /// The `ETag` a conditional delete must match, as sent; nil when absent.
    public var eTag: String?

    /// An entry, e.g. for tests.
    public init(key: String, versionId: String? = nil, eTag: String? = nil) {
        self.key = key
        self.versionId = versionId
        self.eTag = eTag
    }
}

/// The body of DeleteObjects: `<Delete><Object><Key/><VersionId/></Object>…<Quiet/></Delete>`.
public struct S3DeleteObjects: Sendable, Equatable {
    /// The most objects one request may name.
    public static let maxObjects = 1000

    /// The objects to delete, in request order (1–1000).
    public var objects: [S3ObjectIdentifier]
    /// Quiet mode: the response lists only the failures.
    public var quiet: Bool

    /// A request, e.g. for tests.
    public init(objects: [S3ObjectIdentifier], quiet: Bool = false) {
        self.objects = objects
        self.quiet = quiet
    }

    /// Parses the request body. No `Object`, more than 1000, an `Object` without `Key`, or a
    /// `Quiet` that is not a boolean is `MalformedXML`. An empty key is passed through for the
    /// caller to report per key.
    public static func parse(_ body: [UInt8]) throws(S3WireError) -> S3DeleteObjects {
        let root = try S3XMLElement.parse(body)
        try root.expectName("Delete")
        let elements = root.children("Object")
        guard !elements.isEmpty, elements.count <= maxObjects else { throw .malformedXML }
        var objects: [S3ObjectIdentifier] = []
        objects.reserveCapacity(elements.count)
        for element in elements {
            try objects.append(S3ObjectIdentifier(
                key: element.requiredText("Key"),
                versionId: element.optionalText("VersionId"),
                eTag: element.optionalText("ETag")))
        }
        return try S3DeleteObjects(objects: objects, quiet: root.optionalBoolean("Quiet", default: false))
    }
}
