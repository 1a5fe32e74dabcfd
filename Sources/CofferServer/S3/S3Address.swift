import CofferS3
import CofferS3Wire
import CofferWire

/// The bucket and key a request addresses, path-style (`/bucket/key`) or virtual-hosted-style
/// (`bucket.localhost/key`, `bucket.s3.localhost/key`), and its decoded query parameters.
struct S3Address: Sendable {
    var bucket: String?
    var key: String?
    /// Query parameters, decoded; a name without `=` has the value "".
    var query: [String: String]

    /// Parses the raw (still percent-encoded) path and query, and the Host header.
    init(rawPath: String, rawQuery: String, host: String?) throws(S3Error) {
        var query: [String: String] = [:]
        for (name, value) in SigV4Encoding.parseQuery(rawQuery) where query[name] == nil {
            query[name] = value
        }
        self.query = query
        var path = Substring(rawPath)
        if path.hasPrefix("/") { path = path.dropFirst() }
        if let bucket = Self.virtualHostBucket(host) {
            self.bucket = bucket
            self.key = path.isEmpty ? nil : try Self.decode(path)
            return
        }
        guard !path.isEmpty else { return }
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        bucket = try Self.decode(parts[0])
        if parts.count > 1, !parts[1].isEmpty { key = try Self.decode(parts[1]) }
    }

    /// The bucket in a Host such as `bucket.localhost:7443` or `bucket.s3.localhost`; nil for IP
    /// addresses and plain hosts (path-style).
    static func virtualHostBucket(_ host: String?) -> String? {
        guard var host = host?.lowercased() else { return nil }
        if host.hasPrefix("[") { return nil }
        if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
        for suffix in [".s3.localhost", ".localhost"] where host.hasSuffix(suffix) {
            let bucket = String(host.dropLast(suffix.count))
            return bucket.isEmpty || bucket == "s3" ? nil : bucket
        }
        return nil
    }

    /// Percent-decodes a path segment (`+` stays a plus); invalid escapes or UTF-8 are refused.
    static func decode(_ text: Substring) throws(S3Error) -> String {
        do {
            return try S3URLEncoding.decodePath(text)
        } catch {
            throw S3Error(error)
        }
    }
}
