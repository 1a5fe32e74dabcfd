import CofferCore
import CofferWire
import Crypto
import Foundation

/// AWS credentials. `description` never shows the secret or the session token.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }
}

/// An HTTP request as AWS Signature Version 4 sees it.
public struct SigV4Request: Sendable, Hashable {
    public var method: String
    /// The URI path, not yet percent-encoded (`/` when empty).
    public var path: String
    /// Query parameters, not yet percent-encoded.
    public var query: [SigV4Pair]
    /// Headers to sign, including `host` (names are case-insensitive).
    public var headers: [SigV4Pair]
    public var body: [UInt8]

    public init(method: String, path: String = "/", query: [SigV4Pair] = [], headers: [SigV4Pair], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }
}

/// A name-value pair (header or query parameter).
public struct SigV4Pair: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The intermediate values and result of signing one request.
public struct SigV4Signature: Sendable, Hashable {
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lower-case hex.
    public var signature: String
    public var signedHeaders: String
    public var credentialScope: String
    /// The value of the `Authorization` header.
    public var authorization: String
}

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) with swift-crypto's SHA-256 and HMAC.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T" + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z"
    }

    /// Signs `request`, whose headers must already hold `host` and `x-amz-date` (and
    /// `x-amz-security-token` when the credentials have a session token).
    public func sign(_ request: SigV4Request, amzDate: String) -> SigV4Signature {
        let day = String(amzDate.prefix(8))
        let payloadHash = Self.hex(SHA256.hash(data: request.body))
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalPath(request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let key = SigV4Verifier.deriveSigningKey(secret: credentials.secretAccessKey, date: day, region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return SigV4Signature(canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
                              signedHeaders: signedHeaders, credentialScope: scope, authorization: authorization)
    }

    // MARK: Canonical forms

    static func canonicalHeaders(_ headers: [SigV4Pair]) -> (String, String) {
        var merged: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased().trimmingCharacters(in: .whitespaces)
            merged[name, default: []].append(collapseSpaces(header.value))
        }
        let sorted = merged.sorted { $0.key < $1.key }
        let canonical = sorted.map { "\($0.key):\($0.value.joined(separator: ","))\n" }.joined()
        return (canonical, sorted.map(\.key).joined(separator: ";"))
    }

    static func collapseSpaces(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func canonicalPath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }.joined(separator: "/")
    }

    static func canonicalQuery(_ query: [SigV4Pair]) -> String {
        let encoded: [(name: String, value: String)] = query.map { pair in (uriEncode(pair.name), uriEncode(pair.value)) }
        let sorted = encoded.sorted { (a, b) -> Bool in
            a.name == b.name ? a.value < b.value : a.name < b.name
        }
        return sorted.map { pair -> String in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// Percent-encodes everything except the RFC 3986 unreserved characters, with upper-case hex.
    static func uriEncode(_ text: String) -> String {
        var out = ""
        let digits = Array("0123456789ABCDEF")
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                out.append("%")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0xF)])
            }
        }
        return out
    }

    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8))

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 { Bytes.hex(bytes) }
}
