import CofferCore
/// The body of CreateBucket: `<CreateBucketConfiguration>`, optional.
public struct S3CreateBucketConfiguration: Sendable, Equatable {
    /// The region named by `LocationConstraint`, trimmed; nil when absent or empty (us-east-1).
    public var locationConstraint: String?
    /// The bucket tags given in `Tags`, validated as a bucket tag set.
    public var tags: [S3Tag]

    /// A configuration, e.g. for tests.
    public init(locationConstraint: String? = nil, tags: [S3Tag] = []) {
        self.locationConstraint = locationConstraint
        self.tags = tags
    }

    /// Parses the request body. An empty (or all-whitespace) body is allowed and gives no constraint.
    public static func parse(_ body: [UInt8]) throws(S3WireError) -> S3CreateBucketConfiguration {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d }) else {
            return S3CreateBucketConfiguration()
        }
        let root = try S3XMLElement.parse(body)
        try root.expectName("CreateBucketConfiguration")
        var configuration = S3CreateBucketConfiguration()
        if let location = try root.optionalText("LocationConstraint") {
            let trimmed = S3XMLElement.trimmed(location)
            configuration.locationConstraint = trimmed.isEmpty ? nil : trimmed
        }
        if let tags = try root.optionalChild("Tags") {
            configuration.tags = try S3Tagging.tagSet(tags, kind: .bucket)
        }
        return configuration
    }
}
