import CofferCore
@testable import CofferWire
import Foundation
import Testing

/// How verification fails for missing, malformed, unknown, skewed and mis-scoped requests.
struct SigV4FailureTests {
    typealias Examples = SigV4PublishedExamplesTests
    let example = Examples.examples[0]

    func verify(_ request: SigV4Request, at date: String? = nil, expectedService: String? = nil) async throws -> SigV4Authentication<String> {
        let verifier = SigV4Verifier(clock: Examples.clock(date ?? example.date))
        return try await verifier.verify(request, expectedService: expectedService, lookup: Examples.lookup(example))
    }

    func code(of body: () async throws -> Void) async -> WireError.Code? {
        do {
            try await body()
            return nil
        } catch let error as WireError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func missingAuthorizationIsMissingAuthenticationToken() async {
        var request = Examples.request(example)
        request.headers.removeAll { $0.name == "authorization" }
        #expect(await code { _ = try await verify(request) } == .missingAuthenticationToken)
    }

    @Test(arguments: [
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1, SignedHeaders=host;x-amz-date, Signature=abc",
        "AWS3 Credential=x",
        "garbage",
    ])
    func malformedAuthorizationIsIncompleteSignature(_ header: String) async {
        var request = Examples.request(example)
        request.headers = request.headers.map { $0.name == "authorization" ? ($0.name, header) : $0 }
        #expect(await code { _ = try await verify(request) } == .incompleteSignature)
    }

    @Test func missingDateIsIncompleteSignature() async {
        var request = Examples.request(example)
        request.headers.removeAll { $0.name == "x-amz-date" }
        #expect(await code { _ = try await verify(request) } == .incompleteSignature)
    }

    @Test func unknownAccessKeyIsUnrecognizedClient() async {
        let request = Examples.request(example)
        let verifier = SigV4Verifier(clock: Examples.clock(example.date))
        let result = await code { _ = try await verifier.verify(request) { _, _ -> SigV4Secret<String>? in nil } }
        #expect(result == .unrecognizedClient)
    }

    @Test(arguments: ["20150830T121059Z", "20150830T130101Z"])
    func requestsOutsideFifteenMinutesExpire(_ now: String) async {
        #expect(await code { _ = try await verify(Examples.request(example), at: now) } == .signatureExpired)
    }

    @Test(arguments: ["20150830T122100Z", "20150830T125100Z"])
    func requestsWithinFifteenMinutesPass(_ now: String) async throws {
        _ = try await verify(Examples.request(example), at: now)
    }

    @Test func wrongServiceScopeIsRejected() async {
        #expect(await code { _ = try await verify(Examples.request(example), expectedService: "kms") } == .invalidSignature)
    }

    @Test func scopeDateMustMatchRequestDate() async {
        var request = Examples.request(example)
        request.headers = request.headers.map { $0.name == "x-amz-date" ? ($0.name, "20150831T000000Z") : $0 }
        #expect(await code { _ = try await verify(request, at: "20150831T000000Z") } == .invalidSignature)
    }

    @Test func hostMustBeSigned() async {
        var request = Examples.request(example)
        request.headers = request.headers.map {
            $0.name == "authorization" ? ($0.name, $0.value.replacingOccurrences(of: "SignedHeaders=host;x-amz-date", with: "SignedHeaders=x-amz-date")) : $0
        }
        #expect(await code { _ = try await verify(request) } == .incompleteSignature)
    }

    @Test func declaredPayloadHashMustMatchTheBody() async {
        var request = Examples.request(Examples.examples[2])
        request.headers.append(("x-amz-content-sha256", String(repeating: "0", count: 64)))
        let verifier = SigV4Verifier(clock: Examples.clock(example.date))
        let result = await code { _ = try await verifier.verify(request, lookup: Examples.lookup(Examples.examples[2])) }
        #expect(result == .contentSHA256Mismatch)
    }

    @Test func unsignedPayloadIsOnlyForS3() async {
        var request = Examples.request(example)
        request.headers.append(("x-amz-content-sha256", "UNSIGNED-PAYLOAD"))
        #expect(await code { _ = try await verify(request) } == .invalidSignature)
    }

    @Test func sessionTokenReachesTheLookup() async throws {
        var request = Examples.request(example)
        request.headers.append(("x-amz-security-token", "token-1"))
        let verifier = SigV4Verifier(clock: Examples.clock(example.date))
        let result = await code {
            _ = try await verifier.verify(request) { _, token -> SigV4Secret<String>? in token == "token-1" ? nil : SigV4Secret(secretAccessKey: "", principal: "") }
        }
        #expect(result == .unrecognizedClient)
    }

    @Test func amzDateRoundTrips() {
        #expect(AmzDate.parse("20150830T123600Z") == 1_440_938_160)
        #expect(AmzDate.format(1_440_938_160) == "20150830T123600Z")
        #expect(AmzDate.parse("2015-08-30T12:36:00Z") == nil)
        #expect(AmzDate.parse("20151330T123600Z") == nil)
    }

    @Test func canonicalURIEncodesTwiceExceptForS3() {
        #expect(SigV4Encoding.canonicalURI(rawPath: "/a%20b/./c/../d", service: "kms") == "/a%2520b/d")
        #expect(SigV4Encoding.canonicalURI(rawPath: "/a%20b/./c", service: "s3") == "/a%20b/./c")
        #expect(SigV4Encoding.canonicalURI(rawPath: "", service: "kms") == "/")
    }

    @Test func canonicalQuerySortsAndEncodes() {
        let parameters = SigV4Encoding.parseQuery("b=2&a=%7e+x&a=1&c")
        #expect(SigV4Encoding.canonicalQuery(parameters) == "a=1&a=~%2Bx&b=2&c=")
    }
}
