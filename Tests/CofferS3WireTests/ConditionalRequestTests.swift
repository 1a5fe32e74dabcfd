import Foundation
import Testing
@testable import CofferS3Wire

@Suite("Conditional requests")
struct ConditionalRequestTests {
    static let eTag = "\"d41d8cd98f00b204e9800998ecf8427e\""
    /// Last-Modified with a sub-second part: 2026-11-24T19:57:29.250Z.
    static let modified = Date(timeIntervalSince1970: 1_795_550_249.25)
    static let atModified = "Tue, 24 Nov 2026 19:57:29 GMT"
    static let before = "Tue, 24 Nov 2026 19:57:28 GMT"
    static let after = "Tue, 24 Nov 2026 19:57:30 GMT"
    static let other = "\"0123456789abcdef0123456789abcdef\""

    func get(_ request: ConditionalRequest) -> ConditionalOutcome {
        request.evaluate(eTag: Self.eTag, lastModified: Self.modified)
    }

    func copy(_ request: ConditionalRequest) -> ConditionalOutcome {
        request.evaluateCopySource(eTag: Self.eTag, lastModified: Self.modified)
    }

    @Test func noConditions() {
        #expect(ConditionalRequest().isEmpty)
        #expect(ConditionalRequest(ifMatch: " ", ifNoneMatch: "").isEmpty)
        #expect(!ConditionalRequest(ifModifiedSince: "garbage").isEmpty)
        #expect(get(ConditionalRequest()) == .proceed)
        #expect(get(ConditionalRequest(ifMatch: "", ifNoneMatch: "  ")) == .proceed)
    }

    @Test func ifMatch() {
        #expect(get(ConditionalRequest(ifMatch: Self.eTag)) == .proceed)
        #expect(get(ConditionalRequest(ifMatch: "d41d8cd98f00b204e9800998ecf8427e")) == .proceed)  // unquoted
        #expect(get(ConditionalRequest(ifMatch: "W/" + Self.eTag)) == .proceed)                   // weak ignored
        #expect(get(ConditionalRequest(ifMatch: "*")) == .proceed)
        #expect(get(ConditionalRequest(ifMatch: "\(Self.other), \(Self.eTag)")) == .proceed)      // list
        #expect(get(ConditionalRequest(ifMatch: " \(Self.other) ,\t\(Self.eTag)\t")) == .proceed)
        #expect(get(ConditionalRequest(ifMatch: Self.other)) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifMatch: "\"\"")) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifMatch: "\"D41D8CD98F00B204E9800998ECF8427E\"")) == .preconditionFailed)  // case matters
        #expect(ConditionalRequest(ifMatch: "d41d8cd98f00b204e9800998ecf8427e").evaluate(
            eTag: "d41d8cd98f00b204e9800998ecf8427e", lastModified: Self.modified) == .proceed)  // stored unquoted
    }

    @Test func ifNoneMatch() {
        #expect(get(ConditionalRequest(ifNoneMatch: Self.eTag)) == .notModified)
        #expect(get(ConditionalRequest(ifNoneMatch: "W/" + Self.eTag)) == .notModified)
        #expect(get(ConditionalRequest(ifNoneMatch: "*")) == .notModified)
        #expect(get(ConditionalRequest(ifNoneMatch: "\(Self.other), \(Self.eTag)")) == .notModified)
        #expect(get(ConditionalRequest(ifNoneMatch: Self.other)) == .proceed)
        // A quoted comma does not split the list.
        #expect(get(ConditionalRequest(ifNoneMatch: "\"a,\(Self.eTag.dropFirst())")) == .proceed)
    }

    @Test func dates() {
        // Compared at whole seconds: Last-Modified 19:57:29.25 counts as 19:57:29.
        #expect(get(ConditionalRequest(ifModifiedSince: Self.before)) == .proceed)
        #expect(get(ConditionalRequest(ifModifiedSince: Self.atModified)) == .notModified)
        #expect(get(ConditionalRequest(ifModifiedSince: Self.after)) == .notModified)
        #expect(get(ConditionalRequest(ifUnmodifiedSince: Self.before)) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifUnmodifiedSince: Self.atModified)) == .proceed)
        #expect(get(ConditionalRequest(ifUnmodifiedSince: Self.after)) == .proceed)
        // The other HTTP-date forms and ISO 8601.
        #expect(get(ConditionalRequest(ifModifiedSince: "Tuesday, 24-Nov-26 19:57:29 GMT")) == .notModified)
        #expect(get(ConditionalRequest(ifModifiedSince: "Tue Nov 24 19:57:28 2026")) == .proceed)
        #expect(get(ConditionalRequest(ifModifiedSince: "2026-11-24T19:57:29.999Z")) == .notModified)
        #expect(get(ConditionalRequest(ifUnmodifiedSince: "2026-11-24T19:57:28Z")) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifModifiedSince: " \(Self.atModified) ")) == .notModified)
    }

    @Test(arguments: ["garbage", "Tue, 24 Nov 2026", "1795550249", "Tue, 31 Nov 2026 19:57:29 GMT", ""])
    func unparseableDatesAreIgnored(_ text: String) {
        #expect(get(ConditionalRequest(ifModifiedSince: text)) == .proceed)
        #expect(get(ConditionalRequest(ifUnmodifiedSince: text)) == .proceed)
        #expect(copy(ConditionalRequest(ifModifiedSince: text, ifUnmodifiedSince: text)) == .proceed)
    }

    /// S3's documented combinations, and RFC 9110's order for the rest.
    @Test func precedence() {
        // If-Match true and If-Unmodified-Since false: 200.
        #expect(get(ConditionalRequest(ifMatch: Self.eTag, ifUnmodifiedSince: Self.before)) == .proceed)
        // If-Match false wins whatever the date says.
        #expect(get(ConditionalRequest(ifMatch: Self.other, ifUnmodifiedSince: Self.after)) == .preconditionFailed)
        // If-None-Match false and If-Modified-Since true: 304.
        #expect(get(ConditionalRequest(ifNoneMatch: Self.eTag, ifModifiedSince: Self.before)) == .notModified)
        // If-None-Match true decides alone: If-Modified-Since is not consulted.
        #expect(get(ConditionalRequest(ifNoneMatch: Self.other, ifModifiedSince: Self.after)) == .proceed)
        // 412 from the first pair comes before 304 from the second.
        #expect(get(ConditionalRequest(ifMatch: Self.other, ifNoneMatch: Self.eTag)) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifNoneMatch: Self.eTag, ifUnmodifiedSince: Self.before)) == .preconditionFailed)
        #expect(get(ConditionalRequest(ifMatch: Self.eTag, ifNoneMatch: Self.eTag)) == .notModified)
        #expect(get(ConditionalRequest(ifModifiedSince: Self.after, ifUnmodifiedSince: Self.after)) == .notModified)
        #expect(get(ConditionalRequest(ifMatch: "*", ifNoneMatch: Self.other, ifModifiedSince: Self.before,
                                       ifUnmodifiedSince: Self.after)) == .proceed)
    }

    @Test func copySourceNeverAnswers304() {
        #expect(copy(ConditionalRequest()) == .proceed)
        #expect(copy(ConditionalRequest(ifMatch: Self.eTag)) == .proceed)
        #expect(copy(ConditionalRequest(ifMatch: Self.other)) == .preconditionFailed)
        #expect(copy(ConditionalRequest(ifNoneMatch: Self.eTag)) == .preconditionFailed)
        #expect(copy(ConditionalRequest(ifNoneMatch: "*")) == .preconditionFailed)
        #expect(copy(ConditionalRequest(ifNoneMatch: Self.other)) == .proceed)
        #expect(copy(ConditionalRequest(ifModifiedSince: Self.atModified)) == .preconditionFailed)
        #expect(copy(ConditionalRequest(ifModifiedSince: Self.before)) == .proceed)
        #expect(copy(ConditionalRequest(ifUnmodifiedSince: Self.before)) == .preconditionFailed)
        // CopyObject's documented pairs.
        #expect(copy(ConditionalRequest(ifMatch: Self.eTag, ifUnmodifiedSince: Self.before)) == .proceed)
        #expect(copy(ConditionalRequest(ifNoneMatch: Self.eTag, ifModifiedSince: Self.before)) == .preconditionFailed)
    }

    @Test func eTagListMatching() {
        #expect(ConditionalRequest.eTagListMatches("\"a\", W/\"b\", c", eTag: "b"))
        #expect(ConditionalRequest.eTagListMatches("\"a\", W/\"b\", c", eTag: "\"c\""))
        #expect(!ConditionalRequest.eTagListMatches("\"a\", W/\"b\", c", eTag: "d"))
        #expect(!ConditionalRequest.eTagListMatches(",,", eTag: ""))
        #expect(ConditionalRequest.eTagListMatches("\"abc-3\"", eTag: "\"abc-3\""))  // multipart ETag
        #expect(!ConditionalRequest.eTagListMatches("\"abc\"", eTag: "\"abc-3\""))
        #expect(ConditionalRequest.listMembers(" \"a,b\" , c ,, ").map(String.init) == ["\"a,b\"", "c"])
    }
}
