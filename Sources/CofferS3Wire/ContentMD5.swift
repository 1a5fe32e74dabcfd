import Crypto
import Foundation

/// Errors for `Content-MD5` verification, named after the S3 error codes they map to.
public enum ContentMD5Error: Error, Sendable, Equatable {
    /// The header is not base64 of exactly 16 bytes (S3: `InvalidDigest`).
    case invalidDigest(String)
    /// The body's MD5 differs from the header (S3: `BadDigest`).
    case badDigest(expected: String, computed: String)
}

/// Incremental `Content-MD5` verifier (RFC 1864: base64 of the 16-byte MD5 of the body).
public struct ContentMD5Verifier: Sendable {
    private let expected: [UInt8]
    private let expectedText: String
    private var md5 = Insecure.MD5()

    /// Validates the header value up front so a malformed header is rejected
    /// before any body byte is read.
    public init(headerValue: String) throws(ContentMD5Error) {
        let trimmed = headerValue.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count == 24, let data = Data(base64Encoded: trimmed), data.count == 16 else {
            throw .invalidDigest(headerValue)
        }
        expected = Array(data)
        expectedText = trimmed
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) { md5.update(bufferPointer: buffer) }
    public mutating func update(_ bytes: [UInt8]) { md5.update(data: bytes) }
    public mutating func update(_ data: Data) { md5.update(data: data) }

    /// Throws `badDigest` when the body does not match.
    public func verify() throws(ContentMD5Error) {
        let computed = Array(md5.finalize())
        guard constantTimeEquals(computed, expected) else {
            throw .badDigest(expected: expectedText, computed: Data(computed).base64EncodedString())
        }
    }

    /// Base64 MD5 of `bytes`, as a client would send it in `Content-MD5`.
    public static func base64MD5(of bytes: [UInt8]) -> String {
        Data(Insecure.MD5.hash(data: bytes)).base64EncodedString()
    }

    /// One-shot check of a whole body.
    public static func verify(headerValue: String, body: [UInt8]) throws(ContentMD5Error) {
        var v = try ContentMD5Verifier(headerValue: headerValue)
        v.update(body)
        try v.verify()
    }
}
