import Crypto
import Foundation
import Testing
@testable import CofferS3Wire

/// AWS's published examples:
/// - S3 API Reference, "Signature Calculations for the Authorization Header: Transferring
///   Payload in Multiple Chunks (Chunked Upload)" (API/sigv4-streaming.html), "Example: PUT Object":
///   66,560 bytes of 'a' in a 64 KiB chunk, a 1 KiB chunk and the final empty chunk.
/// - S3 API Reference, "Signature calculations for trailing headers (chunked uploads)"
///   (API/sigv4-streaming-trailers.html): the same object with an `x-amz-checksum-crc32c`
///   trailer and `x-amz-trailer-signature`.
/// Credentials AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY,
/// timestamp 20130524T000000Z, scope 20130524/us-east-1/s3/aws4_request.
/// The signature values below are the documented ones (test data).
@Suite("AWS documentation examples")
struct AWSExampleTests {
    static let payload = [UInt8](repeating: 0x61, count: 66_560)

    // sigv4-streaming
    static let seed = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    static let chunkSignatures = [
        "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
        "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
        "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
    ]

    // sigv4-streaming-trailers
    static let trailerSeed = "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"
    static let trailerChunkSignatures = [
        "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2",
        "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7",
        "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992",
    ]
    static let trailerSignature = "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435"

    static func body(signatures: [String], trailer: [String]? = nil, blankBeforeTrailer: Bool = false,
                     payload: [UInt8] = payload) -> [UInt8] {
        var out: [UInt8] = []
        out += Array("10000;chunk-signature=\(signatures[0])\r\n".utf8) + payload[0..<65_536] + [13, 10]
        out += Array("400;chunk-signature=\(signatures[1])\r\n".utf8) + payload[65_536...] + [13, 10]
        out += Array("0;chunk-signature=\(signatures[2])\r\n".utf8)
        if let trailer {
            if blankBeforeTrailer { out += [13, 10] }
            for line in trailer { out += Array("\(line)\r\n".utf8) }
        }
        out += [13, 10]
        return out
    }

    static func signedDecoder(seed: String = seed) throws -> AWSChunkedDecoder {
        try AWSChunkedDecoder(
            contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", decodedContentLength: "66560", trailer: nil,
            signing: try AWSExample.context(seed: seed))
    }

    static func trailerDecoder() throws -> AWSChunkedDecoder {
        try AWSChunkedDecoder(
            contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", decodedContentLength: "66560",
            trailer: "x-amz-checksum-crc32c", signing: try AWSExample.context(seed: trailerSeed))
    }

    @Test func everyDocumentedChunkSignatureIsReproduced() throws {
        for (seed, sigs) in [(Self.seed, Self.chunkSignatures), (Self.trailerSeed, Self.trailerChunkSignatures)] {
            let ctx = try AWSExample.context(seed: seed)
            var previous = seed
            for (i, data) in [Array(Self.payload[0..<65_536]), Array(Self.payload[65_536...]), []].enumerated() {
                let sig = SigV4.chunkSignature(context: ctx, previousSignature: previous,
                                               chunkSHA256Hex: sha256Hex(data))
                #expect(sig == sigs[i], "chunk \(i) after seed \(seed.prefix(8))")
                previous = sig
            }
        }
        let ctx = try AWSExample.context(seed: Self.trailerSeed)
        let t = SigV4.trailerSignature(context: ctx, previousSignature: Self.trailerChunkSignatures[2],
                                       canonicalTrailers: "x-amz-checksum-crc32c:sOO8/Q==\n")
        #expect(t == Self.trailerSignature)
    }

    @Test(arguments: [Int.max, 1, 2, 7, 97, 4096, 65_535, 65_536, 65_537])
    func signedExampleDecodes(step: Int) throws {
        let (out, result) = try decode(Self.body(signatures: Self.chunkSignatures), step: step, make: { try Self.signedDecoder() })
        #expect(sha256Hex(out) == sha256Hex(Self.payload))
        #expect(result.decodedLength == 66_560)
        #expect(result.chunkCount == 3)
        #expect(result.trailers.isEmpty)
        #expect(result.checksum == nil)
    }

    @Test(arguments: [Int.max, 1, 13, 65_600])
    func signedTrailerExampleDecodes(step: Int) throws {
        let trailer = ["x-amz-checksum-crc32c:sOO8/Q==", "x-amz-trailer-signature:\(Self.trailerSignature)"]
        for blank in [false, true] {
            let body = Self.body(signatures: Self.trailerChunkSignatures, trailer: trailer, blankBeforeTrailer: blank)
            let (out, result) = try decode(body, step: step, make: Self.trailerDecoder)
            #expect(sha256Hex(out) == sha256Hex(Self.payload))
            #expect(result.trailers == ["x-amz-checksum-crc32c": "sOO8/Q=="])
            #expect(result.checksumAlgorithm == .crc32c)
            #expect(result.checksum == "sOO8/Q==")
        }
    }

    @Test func flippedPayloadByteFailsSignature() {
        for (position, chunk) in [(0, 0), (65_535, 0), (65_536, 1), (66_559, 1)] {
            var p = Self.payload
            p[position] = 0x62
            let body = Self.body(signatures: Self.chunkSignatures, payload: p)
            #expect(decodingError(body, make: { try Self.signedDecoder() }) == .chunkSignatureMismatch(chunkIndex: chunk))
        }
    }

    @Test func wrongSeedOrSwappedSignaturesFail() {
        let other = String(Self.seed.reversed())
        #expect(decodingError(Self.body(signatures: Self.chunkSignatures), make: { try Self.signedDecoder(seed: other) })
            == .chunkSignatureMismatch(chunkIndex: 0))
        var swapped = Self.chunkSignatures
        swapped.swapAt(1, 2)
        #expect(decodingError(Self.body(signatures: swapped), make: { try Self.signedDecoder() }) == .chunkSignatureMismatch(chunkIndex: 1))
        // Uppercase hex of the right signature still verifies (same bytes).
        let upper = Self.chunkSignatures.map { $0.uppercased() }
        #expect(decodingError(Self.body(signatures: upper), make: { try Self.signedDecoder() }) == nil)
    }

    @Test func tamperedSignedTrailerFails() {
        let sig = "x-amz-trailer-signature:\(Self.trailerSignature)"
        let changedValue = Self.body(signatures: Self.trailerChunkSignatures, trailer: ["x-amz-checksum-crc32c:sOO8/A==", sig])
        #expect(decodingError(changedValue, make: Self.trailerDecoder) == .trailerSignatureMismatch)
        let noSignature = Self.body(signatures: Self.trailerChunkSignatures, trailer: ["x-amz-checksum-crc32c:sOO8/Q=="])
        #expect(decodingError(noSignature, make: Self.trailerDecoder) == .missingTrailerSignature)
        let noChecksum = Self.body(signatures: Self.trailerChunkSignatures, trailer: [sig])
        #expect(decodingError(noChecksum, make: Self.trailerDecoder) == .trailerSignatureMismatch)
        var p = Self.payload
        p[100] = 0
        let flipped = Self.body(signatures: Self.trailerChunkSignatures,
                                trailer: ["x-amz-checksum-crc32c:sOO8/Q==", sig], payload: p)
        #expect(decodingError(flipped, make: Self.trailerDecoder) == .chunkSignatureMismatch(chunkIndex: 0))
    }

    @Test func signedTrailerWithCorrectSignatureButWrongChecksum() throws {
        // A client that signs a wrong checksum: the signature verifies, the checksum check must not.
        let ctx = try AWSExample.context(seed: Self.trailerSeed)
        let body = BodyBuilder.signed(Self.payload, chunkSize: 65_536, context: ctx,
                                      trailers: [("x-amz-checksum-crc32c", "AAAAAA==")])
        #expect(decodingError(body, make: Self.trailerDecoder)
            == .checksumMismatch(algorithm: .crc32c, expected: "AAAAAA==", computed: "sOO8/Q=="))
        // The builder reproduces the documented body exactly.
        let good = BodyBuilder.signed(Self.payload, chunkSize: 65_536, context: ctx,
                                      trailers: [("x-amz-checksum-crc32c", "sOO8/Q==")])
        #expect(sha256Hex(good) == sha256Hex(Self.body(signatures: Self.trailerChunkSignatures,
                                  trailer: ["x-amz-checksum-crc32c:sOO8/Q==", "x-amz-trailer-signature:\(Self.trailerSignature)"])))
    }

    @Test func decodedLengthMismatch() {
        for (declared, err) in [("66559", AWSChunkedError.decodedLengthMismatch(expected: 66_559, actual: 66_560)),
                                ("66561", .decodedLengthMismatch(expected: 66_561, actual: 66_560)),
                                ("0", .decodedLengthMismatch(expected: 0, actual: 65_536))] {
            let got = decodingError(Self.body(signatures: Self.chunkSignatures)) {
                try AWSChunkedDecoder(contentSHA256: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", decodedContentLength: declared,
                                      trailer: nil, signing: try AWSExample.context(seed: Self.seed))
            }
            #expect(got == err, "declared \(declared)")
        }
    }

    @Test func signedModeRejectsUnsignedFraming() {
        let unsigned = BodyBuilder.unsigned(Self.payload, chunkSize: 65_536, trailers: [])
        #expect(decodingError(unsigned, make: { try Self.signedDecoder() }) == .malformedChunkHeader("missing chunk-signature"))
    }

    @Test func signedModeRejectsTrailers() {
        let body = Self.body(signatures: Self.chunkSignatures, trailer: ["x-amz-checksum-crc32c:sOO8/Q=="])
        #expect(decodingError(body, make: { try Self.signedDecoder() }) == .unexpectedTrailer("x-amz-checksum-crc32c"))
    }
}
