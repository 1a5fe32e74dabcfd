import Crypto
import Foundation
import Testing
@testable import CofferS3Wire

@Suite("Hostile and malformed input")
struct HostileInputTests {
    static func unsignedDecoder(length: String = "3", trailer: String? = "x-amz-checksum-crc32",
                                limits: AWSChunkedDecoder.Limits = .init()) -> () throws -> AWSChunkedDecoder {
        { try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: length,
                                trailer: trailer, limits: limits) }
    }

    static let abc = Array("abc".utf8)
    static var crc: String { ChecksumAlgorithm.crc32.base64Checksum(of: abc) }

    @Test func wellFormedBaseline() throws {
        let body = BodyBuilder.unsigned(Self.abc, chunkSize: 2, trailers: [("x-amz-checksum-crc32", Self.crc)])
        let (out, result) = try decode(body, step: 1, make: Self.unsignedDecoder())
        #expect(sha256Hex(out) == sha256Hex(Self.abc))
        #expect(result.chunkCount == 3)
        #expect(result.trailers == ["x-amz-checksum-crc32": Self.crc])
    }

    @Test func unsupportedAndInvalidModes() {
        for ecdsa in ["STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"] {
            #expect(throws: AWSChunkedError.unsupportedPayloadMode(ecdsa)) {
                try AWSChunkedDecoder(contentSHA256: ecdsa, decodedContentLength: "1", trailer: nil)
            }
        }
        for other in ["UNSIGNED-PAYLOAD", SigV4.emptySHA256Hex, "streaming-unsigned-payload-trailer", ""] {
            #expect(throws: AWSChunkedError.notAStreamingPayload(other)) {
                try AWSChunkedDecoder(contentSHA256: other, decodedContentLength: "1", trailer: nil)
            }
        }
        #expect(throws: AWSChunkedError.missingSigningContext) {
            try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", decodedContentLength: "1", trailer: nil)
        }
        #expect(throws: AWSChunkedError.missingDecodedContentLength) {
            try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: nil, trailer: nil)
        }
        #expect(throws: AWSChunkedError.malformedSignature("seed signature is not 64 hex digits")) {
            try SigV4ChunkSigningContext(signingKeyBytes: [1], timestamp: "t", credentialScope: "s", seedSignature: "abc")
        }
    }

    @Test(arguments: ["", "-1", "+1", "1e3", " 1", "1 ", "0x10", "18446744073709551616", "99999999999999999999", "١"])
    func invalidDecodedContentLength(_ text: String) {
        #expect(throws: AWSChunkedError.invalidDecodedContentLength(text)) {
            try AWSChunkedDecoder.parseDecodedContentLength(text)
        }
    }

    @Test func trailerDeclarations() {
        let mode = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
        #expect(throws: AWSChunkedError.unsupportedChecksumTrailer("x-amz-checksum-md5")) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1", trailer: "x-amz-checksum-md5")
        }
        #expect(throws: AWSChunkedError.invalidTrailerDeclaration("more than one checksum trailer")) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1", trailer: "x-amz-checksum-crc32, x-amz-checksum-sha1")
        }
        #expect(throws: AWSChunkedError.invalidTrailerDeclaration("duplicate x-amz-checksum-crc32")) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1", trailer: "x-amz-checksum-crc32,X-Amz-Checksum-CRC32")
        }
        #expect(throws: AWSChunkedError.invalidTrailerDeclaration("a,,b")) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1", trailer: "a,,b")
        }
        #expect(throws: AWSChunkedError.invalidTrailerDeclaration("bad name")) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1", trailer: "bad name")
        }
        #expect(throws: AWSChunkedError.tooManyTrailers(limit: 8)) {
            try AWSChunkedDecoder(contentSHA256: mode, decodedContentLength: "1",
                                  trailer: (0..<9).map { "x-t\($0)" }.joined(separator: ","))
        }
    }

    @Test func chunkHeaderLimits() {
        let long = Array(String(repeating: "0", count: 300).utf8) + Array("3\r\nabc\r\n".utf8)
        #expect(decodingError(long, step: 7, make: Self.unsignedDecoder()) == .chunkHeaderTooLong(limit: 256))
        var small = AWSChunkedDecoder.Limits()
        small.maxChunkSize = 2
        let body = BodyBuilder.unsigned(Self.abc, chunkSize: 3, trailers: [("x-amz-checksum-crc32", Self.crc)])
        #expect(decodingError(body, make: Self.unsignedDecoder(limits: small)) == .chunkTooLarge(size: 3, limit: 2))
        // Leading zeros are fine as long as the line fits.
        let zeros = Array("0000000000000003\r\nabc\r\n0\r\nx-amz-checksum-crc32:\(Self.crc)\r\n\r\n".utf8)
        #expect(decodingError(zeros, make: Self.unsignedDecoder()) == nil)
    }

    @Test func lineEndings() {
        let crc = Self.crc
        let cases: [(String, AWSChunkedError)] = [
            ("3\nabc\r\n0\r\n\r\n", .malformedChunkHeader("bare LF")),
            ("3\rxabc\r\n0\r\n\r\n", .malformedChunkHeader("CR not followed by LF")),
            ("3\r\nabc\n0\r\n\r\n", .missingCRLFAfterChunkData(chunkIndex: 0)),
            ("3\r\nabcX\r\n0\r\n\r\n", .missingCRLFAfterChunkData(chunkIndex: 0)),
            ("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:\(crc)\n\r\n", .malformedTrailer("bare LF")),
            ("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:\(crc)\r\n\r\nX", .dataAfterEnd),
        ]
        for (text, err) in cases {
            #expect(decodingError(Array(text.utf8), make: Self.unsignedDecoder()) == err, "\(text.debugDescription)")
            #expect(decodingError(Array(text.utf8), step: 1, make: Self.unsignedDecoder()) == err, "\(text.debugDescription)")
        }
    }

    @Test func trailerProblems() {
        let crc = Self.crc
        let head = "3\r\nabc\r\n0\r\n"
        let cases: [(String, AWSChunkedError)] = [
            ("no-colon\r\n\r\n", .malformedTrailer("missing ':' in no-colon")),
            (":value\r\n\r\n", .malformedTrailer("bad trailer name ")),
            ("bad name:v\r\n\r\n", .malformedTrailer("bad trailer name bad name")),
            ("x-amz-checksum-crc32:\(crc)\r\nx-amz-checksum-crc32:\(crc)\r\n\r\n", .duplicateTrailer("x-amz-checksum-crc32")),
            ("x-amz-checksum-crc32:\(crc)\r\nx-other:1\r\n\r\n", .unexpectedTrailer("x-other")),
            ("x-amz-checksum-sha256:\(crc)\r\n\r\n", .unexpectedTrailer("x-amz-checksum-sha256")),
            ("\r\n", .missingTrailer("x-amz-checksum-crc32")),
            ("x-amz-checksum-crc32:\(crc)\r\nx-amz-trailer-signature:\(String(repeating: "0", count: 64))\r\n\r\n",
             .unexpectedTrailer("x-amz-trailer-signature")),
            ("x-amz-checksum-crc32:\u{7}\r\n\r\n", .malformedTrailer("non-printable value for x-amz-checksum-crc32")),
        ]
        for (tail, err) in cases {
            #expect(decodingError(Array((head + tail).utf8), make: Self.unsignedDecoder()) == err, "\(tail.debugDescription)")
        }
        // Case-insensitive names and surrounding blanks are normalised.
        let relaxed = Array((head + "X-Amz-Checksum-CRC32:  \(crc) \r\n\r\n").utf8)
        #expect(decodingError(relaxed, make: Self.unsignedDecoder()) == nil)
    }

    @Test func trailerSizeLimits() {
        var limits = AWSChunkedDecoder.Limits()
        limits.maxTrailerLineLength = 40
        let head = "3\r\nabc\r\n0\r\n"
        let longLine = Array((head + "x-amz-checksum-crc32:" + String(repeating: "A", count: 50) + "\r\n\r\n").utf8)
        #expect(decodingError(longLine, make: Self.unsignedDecoder(limits: limits)) == .trailerLineTooLong(limit: 40))

        var section = AWSChunkedDecoder.Limits()
        section.maxTrailerSectionBytes = 100
        section.maxTrailerCount = 100
        let names = (0..<20).map { "x-t\($0)" }
        let many = Array((head + names.map { "\($0):0123456789\r\n" }.joined() + "\r\n").utf8)
        #expect(decodingError(many, make: Self.unsignedDecoder(trailer: names.joined(separator: ","), limits: section))
            == .trailerSectionTooLarge(limit: 100))
        // An endless stream of trailer bytes is cut off at the limit, not buffered.
        var endless = Array(head.utf8)
        endless += [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(decodingError(endless, step: 4096, make: Self.unsignedDecoder()) == .trailerLineTooLong(limit: 1024))
    }

    @Test func errorsAreSticky() throws {
        var d = try Self.unsignedDecoder()()
        #expect(throws: AWSChunkedError.invalidChunkSize("z")) { try d.feed(Array("z\r\n".utf8)) }
        #expect(throws: AWSChunkedError.invalidChunkSize("z")) { try d.feed(Array("3\r\nabc".utf8)) }
        #expect(throws: AWSChunkedError.invalidChunkSize("z")) { try d.finish() }
    }

    @Test func headerChecksumWithSignedBody() throws {
        let ctx = try AWSExample.context(seed: String(repeating: "ab", count: 32))
        let payload = Array("hello, chunked world".utf8)
        let body = BodyBuilder.signed(payload, chunkSize: 8, context: ctx)
        let good = ChecksumAlgorithm.sha256.base64Checksum(of: payload)
        let make = { (value: String) in
            { try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", decodedContentLength: "\(payload.count)",
                                    trailer: nil, signing: ctx,
                                    headerChecksum: .init(algorithm: .sha256, value: value)) }
        }
        let (out, result) = try decode(body, step: 3, make: make(good))
        #expect(sha256Hex(out) == sha256Hex(payload))
        #expect(result.checksum == good)
        let other = ChecksumAlgorithm.sha256.base64Checksum(of: [])
        #expect(decodingError(body, make: make(other)) == .checksumMismatch(algorithm: .sha256, expected: other, computed: good))
    }

    @Test func signedBuilderRoundTripsManySizes() throws {
        let ctx = try AWSExample.context(seed: String(repeating: "0f", count: 32))
        var rng = SplitMix64(state: 5)
        for size in [0, 1, 8191, 8192, 8193, 70_000] {
            let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let crc = ChecksumAlgorithm.crc64nvme.base64Checksum(of: payload)
            let body = BodyBuilder.signed(payload, chunkSize: 8192, context: ctx, trailers: [("x-amz-checksum-crc64nvme", crc)])
            let (out, result) = try decode(body, step: 1000) {
                try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                                      decodedContentLength: "\(size)", trailer: "x-amz-checksum-crc64nvme", signing: ctx)
            }
            #expect(sha256Hex(out) == sha256Hex(payload))
            #expect(result.trailers == ["x-amz-checksum-crc64nvme": crc])
        }
    }

    /// Random mutations of valid bodies: the decoder must never crash, and must never
    /// accept a body whose payload differs from the original.
    @Test func mutationFuzz() throws {
        let ctx = try AWSExample.context(seed: String(repeating: "1e", count: 32))
        let payload = Array("The quick brown fox jumps over the lazy dog, again and again.".utf8)
        let crc = ChecksumAlgorithm.crc32c.base64Checksum(of: payload)
        let signedBody = BodyBuilder.signed(payload, chunkSize: 16, context: ctx, trailers: [("x-amz-checksum-crc32c", crc)])
        let unsignedBody = BodyBuilder.unsigned(payload, chunkSize: 16, trailers: [("x-amz-checksum-crc32c", crc)])
        let makeSigned = {
            try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", decodedContentLength: "\(payload.count)",
                                  trailer: "x-amz-checksum-crc32c", signing: ctx)
        }
        let makeUnsigned = {
            try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: "\(payload.count)",
                                  trailer: "x-amz-checksum-crc32c")
        }
        var rng = SplitMix64(state: 2024)
        var accepted = 0
        for round in 0..<3000 {
            let signed = round % 2 == 0
            var body = signed ? signedBody : unsignedBody
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let i = Int.random(in: 0..<body.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: body[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: body.remove(at: i)
                default: body.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            if let (out, _) = try? decode(body, step: Int.random(in: 1...64, using: &rng), make: signed ? makeSigned : makeUnsigned) {
                accepted += 1
                #expect(sha256Hex(out) == sha256Hex(payload), "round \(round) accepted a different payload")
            }
        }
        // Some mutations are harmless (e.g. hex-digit case in a signature, a leading zero); most must be rejected.
        #expect(accepted < 300)
    }

    @Test func randomGarbageNeverCrashes() throws {
        var rng = SplitMix64(state: 77)
        let ctx = try AWSExample.context(seed: String(repeating: "ee", count: 32))
        for round in 0..<2000 {
            let alphabet = Array("0123456789abcdefABCDEF;=:\r\n-xz chunk-signature".utf8)
            let body = (0..<Int.random(in: 0...200, using: &rng)).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            _ = decodingError(body, step: Int.random(in: 1...16, using: &rng)) {
                round % 2 == 0
                    ? try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: "10",
                                            trailer: "x-amz-checksum-crc32")
                    : try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", decodedContentLength: "10",
                                            trailer: nil, signing: ctx)
            }
        }
    }
}
