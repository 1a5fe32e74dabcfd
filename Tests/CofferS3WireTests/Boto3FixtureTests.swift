import Crypto
import Foundation
import Testing
@testable import CofferS3Wire

/// Bodies captured from boto3/botocore by scripts/capture_boto3_bodies.py (no network:
/// a before-send hook captured the prepared request). Each fixture stores the body as
/// framing pieces plus payload ranges over a deterministic pattern, and the SHA-256 of
/// the real body; large bodies are rebuilt here at test time and checked against it.
struct Boto3Fixture: Decodable, Sendable {
    struct Piece: Decodable, Sendable {
        var raw: String?
        var payload: [Int]?
    }
    var name: String
    var operation: String
    var requestedAlgorithm: String?
    var headers: [String: String]
    var payloadLength: Int
    var payloadSHA256: String
    var bodyLength: Int
    var bodySHA256: String
    var pieces: [Piece]?
    var bodyBase64: String?

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    func payload() -> [UInt8] { fixturePattern(payloadLength) }

    func body() throws -> [UInt8] {
        if let b64 = bodyBase64 {
            return Array(try #require(Data(base64Encoded: b64)))
        }
        let payload = payload()
        var out: [UInt8] = []
        out.reserveCapacity(bodyLength)
        for piece in try #require(pieces) {
            if let raw = piece.raw {
                out += Array(try #require(Data(base64Encoded: raw)))
            } else {
                let range = try #require(piece.payload)
                try #require(range.count == 2 && range[0] >= 0 && range[1] >= 0 && range[0] + range[1] <= payload.count)
                out += payload[range[0]..<(range[0] + range[1])]
            }
        }
        return out
    }

    func decoder() throws -> AWSChunkedDecoder {
        try AWSChunkedDecoder(
            contentSHA256: try #require(header("x-amz-content-sha256")),
            decodedContentLength: header("x-amz-decoded-content-length"),
            trailer: header("x-amz-trailer"))
    }
}

struct Boto3Fixtures: Decodable {
    var botocore: String
    var fixtures: [Boto3Fixture]

    static let all: [Boto3Fixture] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/boto3_bodies.json")
        guard let data = try? Data(contentsOf: url),
              let doc = try? JSONDecoder().decode(Boto3Fixtures.self, from: data) else { return [] }
        return doc.fixtures
    }()

    static var names: [String] { all.map(\.name) }
    static func named(_ name: String) throws -> Boto3Fixture { try #require(all.first { $0.name == name }) }
}

@Suite("boto3 bodies")
struct Boto3FixtureTests {
    @Test func fixturesArePresentAndCoverTheMatrix() {
        let all = Boto3Fixtures.all
        #expect(all.count >= 20)
        let trailers = Set(all.compactMap { $0.header("x-amz-trailer") })
        #expect(trailers == ["x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1",
                             "x-amz-checksum-sha256", "x-amz-checksum-crc64nvme"])
        #expect(all.contains { $0.operation == "UploadPart" })
        #expect(Set(all.map(\.payloadLength)).isSuperset(of: [0, 1, 8191, 65_536, 1_048_576]))
    }

    @Test(arguments: Boto3Fixtures.names)
    func decodesExactPayloadAndTrailerChecksum(name: String) throws {
        let f = try Boto3Fixtures.named(name)
        let body = try f.body()
        #expect(body.count == f.bodyLength)
        #expect(sha256Hex(body) == f.bodySHA256, "rebuilt body differs from what boto3 produced")
        #expect(f.header("content-encoding")?.contains("aws-chunked") == true)
        #expect(f.header("x-amz-content-sha256") == "STREAMING-UNSIGNED-PAYLOAD-TRAILER")

        let expectedPayload = f.payload()
        #expect(sha256Hex(expectedPayload) == f.payloadSHA256)

        let trailerName = try #require(f.header("x-amz-trailer"))
        let algorithm = try #require(ChecksumAlgorithm(headerName: trailerName))
        if let requested = f.requestedAlgorithm { #expect(algorithm.rawValue == requested) }
        #expect(f.header("x-amz-sdk-checksum-algorithm") == algorithm.rawValue)
        // The checksum recomputed independently of the decoder.
        let recomputed = algorithm.base64Checksum(of: expectedPayload)

        let steps = body.count <= 9000 ? [Int.max, 1, 2, 5, 64] : [Int.max, 4096, 65_537]
        for step in steps {
            let (out, result) = try decode(body, step: step, make: f.decoder)
            #expect(out.count == f.payloadLength)
            #expect(sha256Hex(out) == sha256Hex(expectedPayload), "step \(step)")
            #expect(result.decodedLength == UInt64(f.payloadLength))
            #expect(result.trailers.keys.sorted() == [trailerName])
            #expect(result.trailers[trailerName] == recomputed, "trailer sent by boto3 vs Swift recomputation")
            #expect(result.checksumAlgorithm == algorithm)
            #expect(result.checksum == recomputed)
        }
    }

    @Test(arguments: Boto3Fixtures.names.filter { !$0.contains("-0-") })
    func flippedPayloadByteIsACallerVisibleChecksumMismatch(name: String) throws {
        let f = try Boto3Fixtures.named(name)
        var body = try f.body()
        // First payload byte sits right after the first chunk-size line.
        let firstLF = try #require(body.firstIndex(of: 0x0A))
        body[firstLF + 1] ^= 0x01
        let trailerName = try #require(f.header("x-amz-trailer"))
        let alg = try #require(ChecksumAlgorithm(headerName: trailerName))
        guard case .checksumMismatch(let a, let expected, let computed)? = decodingError(body, make: f.decoder) else {
            Issue.record("expected checksumMismatch")
            return
        }
        #expect(a == alg)
        #expect(expected == alg.base64Checksum(of: f.payload()))
        #expect(computed != expected)
    }

    @Test(arguments: Boto3Fixtures.names.filter { $0.hasSuffix("-bytes") && !$0.contains("-1048") && !$0.contains("-2097") && !$0.contains("-3145") })
    func wrongTrailerChecksum(name: String) throws {
        let f = try Boto3Fixtures.named(name)
        let body = try f.body()
        let text = String(decoding: body.suffix(80), as: UTF8.self)
        let trailerName = try #require(f.header("x-amz-trailer"))
        let alg = try #require(ChecksumAlgorithm(headerName: trailerName))
        let sent = alg.base64Checksum(of: f.payload())
        #expect(text.contains("\(trailerName):\(sent)\r\n\r\n"))
        // Replace the trailer value with the checksum of different data (same shape).
        let wrong = alg.base64Checksum(of: Array("not the payload".utf8))
        let tampered = Array(body.dropLast(sent.utf8.count + 4)) + Array("\(wrong)\r\n\r\n".utf8)
        #expect(decodingError(tampered, make: f.decoder) == .checksumMismatch(algorithm: alg, expected: wrong, computed: sent))
        // A value that is not a valid digest at all.
        let garbage = Array(body.dropLast(sent.utf8.count + 4)) + Array("%%%\r\n\r\n".utf8)
        #expect(decodingError(garbage, make: f.decoder) == .malformedChecksumValue(name: trailerName, value: "%%%"))
        // Dropping the trailer line entirely.
        let trailerLine = Array("\(trailerName):\(sent)\r\n".utf8)
        let missing = Array(body.dropLast(trailerLine.count + 2)) + [13, 10]
        #expect(decodingError(missing, make: f.decoder) == .missingTrailer(trailerName))
    }

    @Test func everyTruncationOfSmallBodiesIsRejected() throws {
        for f in Boto3Fixtures.all where f.bodyLength < 100 {
            let body = try f.body()
            for cut in 0..<body.count {
                let err = decodingError(Array(body[..<cut]), make: f.decoder)
                #expect(err == .truncatedBody, "\(f.name) cut at \(cut)")
            }
            #expect(decodingError(body + [0x30], make: f.decoder) == .dataAfterEnd)
        }
    }

    @Test func truncatedLargeBody() throws {
        let f = try Boto3Fixtures.named("PutObject-3145733-default-bytes")
        let body = try f.body()
        for cut in [1, 100, 1_048_576, 2_000_000, body.count - 3, body.count - 1] {
            #expect(decodingError(Array(body[..<cut]), step: 65_536, make: f.decoder) == .truncatedBody)
        }
    }

    @Test func decodedLengthHeaderMismatch() throws {
        let f = try Boto3Fixtures.named("PutObject-8191-default-bytes")
        let body = try f.body()
        for (declared, err) in [("8190", AWSChunkedError.decodedLengthMismatch(expected: 8190, actual: 8191)),
                                ("8192", .decodedLengthMismatch(expected: 8192, actual: 8191)),
                                ("0", .decodedLengthMismatch(expected: 0, actual: 8191))] {
            let got = decodingError(body) {
                try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: declared,
                                      trailer: f.header("x-amz-trailer"))
            }
            #expect(got == err)
        }
    }

    @Test func badHexSizes() throws {
        let f = try Boto3Fixtures.named("PutObject-1-default-bytes")
        let body = try f.body()  // "1\r\n<byte>\r\n0\r\nx-amz-checksum-crc32:...\r\n\r\n"
        #expect(body.first == UInt8(ascii: "1"))
        let rest = Array(body.dropFirst())
        for (prefix, err) in [("g", AWSChunkedError.invalidChunkSize("g")), ("0x1", .invalidChunkSize("0x1")),
                              (" 1", .invalidChunkSize(" 1")), ("+1", .invalidChunkSize("+1")),
                              ("-1", .invalidChunkSize("-1")), ("", .invalidChunkSize("")),
                              ("10000000000000001", .invalidChunkSize("10000000000000001")),
                              ("2", .decodedLengthMismatch(expected: 1, actual: 2)),
                              ("1;chunk-signature=00", .malformedChunkHeader("chunk extensions are not allowed in STREAMING-UNSIGNED-PAYLOAD-TRAILER")),
                              ("ffffffffffffffff", .chunkTooLarge(size: .max, limit: 64 * 1024 * 1024))] {
            let got = decodingError(Array(prefix.utf8) + rest, make: f.decoder)
            #expect(got == err, "size \(prefix)")
        }
        // Within the size limit but beyond the declared decoded length.
        #expect(decodingError(Array("2".utf8) + rest, make: {
            try AWSChunkedDecoder(contentSHA256: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", decodedContentLength: "5",
                                  trailer: "x-amz-checksum-crc32")
        }) == .missingCRLFAfterChunkData(chunkIndex: 0))
        #expect(decodingError(Array("6".utf8) + rest, make: f.decoder) == .decodedLengthMismatch(expected: 1, actual: 6))
    }
}

/// Regenerates the bodies with the locally installed boto3 at test time (only when
/// `.venv/bin/python` exists, e.g. after the setup in docs/aws-chunked.md) and decodes them.
@Suite("boto3 bodies, captured live")
struct Boto3LiveCaptureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv/bin/python")
    static var available: Bool { FileManager.default.isExecutableFile(atPath: python.path) }

    @Test(.enabled(if: available, "needs .venv with boto3 (scripts/test makes it)"), .timeLimit(.minutes(5)))
    func freshlyCapturedBodiesDecode() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("s3wire-boto3-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = Self.python
        process.arguments = [Self.root.appendingPathComponent("scripts/capture_boto3_bodies.py").path, out.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let doc = try JSONDecoder().decode(Boto3Fixtures.self, from: Data(contentsOf: out))
        // Without awscrt botocore cannot make CRC32C/CRC64NVME bodies, and the script leaves them out.
        #expect(doc.fixtures.count >= 16)
        for f in doc.fixtures {
            let body = try f.body()
            #expect(sha256Hex(body) == f.bodySHA256, "\(f.name)")
            let (payload, result) = try decode(body, step: 65_536, make: f.decoder)
            #expect(sha256Hex(payload) == f.payloadSHA256, "\(f.name)")
            let name = try #require(f.header("x-amz-trailer"))
            let alg = try #require(ChecksumAlgorithm(headerName: name))
            #expect(result.trailers[name] == alg.base64Checksum(of: f.payload()), "\(f.name)")
        }
    }
}
