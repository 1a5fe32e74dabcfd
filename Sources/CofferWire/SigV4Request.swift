/// The parts of an HTTP request that AWS Signature Version 4 covers, as they arrived.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path exactly as sent, still percent-encoded.
    public var rawPath: String
    /// The query string exactly as sent, without the leading `?`.
    public var rawQuery: String
    /// Header names in lowercase, in arrival order; repeated names appear repeatedly.
    public var headers: [(name: String, value: String)]
    /// The request body (already collected and size-limited by the caller).
    public var body: [UInt8]
    /// Whether the body is still to be streamed (S3 uploads): then a hex `x-amz-content-sha256` is taken
    /// as declared and the caller compares it with the body's hash once the body has arrived.
    public var bodyIsStreamed = false

    public init(method: String, rawPath: String, rawQuery: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by lowercase name.
    public func header(_ name: String) -> String? {
        headers.first(where: { $0.name == name })?.value
    }

    /// Decoded query parameters, in order (a `+` stays a `+`, as SigV4 treats it).
    public var queryParameters: [(name: String, value: String)] {
        SigV4Encoding.parseQuery(rawQuery)
    }
}
