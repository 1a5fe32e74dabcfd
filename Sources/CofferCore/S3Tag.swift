/// One S3 tag (of an object, an upload or a bucket).
public struct S3Tag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
