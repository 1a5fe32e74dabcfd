import CofferCore
import Crypto
@testable import CofferWire
import Foundation
import Testing

/// Requests and signatures from AWS's published Signature Version 4 examples. Each case names its
/// source; the expected signatures are AWS's, also reproduced independently with botocore.
struct SigV4PublishedExamplesTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var source: String
        var method: String
        var path: String
        var query: String
        var headers: [(name: String, value: String)]
        var body: String
        var accessKeyID: String
        var secret: String
        var date: String
        var credentialScope: String
        var signedHeaders: String
        var signature: String
        var testDescription: String { source }
    }

    static let suiteKey = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let s3Key = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static let examples: [Example] = [
        Example(
            source: "aws-sig-v4-test-suite get-vanilla", method: "GET", path: "/", query: "",
            headers: [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")], body: "",
            accessKeyID: suiteKey.0, secret: suiteKey.1, date: "20150830T123600Z",
            credentialScope: "20150830/us-east-1/service/aws4_request", signedHeaders: "host;x-amz-date",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ),
        Example(
            source: "aws-sig-v4-test-suite get-vanilla-query-order-key-case", method: "GET", path: "/", query: "Param2=value2&Param1=value1",
            headers: [("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")], body: "",
            accessKeyID: suiteKey.0, secret: suiteKey.1, date: "20150830T123600Z",
            credentialScope: "20150830/us-east-1/service/aws4_request", signedHeaders: "host;x-amz-date",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        Example(
            source: "aws-sig-v4-test-suite post-x-www-form-urlencoded", method: "POST", path: "/", query: "",
            headers: [("content-type", "application/x-www-form-urlencoded"), ("host", "example.amazonaws.com"), ("x-amz-date", "20150830T123600Z")],
            body: "Param1=value1", accessKeyID: suiteKey.0, secret: suiteKey.1, date: "20150830T123600Z",
            credentialScope: "20150830/us-east-1/service/aws4_request", signedHeaders: "content-type;host;x-amz-date",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
        Example(
            source: "IAM User Guide, 'Signature Version 4 signing process' ListUsers example", method: "GET", path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: [("content-type", "application/x-www-form-urlencoded; charset=utf-8"), ("host", "iam.amazonaws.com"), ("x-amz-date", "20150830T123600Z")],
            body: "", accessKeyID: suiteKey.0, secret: suiteKey.1, date: "20150830T123600Z",
            credentialScope: "20150830/us-east-1/iam/aws4_request", signedHeaders: "content-type;host;x-amz-date",
            signature: "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        ),
        Example(
            source: "Amazon S3 API Reference, 'Authenticating requests: using the Authorization header', GET object example",
            method: "GET", path: "/test.txt", query: "",
            headers: [
                ("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"),
                ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), ("x-amz-date", "20130524T000000Z"),
            ],
            body: "", accessKeyID: s3Key.0, secret: s3Key.1, date: "20130524T000000Z",
            credentialScope: "20130524/us-east-1/s3/aws4_request", signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        ),
    ]

    static func clock(_ amzDate: String) -> FixedWallClock {
        // Invariant: every example date is well formed.
        FixedWallClock(Date(timeIntervalSince1970: TimeInterval(AmzDate.parse(amzDate)!)))
    }

    static func request(_ example: Example, signature: String? = nil) -> SigV4Request {
        let authorization = "AWS4-HMAC-SHA256 Credential=\(example.accessKeyID)/\(example.credentialScope), SignedHeaders=\(example.signedHeaders), Signature=\(signature ?? example.signature)"
        return SigV4Request(
            method: example.method, rawPath: example.path, rawQuery: example.query,
            headers: example.headers + [("authorization", authorization)], body: Array(example.body.utf8)
        )
    }

    static func lookup(_ example: Example) -> @Sendable (String, String?) async throws -> SigV4Secret<String>? {
        let (id, secret) = (example.accessKeyID, example.secret)
        return { accessKeyID, _ in accessKeyID == id ? SigV4Secret(secretAccessKey: secret, principal: "principal-\(id)") : nil }
    }

    @Test(arguments: examples)
    func publishedSignatureVerifies(_ example: Example) async throws {
        let verifier = SigV4Verifier(clock: Self.clock(example.date))
        let result = try await verifier.verify(Self.request(example), lookup: Self.lookup(example))
        #expect(result.principal == "principal-\(example.accessKeyID)")
        #expect(result.region == "us-east-1")
        #expect(!result.presigned)
    }

    @Test(arguments: examples)
    func changedSignatureIsRejected(_ example: Example) async throws {
        var signature = Array(example.signature)
        signature[10] = signature[10] == "0" ? "1" : "0"
        let verifier = SigV4Verifier(clock: Self.clock(example.date))
        await #expect(throws: WireError(.invalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")) {
            _ = try await verifier.verify(Self.request(example, signature: String(signature)), lookup: Self.lookup(example))
        }
    }

    @Test(arguments: examples)
    func wrongSecretIsRejected(_ example: Example) async throws {
        let verifier = SigV4Verifier(clock: Self.clock(example.date))
        let error = await #expect(throws: WireError.self) {
            _ = try await verifier.verify(Self.request(example)) { _, _ in SigV4Secret(secretAccessKey: "not-the-secret", principal: "x") }
        }
        #expect(error?.code == .invalidSignature)
    }

    @Test(arguments: examples)
    func tamperedBodyOrHeaderIsRejected(_ example: Example) async throws {
        var request = Self.request(example)
        request.headers = request.headers.map { $0.name == "host" ? ($0.name, "evil.example.com") : $0 }
        let verifier = SigV4Verifier(clock: Self.clock(example.date))
        let error = await #expect(throws: WireError.self) { _ = try await verifier.verify(request, lookup: Self.lookup(example)) }
        #expect(error?.code == .invalidSignature)
    }

    @Test func signingKeyMatchesTheDocumentedDerivation() {
        // IAM User Guide, "Examples of how to derive a signing key for Signature Version 4".
        let key = SigV4Verifier.deriveSigningKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", date: "20150830", region: "us-east-1", service: "iam")
        #expect(key.withUnsafeBytes { Bytes.hex($0) } == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    /// Amazon S3 API Reference, "Authenticating requests: using query parameters", GET object example.
    static let presignedQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

    static func presignedRequest() -> SigV4Request {
        SigV4Request(method: "GET", rawPath: "/test.txt", rawQuery: presignedQuery, headers: [("host", "examplebucket.s3.amazonaws.com")], body: [])
    }

    static let s3Lookup: @Sendable (String, String?) async throws -> SigV4Secret<String>? = { id, _ in
        id == s3Key.0 ? SigV4Secret(secretAccessKey: s3Key.1, principal: "s3") : nil
    }

    @Test func publishedPresignedURLVerifies() async throws {
        let verifier = SigV4Verifier(clock: FixedWallClock(Date(timeIntervalSince1970: 1_369_353_600 + 3600)))
        let result = try await verifier.verify(Self.presignedRequest(), lookup: Self.s3Lookup)
        #expect(result.presigned)
        #expect(result.service == "s3")
    }

    @Test func presignedURLExpires() async throws {
        let verifier = SigV4Verifier(clock: FixedWallClock(Date(timeIntervalSince1970: 1_369_353_600 + 86_401)))
        let error = await #expect(throws: WireError.self) { _ = try await verifier.verify(Self.presignedRequest(), lookup: Self.s3Lookup) }
        #expect(error?.code == .signatureExpired)
        #expect(error?.message.hasPrefix("Signature expired: 20130524T000000Z is now earlier than") == true)
    }
}
