import CofferCore
import CofferWire
import Crypto
import Foundation

/// What the caller already established when it verified the request's
/// `Authorization` header: the SigV4 signing key, the request timestamp
/// (`x-amz-date`, e.g. `20130524T000000Z`), the credential scope
/// (`20130524/us-east-1/s3/aws4_request`) and the seed signature (the
/// `Signature=` value of the `Authorization` header).
public struct SigV4ChunkSigningContext: Sendable {
    public let signingKey: SymmetricKey
    public let timestamp: String
    public let credentialScope: String
    public let seedSignature: String

    public init(signingKey: SymmetricKey, timestamp: String, credentialScope: String, seedSignature: String) throws(AWSChunkedError) {
        guard parseSignatureHex(Array(seedSignature.utf8)) != nil else {
            throw .malformedSignature("seed signature is not 64 hex digits")
        }
        guard !timestamp.contains("\n"), !credentialScope.contains("\n") else {
            throw .malformedSignature("timestamp or scope contains a newline")
        }
        self.signingKey = signingKey
        self.timestamp = timestamp
        self.credentialScope = credentialScope
        self.seedSignature = seedSignature.lowercased()
    }

    public init(signingKeyBytes: [UInt8], timestamp: String, credentialScope: String, seedSignature: String) throws(AWSChunkedError) {
        try self.init(signingKey: SymmetricKey(data: signingKeyBytes), timestamp: timestamp,
                      credentialScope: credentialScope, seedSignature: seedSignature)
    }
}

/// SigV4 primitives needed for streaming payloads (built on swift-crypto's HMAC-SHA256).
public enum SigV4 {
    /// SHA-256 of the empty string, hex.
    public static let emptySHA256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
    public static func deriveSigningKey(secretAccessKey: String, date: String, region: String, service: String) -> SymmetricKey {
        SigV4Verifier.deriveSigningKey(secret: secretAccessKey, date: date, region: region, service: service)
    }

    /// The signature of one payload chunk, hex. `chunkSHA256Hex` is the hex SHA-256 of the chunk data.
    public static func chunkSignature(context: SigV4ChunkSigningContext, previousSignature: String, chunkSHA256Hex: String) -> String {
        let stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n\(context.timestamp)\n\(context.credentialScope)\n"
            + "\(previousSignature)\n\(emptySHA256Hex)\n\(chunkSHA256Hex)"
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: context.signingKey))
    }

    /// The signature of the trailer chunk, hex. `canonicalTrailers` is the
    /// canonical trailer text (see `canonicalTrailerText`).
    public static func trailerSignature(context: SigV4ChunkSigningContext, previousSignature: String, canonicalTrailers: String) -> String {
        let digest = hex(SHA256.hash(data: Array(canonicalTrailers.utf8)))
        let stringToSign = "AWS4-HMAC-SHA256-TRAILER\n\(context.timestamp)\n\(context.credentialScope)\n"
            + "\(previousSignature)\n\(digest)"
        return hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: context.signingKey))
    }

    /// Canonical form of trailing headers for signing: lowercase names, trimmed
    /// values, sorted by name, each as `name:value\n`.
    public static func canonicalTrailerText(_ trailers: [(name: String, value: String)]) -> String {
        trailers
            .map { (name: $0.name.lowercased(), value: $0.value.trimmingCharacters(in: .whitespaces)) }
            .sorted { $0.name < $1.name }
            .map { "\($0.name):\($0.value)\n" }
            .joined()
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { Bytes.hex(bytes) }
}

/// Parses exactly 64 hex digits (either case) into 32 bytes.
func parseSignatureHex(_ text: some Collection<UInt8>) -> [UInt8]? {
    guard text.count == 64 else { return nil }
    var out = [UInt8]()
    out.reserveCapacity(32)
    var hi: UInt8 = 0
    var odd = false
    for c in text {
        guard let v = hexValue(c) else { return nil }
        if odd { out.append(hi << 4 | v) } else { hi = v }
        odd.toggle()
    }
    return out
}

@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
