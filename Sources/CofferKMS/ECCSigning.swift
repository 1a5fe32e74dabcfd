import Crypto
import Foundation

/// ECDSA over the NIST curves KMS offers, each paired with the hash AWS pairs it with:
/// P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512. Signatures are DER (X9.62).
enum ECCSigningKey: Sendable {
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)

    /// A fresh private key's raw scalar, the form its material is sealed in.
    static func generateMaterial(_ spec: KeySpec) -> [UInt8]? {
        switch spec {
        case .eccNistP256: Array(P256.Signing.PrivateKey().rawRepresentation)
        case .eccNistP384: Array(P384.Signing.PrivateKey().rawRepresentation)
        case .eccNistP521: Array(P521.Signing.PrivateKey().rawRepresentation)
        default: nil
        }
    }

    init(spec: KeySpec, material: [UInt8]) throws {
        switch spec {
        case .eccNistP256: self = .p256(try P256.Signing.PrivateKey(rawRepresentation: material))
        case .eccNistP384: self = .p384(try P384.Signing.PrivateKey(rawRepresentation: material))
        case .eccNistP521: self = .p521(try P521.Signing.PrivateKey(rawRepresentation: material))
        default: throw KMSError(.invalidKeyUsage, "KeySpec \(spec.rawValue) is not an ECC signing key.")
        }
    }

    /// The one signing algorithm each curve uses, and its digest length.
    static func algorithm(for spec: KeySpec) -> (name: String, digestBytes: Int)? {
        switch spec {
        case .eccNistP256: ("ECDSA_SHA_256", 32)
        case .eccNistP384: ("ECDSA_SHA_384", 48)
        case .eccNistP521: ("ECDSA_SHA_512", 64)
        default: nil
        }
    }

    /// The public key as DER SubjectPublicKeyInfo, as GetPublicKey returns it.
    var publicKeyDER: [UInt8] {
        switch self {
        case .p256(let key): Array(key.publicKey.derRepresentation)
        case .p384(let key): Array(key.publicKey.derRepresentation)
        case .p521(let key): Array(key.publicKey.derRepresentation)
        }
    }

    /// Signs a message (hashing it) or a caller-computed digest of the curve's hash length.
    func sign(_ message: [UInt8], isDigest: Bool) throws -> [UInt8] {
        switch self {
        case .p256(let key):
            Array(try (isDigest ? key.signature(for: CallerDigest32(bytes: message)) : key.signature(for: message)).derRepresentation)
        case .p384(let key):
            Array(try (isDigest ? key.signature(for: CallerDigest48(bytes: message)) : key.signature(for: message)).derRepresentation)
        case .p521(let key):
            Array(try (isDigest ? key.signature(for: CallerDigest64(bytes: message)) : key.signature(for: message)).derRepresentation)
        }
    }

    /// Whether a DER signature is valid for a message or digest.
    func verify(_ signature: [UInt8], message: [UInt8], isDigest: Bool) -> Bool {
        switch self {
        case .p256(let key):
            guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return isDigest ? key.publicKey.isValidSignature(parsed, for: CallerDigest32(bytes: message))
                : key.publicKey.isValidSignature(parsed, for: message)
        case .p384(let key):
            guard let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return isDigest ? key.publicKey.isValidSignature(parsed, for: CallerDigest48(bytes: message))
                : key.publicKey.isValidSignature(parsed, for: message)
        case .p521(let key):
            guard let parsed = try? P521.Signing.ECDSASignature(derRepresentation: signature) else { return false }
            return isDigest ? key.publicKey.isValidSignature(parsed, for: CallerDigest64(bytes: message))
                : key.publicKey.isValidSignature(parsed, for: message)
        }
    }
}

/// A digest the caller computed (Sign/Verify with MessageType DIGEST). Its length was checked
/// against the algorithm before one is made.
protocol CallerDigest: Digest {
    var bytes: [UInt8] { get }
}

extension CallerDigest {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
    func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    var description: String { "caller-supplied digest" }
}

struct CallerDigest32: CallerDigest { static let byteCount = 32; let bytes: [UInt8] }
struct CallerDigest48: CallerDigest { static let byteCount = 48; let bytes: [UInt8] }
struct CallerDigest64: CallerDigest { static let byteCount = 64; let bytes: [UInt8] }
