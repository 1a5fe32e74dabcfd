import Crypto
import Foundation
@testable import CofferS3Wire

/// Test-only aws-chunked body builders (the library itself only decodes).
enum BodyBuilder {
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER` body with the given chunk sizes and trailers.
    static func unsigned(_ payload: [UInt8], chunkSize: Int, trailers: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < payload.count {
            let n = min(chunkSize, payload.count - offset)
            out += Array(String(n, radix: 16).utf8) + [13, 10]
            out += payload[offset..<(offset + n)]
            out += [13, 10]
            offset += n
        }
        out += Array("0\r\n".utf8)
        for (name, value) in trailers { out += Array("\(name):\(value)\r\n".utf8) }
        out += [13, 10]
        return out
    }

    /// Signed body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`), computing every signature.
    static func signed(_ payload: [UInt8], chunkSize: Int, context: SigV4ChunkSigningContext,
                       trailers: [(String, String)]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        var previous = context.seedSignature
        var offset = 0
        func chunk(_ data: ArraySlice<UInt8>) {
            let digest = SigV4.hex(SHA256.hash(data: Array(data)))
            let sig = SigV4.chunkSignature(context: context, previousSignature: previous, chunkSHA256Hex: digest)
            previous = sig
            out += Array("\(String(data.count, radix: 16));chunk-signature=\(sig)\r\n".utf8)
            out += data
            if !data.isEmpty { out += [13, 10] }
        }
        while offset < payload.count {
            let n = min(chunkSize, payload.count - offset)
            chunk(payload[offset..<(offset + n)])
            offset += n
        }
        chunk([])
        if let trailers {
            for (name, value) in trailers { out += Array("\(name):\(value)\r\n".utf8) }
            let sig = SigV4.trailerSignature(
                context: context, previousSignature: previous,
                canonicalTrailers: SigV4.canonicalTrailerText(trailers.map { (name: $0.0, value: $0.1) }))
            out += Array("x-amz-trailer-signature:\(sig)\r\n".utf8)
        }
        out += [13, 10]
        return out
    }
}

/// AWS's documented example credentials and scope (sigv4-streaming pages).
enum AWSExample {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let timestamp = "20130524T000000Z"
    static let scope = "20130524/us-east-1/s3/aws4_request"
    static var key: SymmetricKey {
        SigV4.deriveSigningKey(secretAccessKey: secret, date: "20130524", region: "us-east-1", service: "s3")
    }
    static func context(seed: String) throws -> SigV4ChunkSigningContext {
        try SigV4ChunkSigningContext(signingKey: key, timestamp: timestamp, credentialScope: scope, seedSignature: seed)
    }
}

/// Feeds `body` to `decoder` in pieces of `step` bytes; returns the payload.
func decodeAll(_ decoder: inout AWSChunkedDecoder, _ body: [UInt8], step: Int) throws -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(body.count)
    var i = 0
    while i < body.count {
        let j = min(body.count, i + max(step, 1))
        try body[i..<j].withUnsafeBytes { buffer in
            try decoder.feed(buffer) { out.append(contentsOf: $0) }
        }
        i = j
    }
    return out
}

/// Decodes a whole body with a fresh decoder; returns the payload and result.
func decode(_ body: [UInt8], step: Int = .max, make: () throws -> AWSChunkedDecoder) throws -> ([UInt8], AWSChunkedResult) {
    var d = try make()
    let payload = try decodeAll(&d, body, step: step)
    return (payload, try d.finish())
}

/// Runs `body` and returns the error the decoder reports (at feed or finish), or nil.
func decodingError(_ body: [UInt8], step: Int = .max, make: () throws -> AWSChunkedDecoder) -> AWSChunkedError? {
    do {
        _ = try decode(body, step: step, make: make)
        return nil
    } catch let e as AWSChunkedError {
        return e
    } catch {
        return nil
    }
}

/// The deterministic payload used by scripts/capture_boto3_bodies.py.
func fixturePattern(_ n: Int) -> [UInt8] {
    (0..<n).map { UInt8(truncatingIfNeeded: (UInt64($0) &* 2_654_435_761) >> 13) }
}

func sha256Hex(_ bytes: [UInt8]) -> String { SigV4.hex(SHA256.hash(data: bytes)) }

/// Simple deterministic PRNG for reproducible "random" tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
