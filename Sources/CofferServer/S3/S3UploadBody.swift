import CofferCore
import CofferS3
import CofferS3Wire
import CofferWire
import Crypto
import HTTPTypes
import Hummingbird
import NIOCore

/// Streams an upload's body as S3 clients send it (plain, or `aws-chunked` with signed chunks and
/// trailers) and hands the payload on in pieces, checking on the way every digest the request
/// declares: `x-amz-content-sha256`, `Content-MD5`, and an `x-amz-checksum-*` header or trailer.
/// Nothing handed on is trustworthy until `stream` returns: the caller stages it and commits after.
struct S3UploadBody {
    /// The payload's length and its checksum (when the request declared an algorithm).
    struct Outcome {
        var length: Int
        var checksum: (algorithm: ChecksumAlgorithm, value: String)?
    }

    /// S3's single-PUT limit.
    static let maximumObjectSize = 5 * 1024 * 1024 * 1024

    static func stream(
        _ body: RequestBody, headers: HTTPFields, signing: SigV4ChunkSigningContext?, sink: ([UInt8]) throws -> Void
    ) async throws -> Outcome {
        let contentSHA256 = headers[.amzContentSHA256]
        let chunked = contentSHA256?.hasPrefix("STREAMING-") == true
        // S3 needs the length up front: Content-Length, or for aws-chunked bodies the decoded length.
        guard headers[.contentLength] != nil || headers[.amzDecodedContentLength] != nil else {
            throw S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.")
        }
        if let declared = headers[.contentLength].flatMap(Int.init), declared > maximumObjectSize + (chunked ? 64 << 20 : 0) {
            throw S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
        }
        let headerChecksum = try Self.headerChecksum(headers)
        var md5: ContentMD5Verifier?
        if let value = headers[.contentMD5] {
            do { md5 = try ContentMD5Verifier(headerValue: value) } catch { throw S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.") }
        }
        var staged: [UInt8] = []
        staged.reserveCapacity(Self.stageSize)
        var length = 0
        /// Hands on what is staged (all of it when `force`, otherwise once a stage is full).
        func flush(force: Bool) throws {
            guard staged.count >= (force ? 1 : Self.stageSize) else { return }
            length += staged.count
            try sink(staged)
            staged.removeAll(keepingCapacity: true)
        }

        if chunked, let contentSHA256 {
            var decoder: AWSChunkedDecoder
            do {
                decoder = try AWSChunkedDecoder(
                    contentSHA256: contentSHA256, decodedContentLength: headers[.amzDecodedContentLength], trailer: headers[.amzTrailer],
                    signing: signing, headerChecksum: headerChecksum.map { AWSChunkedDecoder.HeaderChecksum(algorithm: $0.algorithm, value: $0.value) }
                )
            } catch {
                throw Self.s3Error(error)
            }
            if let declared = headers[.amzDecodedContentLength].flatMap(Int.init), declared > maximumObjectSize {
                throw S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            }
            for try await buffer in body {
                var failure: (any Error)?
                buffer.withUnsafeReadableBytes { raw in
                    do throws(AWSChunkedError) {
                        try decoder.feed(raw) { payload in
                            md5?.update(payload)
                            staged.append(contentsOf: payload)
                        }
                    } catch {
                        failure = Self.s3Error(error)
                    }
                }
                if let failure { throw failure }
                try flush(force: false)
            }
            try flush(force: true)
            let result: AWSChunkedResult
            do { result = try decoder.finish() } catch { throw Self.s3Error(error) }
            try md5?.check()
            return Outcome(length: length, checksum: zip(result.checksumAlgorithm, result.checksum))
        }

        var sha256: SHA256? = contentSHA256.flatMap { $0.utf8.count == 64 ? SHA256() : nil }
        var checksum = headerChecksum.map { ChecksumHasher($0.algorithm) }
        for try await buffer in body {
            buffer.withUnsafeReadableBytes { raw in
                sha256?.update(bufferPointer: raw)
                checksum?.update(raw)
                md5?.update(raw)
                staged.append(contentsOf: raw)
            }
            if length + staged.count > maximumObjectSize { throw S3Error("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size") }
            try flush(force: false)
        }
        try flush(force: true)
        if let sha256, let declared = contentSHA256 {
            let computed = Bytes.hex(sha256.finalize())
            guard Bytes.constantTimeEquals(Array(computed.utf8), Array(declared.lowercased().utf8)) else {
                throw S3Error("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
            }
        }
        try md5?.check()
        if let checksum, let headerChecksum {
            let computed = checksum.finalizeBase64()
            guard computed == headerChecksum.value else {
                throw S3Error("BadDigest", "The \(headerChecksum.algorithm.rawValue) you specified did not match the calculated checksum.")
            }
            return Outcome(length: length, checksum: (headerChecksum.algorithm, computed))
        }
        return Outcome(length: length, checksum: nil)
    }

    /// Payload is handed on in pieces of about this size.
    static let stageSize = 256 * 1024

    /// The one `x-amz-checksum-<algorithm>` header a request may carry, validated.
    static func headerChecksum(_ headers: HTTPFields) throws -> (algorithm: ChecksumAlgorithm, value: String)? {
        var found: (ChecksumAlgorithm, String)?
        for algorithm in ChecksumAlgorithm.allCases {
            guard let name = HTTPField.Name(algorithm.headerName), let value = headers[name] else { continue }
            guard found == nil else {
                throw S3Error.invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
            }
            do { _ = try decodeChecksumValue(value, algorithm: algorithm) } catch {
                throw S3Error.invalidRequest("Value for \(algorithm.headerName) header is invalid.")
            }
            found = (algorithm, value)
        }
        return found
    }

    static func s3Error(_ error: AWSChunkedError) -> S3Error {
        switch error {
        case .chunkSignatureMismatch, .trailerSignatureMismatch, .missingTrailerSignature:
            return S3Error("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
        case .checksumMismatch(let algorithm, _, _):
            return S3Error("BadDigest", "The \(algorithm.rawValue) you specified did not match the calculated checksum.")
        case .missingDecodedContentLength:
            return S3Error("MissingContentLength", "You must provide the Content-Length HTTP header.")
        case .decodedLengthMismatch, .truncatedBody:
            return S3Error("IncompleteBody", "The request body terminated unexpectedly")
        case .unsupportedPayloadMode(let mode):
            return S3Error("NotImplemented", "\(mode) is not supported.")
        case .malformedChecksumValue(let name, _):
            return S3Error.invalidRequest("Value for \(name) trailing header is invalid.")
        default:
            return S3Error.invalidRequest("The aws-chunked request body is malformed: \(error)")
        }
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension ContentMD5Verifier {
    /// Throws S3's BadDigest when the body's MD5 is not the declared one.
    func check() throws {
        do { try verify() } catch { throw S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.") }
    }
}

extension HTTPField.Name {
    static let amzContentSHA256 = HTTPField.Name("x-amz-content-sha256")!  // Invariant: a valid token.
    static let amzDecodedContentLength = HTTPField.Name("x-amz-decoded-content-length")!  // Invariant: a valid token.
    static let amzTrailer = HTTPField.Name("x-amz-trailer")!  // Invariant: a valid token.
    static let contentMD5 = HTTPField.Name("Content-MD5")!  // Invariant: a valid token.
}
