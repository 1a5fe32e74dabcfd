import CofferCore
import Crypto
import Foundation
import Synchronization

/// What a successful SigV4 verification established about a request.
public struct SigV4Authentication<Principal: Sendable>: Sendable {
    public var accessKeyID: String
    /// The principal the credential lookup returned.
    public var principal: Principal
    /// The credential scope's region and service.
    public var region: String
    public var service: String
    /// The request time the signature covers, in seconds since the epoch.
    public var requestTime: Int64
    /// Whether the request was signed in the query string (a presigned URL).
    public var presigned: Bool
    /// What verifying streamed chunk signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) needs: the signing
    /// key, `X-Amz-Date`, the credential scope and the request's (seed) signature.
    public var signingKey: SymmetricKey
    public var amzDate: String
    public var credentialScope: String
    public var signature: String
}

/// The secret behind an access key id, with the principal it authenticates.
public struct SigV4Secret<Principal: Sendable>: Sendable {
    public var secretAccessKey: String
    public var principal: Principal
    public init(secretAccessKey: String, principal: Principal) {
        self.secretAccessKey = secretAccessKey
        self.principal = principal
    }
}

/// Verifies AWS Signature Version 4 (`AWS4-HMAC-SHA256`) in the Authorization header or in the
/// query string, as boto3, the AWS CLI and the AWS SDKs send it.
///
/// Signatures are compared in constant time; derived signing keys are cached per access key,
/// date, region and service.
public final class SigV4Verifier: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// Allowed difference between the request's date and the server's clock (AWS: 15 minutes).
    public let allowedSkew: Int64
    private let clock: any WallClock
    private let signingKeys = Mutex<[String: (secret: String, key: SymmetricKey)]>([:])
    private static let signingKeyCacheLimit = 10_000

    public init(clock: any WallClock = SystemWallClock(), allowedSkew: Int64 = 900) {
        self.clock = clock
        self.allowedSkew = allowedSkew
    }

    /// The parsed, not yet verified, claims of a request's signature.
    struct Claims {
        var accessKeyID: String
        var scopeDate: String
        var region: String
        var service: String
        var terminator: String
        var signedHeaders: [String]
        var signature: String
        var amzDate: String
        var sessionToken: String?
        var presigned: Bool
        var expiresSeconds: Int64?
    }

    /// Whether a request carries any form of SigV4 authentication.
    public static func hasAuthentication(_ request: SigV4Request) -> Bool {
        request.header("authorization") != nil || request.rawQuery.contains("X-Amz-Algorithm=")
    }

    /// Reads the credential scope's service without verifying anything, for routing.
    public static func scopeService(_ request: SigV4Request) -> String? {
        try? parseClaims(request).service
    }

    /// Verifies the request. `lookup` maps an access key id (and session token, if any) to its
    /// secret; returning nil means the key is unknown.
    public func verify<Principal: Sendable>(
        _ request: SigV4Request,
        expectedService: String? = nil,
        lookup: (_ accessKeyID: String, _ sessionToken: String?) async throws -> SigV4Secret<Principal>?
    ) async throws -> SigV4Authentication<Principal> {
        let claims = try Self.parseClaims(request)
        guard let requestTime = AmzDate.parse(claims.amzDate) else {
            throw WireError(.incompleteSignature, "X-Amz-Date must be in the ISO8601 basic format 'yyyyMMdd'T'HHmmss'Z''.")
        }
        guard claims.terminator == "aws4_request" else {
            throw WireError(.invalidSignature, "Credential should be scoped with a valid terminator: 'aws4_request', not '\(claims.terminator)'.")
        }
        let dayPart = String(claims.amzDate.prefix(8))
        guard claims.scopeDate == dayPart else {
            throw WireError(.invalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(claims.scopeDate)' != '\(dayPart)', from '\(claims.amzDate)'.")
        }
        if let expectedService, claims.service != expectedService {
            throw WireError(.invalidSignature, "Credential should be scoped to correct service: '\(expectedService)'.")
        }
        guard claims.signedHeaders.contains("host") else {
            throw WireError(.incompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        try checkTime(requestTime, claims: claims)

        guard let secret = try await lookup(claims.accessKeyID, claims.sessionToken) else {
            throw WireError(.unrecognizedClient, "The security token included in the request is invalid.")
        }

        let payloadHash = try Self.payloadHash(request, claims: claims)
        let canonical = Self.canonicalRequest(request, claims: claims, payloadHash: payloadHash)
        var stringToSign: [UInt8] = []
        stringToSign.reserveCapacity(160)
        for part in [Self.algorithm, "\n", claims.amzDate, "\n", claims.scopeDate, "/", claims.region, "/", claims.service, "/aws4_request\n"] {
            stringToSign.append(contentsOf: part.utf8)
        }
        stringToSign.append(contentsOf: Bytes.hex(SHA256.hash(data: canonical)).utf8)
        let key = signingKey(secret: secret.secretAccessKey, claims: claims)
        let expected = HMAC<SHA256>.authenticationCode(for: stringToSign, using: key)
        guard Bytes.constantTimeEquals(Array(Bytes.hex(expected).utf8), Array(claims.signature.utf8)) else {
            throw WireError(
                .invalidSignature,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            )
        }
        return SigV4Authentication(
            accessKeyID: claims.accessKeyID, principal: secret.principal, region: claims.region,
            service: claims.service, requestTime: requestTime, presigned: claims.presigned, signingKey: key, amzDate: claims.amzDate,
            credentialScope: "\(claims.scopeDate)/\(claims.region)/\(claims.service)/aws4_request", signature: claims.signature.lowercased()
        )
    }

    private func checkTime(_ requestTime: Int64, claims: Claims) throws {
        let now = Int64(clock.now().timeIntervalSince1970)
        if claims.presigned, let expires = claims.expiresSeconds {
            guard requestTime - allowedSkew <= now else {
                throw WireError(.signatureExpired, "Signature not yet current: \(claims.amzDate) is still later than \(AmzDate.format(now + allowedSkew)) (\(AmzDate.format(now)) + 15 min.)")
            }
            guard now <= requestTime + expires else {
                throw WireError(.signatureExpired, "Signature expired: \(claims.amzDate) is now earlier than \(AmzDate.format(now - expires)) (\(AmzDate.format(now)) - \(expires) sec.)")
            }
            return
        }
        if requestTime < now - allowedSkew {
            throw WireError(.signatureExpired, "Signature expired: \(claims.amzDate) is now earlier than \(AmzDate.format(now - allowedSkew)) (\(AmzDate.format(now)) - 15 min.)")
        }
        if requestTime > now + allowedSkew {
            throw WireError(.signatureExpired, "Signature not yet current: \(claims.amzDate) is still later than \(AmzDate.format(now + allowedSkew)) (\(AmzDate.format(now)) + 15 min.)")
        }
    }

    /// The derived key `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")`.
    func signingKey(secret: String, claims: Claims) -> SymmetricKey {
        let cacheKey = "\(claims.accessKeyID)/\(claims.scopeDate)/\(claims.region)/\(claims.service)"
        if let cached = signingKeys.withLock({ $0[cacheKey] }), cached.secret == secret { return cached.key }
        let key = Self.deriveSigningKey(secret: secret, date: claims.scopeDate, region: claims.region, service: claims.service)
        signingKeys.withLock { cache in
            if cache.count >= Self.signingKeyCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[cacheKey] = (secret, key)
        }
        return key
    }

    /// kSigning for a secret, a yyyyMMdd date, a region and a service.
    public static func deriveSigningKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
        }
        let kDate = hmac(SymmetricKey(data: Array(("AWS4" + secret).utf8)), date)
        return hmac(hmac(hmac(kDate, region), service), "aws4_request")
    }

    static func payloadHash(_ request: SigV4Request, claims: Claims) throws -> String {
        let actual = { Bytes.hex(SHA256.hash(data: request.body)) }
        guard let declared = request.header("x-amz-content-sha256") else {
            if request.bodyIsStreamed, !claims.presigned {
                throw WireError(.validation, "Missing required header for this request: x-amz-content-sha256")
            }
            return claims.presigned && claims.service == "s3" ? "UNSIGNED-PAYLOAD" : actual()
        }
        if declared == "UNSIGNED-PAYLOAD" || declared.hasPrefix("STREAMING-") {
            guard claims.service == "s3" else {
                throw WireError(.invalidSignature, "x-amz-content-sha256 value '\(declared)' is only supported by Amazon S3.")
            }
            return declared
        }
        if request.bodyIsStreamed {
            guard declared.utf8.count == 64, declared.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0 | 0x20) }) else {
                throw WireError(.contentSHA256Mismatch, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, or a valid sha256 value.")
            }
            return declared
        }
        let computed = actual()
        guard declared.lowercased() == computed else {
            throw WireError(.contentSHA256Mismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        return declared
    }

    static func canonicalRequest(_ request: SigV4Request, claims: Claims, payloadHash: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: request.method.utf8)
        out.append(0x0a)
        out.append(contentsOf: SigV4Encoding.canonicalURI(rawPath: request.rawPath, service: claims.service).utf8)
        out.append(0x0a)
        if !request.rawQuery.isEmpty {
            out.append(contentsOf: SigV4Encoding.canonicalQuery(request.queryParameters, excluding: claims.presigned ? "X-Amz-Signature" : nil).utf8)
        }
        out.append(0x0a)
        for name in claims.signedHeaders {
            out.append(contentsOf: name.utf8)
            out.append(UInt8(ascii: ":"))
            var first = true
            for header in request.headers where header.name == name {
                if !first { out.append(UInt8(ascii: ",")) }
                SigV4Encoding.appendCanonicalHeaderValue(header.value, to: &out)
                first = false
            }
            out.append(0x0a)
        }
        out.append(0x0a)
        for (index, name) in claims.signedHeaders.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ";")) }
            out.append(contentsOf: name.utf8)
        }
        out.append(0x0a)
        out.append(contentsOf: payloadHash.utf8)
        return out
    }

    // MARK: Parsing

    static func parseClaims(_ request: SigV4Request) throws -> Claims {
        if let authorization = request.header("authorization") {
            return try parseAuthorizationHeader(authorization, request: request)
        }
        let query = request.queryParameters
        if query.contains(where: { $0.name == "X-Amz-Algorithm" }) {
            return try parsePresignedQuery(query)
        }
        throw WireError(.missingAuthenticationToken, "Missing Authentication Token")
    }

    private static func parseAuthorizationHeader(_ header: String, request: SigV4Request) throws -> Claims {
        let bytes = Array(header.utf8)
        var cursor = 0
        while cursor < bytes.count, bytes[cursor] == 0x20 { cursor += 1 }
        let prefix = Array((algorithm + " ").utf8)
        guard bytes.count - cursor >= prefix.count, Array(bytes[cursor..<(cursor + prefix.count)]) == prefix else {
            let name = bytes[cursor...].prefix { $0 != 0x20 }
            throw WireError(.incompleteSignature, "Unsupported AWS 'algorithm': '\(String(decoding: name, as: UTF8.self))'. Use '\(algorithm)'.")
        }
        cursor += prefix.count
        var credential: String?, signedHeaders: String?, signature: String?
        // Comma-separated `Name=value` fields, spaces allowed around them.
        while cursor < bytes.count {
            while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == UInt8(ascii: ",") { cursor += 1 }
            let nameStart = cursor
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: "="), bytes[cursor] != UInt8(ascii: ",") { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") else { continue }
            let name = bytes[nameStart..<cursor]
            cursor += 1
            let valueStart = cursor
            while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ","), bytes[cursor] != 0x20 { cursor += 1 }
            let value = String(decoding: bytes[valueStart..<cursor], as: UTF8.self)
            if name.elementsEqual("Credential".utf8) {
                credential = value
            } else if name.elementsEqual("SignedHeaders".utf8) {
                signedHeaders = value
            } else if name.elementsEqual("Signature".utf8) {
                signature = value
            }
        }
        var problems: [String] = []
        if credential == nil { problems.append("Authorization header requires 'Credential' parameter.") }
        if signature == nil { problems.append("Authorization header requires 'Signature' parameter.") }
        if signedHeaders == nil { problems.append("Authorization header requires 'SignedHeaders' parameter.") }
        let amzDate = request.header("x-amz-date")
        if amzDate == nil {
            problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard problems.isEmpty, let credential, let signature, let signedHeaders, let amzDate else {
            throw WireError(.incompleteSignature, problems.joined(separator: " "))
        }
        let scope = try parseCredential(credential)
        return Claims(
            accessKeyID: scope.0, scopeDate: scope.1, region: scope.2, service: scope.3, terminator: scope.4,
            signedHeaders: signedHeaders.lowercased().split(separator: ";").map(String.init), signature: signature,
            amzDate: amzDate, sessionToken: request.header("x-amz-security-token"), presigned: false, expiresSeconds: nil
        )
    }

    private static func parsePresignedQuery(_ query: [(name: String, value: String)]) throws -> Claims {
        func value(_ name: String) -> String? { query.first(where: { $0.name == name })?.value }
        guard value("X-Amz-Algorithm") == algorithm else {
            throw WireError(.incompleteSignature, "X-Amz-Algorithm only supports '\(algorithm)'")
        }
        var problems: [String] = []
        for name in ["X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires"] where value(name) == nil {
            problems.append("AWS query-string parameters must include '\(name)'.")
        }
        guard problems.isEmpty, let credential = value("X-Amz-Credential"), let signature = value("X-Amz-Signature"),
              let signedHeaders = value("X-Amz-SignedHeaders"), let amzDate = value("X-Amz-Date"),
              let expiresText = value("X-Amz-Expires")
        else {
            throw WireError(.incompleteSignature, problems.joined(separator: " ") + " Re-examine the query-string parameters.")
        }
        guard let expires = Int64(expiresText), (1...604_800).contains(expires) else {
            throw WireError(.incompleteSignature, "X-Amz-Expires must be an integer between 1 and 604800 seconds.")
        }
        let scope = try parseCredential(credential)
        return Claims(
            accessKeyID: scope.0, scopeDate: scope.1, region: scope.2, service: scope.3, terminator: scope.4,
            signedHeaders: signedHeaders.split(separator: ";").map { $0.lowercased() }, signature: signature,
            amzDate: amzDate, sessionToken: value("X-Amz-Security-Token"), presigned: true, expiresSeconds: expires
        )
    }

    private static func parseCredential(_ credential: String) throws -> (String, String, String, String, String) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, parts[1].utf8.count == 8, !parts[2].isEmpty, !parts[3].isEmpty else {
            throw WireError(.incompleteSignature, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'")
        }
        return (parts[0], parts[1], parts[2], parts[3], parts[4])
    }
}
