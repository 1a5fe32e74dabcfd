import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// The private half of an asymmetric KMS key, parsed from its sealed material, and the
/// algorithms AWS allows for each key spec and usage.
///
/// ECC keys sign with ECDSA over the hash AWS pairs with each curve (P-256/SHA-256, P-384/SHA-384,
/// P-521/SHA-512), DER signatures. RSA keys sign with PSS (salt length = hash length) or
/// PKCS #1 v1.5, and encrypt with OAEP (SHA-1 or SHA-256, MGF1 with the same hash). Ed25519 keys
/// sign with pure EdDSA (ED25519_SHA_512); HashEdDSA (ED25519_PH_SHA_512) has no implementation here.
/// ML-DSA-65/87 keys (FIPS 204, swift-crypto) sign RAW messages with ML_DSA_SHAKE_256 (pure ML-DSA, empty
/// context); their material is the 32-byte seed. ML-DSA-44 keys and signatures of a caller's µ (MessageType
/// EXTERNAL_MU) go through BoringSSL (`MLDSABoring`), which swift-crypto's Swift API does not expose; verifying
/// against a µ has no implementation there and is refused. secp256k1 keys
/// (ECC_SECG_P256K1, ECDSA_SHA_256) sign through libsecp256k1 (`Secp256k1PrivateKey`).
enum AsymmetricKey: Sendable {
    case p256(P256.Signing.PrivateKey)
    case secp256k1(Secp256k1PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)
    case mlDSA44(MLDSA44Key)
    case mlDSA65(MLDSA65.PrivateKey)
    case mlDSA87(MLDSA87.PrivateKey)

    static let rsaSigningAlgorithms = [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
        "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
    ]
    static let rsaEncryptionAlgorithms = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]

    static func isAsymmetric(_ spec: KeySpec) -> Bool {
        switch spec {
        case .eccNistP256, .eccNistP384, .eccNistP521, .eccSecgP256k1, .rsa2048, .rsa3072, .rsa4096, .eccNistEdwards25519, .mlDSA44, .mlDSA65, .mlDSA87: true
        default: false
        }
    }

    static func isRSA(_ spec: KeySpec) -> Bool { spec == .rsa2048 || spec == .rsa3072 || spec == .rsa4096 }

    /// Fresh private key material in the form it is sealed in (raw scalar for ECC, PKCS #1 DER for RSA).
    static func generateMaterial(_ spec: KeySpec) throws -> [UInt8] {
        switch spec {
        case .eccNistP256: return Array(P256.Signing.PrivateKey().rawRepresentation)
        case .eccNistP384: return Array(P384.Signing.PrivateKey().rawRepresentation)
        case .eccNistP521: return Array(P521.Signing.PrivateKey().rawRepresentation)
        case .eccSecgP256k1: return Secp256k1PrivateKey().rawRepresentation
        case .rsa2048: return Array(try _RSA.Signing.PrivateKey(keySize: .bits2048).derRepresentation)
        case .rsa3072: return Array(try _RSA.Signing.PrivateKey(keySize: .bits3072).derRepresentation)
        case .rsa4096: return Array(try _RSA.Signing.PrivateKey(keySize: .bits4096).derRepresentation)
        case .eccNistEdwards25519: return Array(Curve25519.Signing.PrivateKey().rawRepresentation)
        case .mlDSA44: return try MLDSA44Key().material
        case .mlDSA65: return Array(try MLDSA65.PrivateKey().seedRepresentation)
        case .mlDSA87: return Array(try MLDSA87.PrivateKey().seedRepresentation)
        default: throw KMSError(.unsupportedOperation, "KeySpec \(spec.rawValue) is not an asymmetric key spec this server supports.")
        }
    }

    init(spec: KeySpec, material: [UInt8]) throws {
        switch spec {
        case .eccNistP256: self = .p256(try P256.Signing.PrivateKey(rawRepresentation: material))
        case .eccNistP384: self = .p384(try P384.Signing.PrivateKey(rawRepresentation: material))
        case .eccNistP521: self = .p521(try P521.Signing.PrivateKey(rawRepresentation: material))
        case .eccSecgP256k1: self = .secp256k1(try Secp256k1PrivateKey(rawRepresentation: material))
        case .rsa2048, .rsa3072, .rsa4096: self = .rsa(try _RSA.Signing.PrivateKey(derRepresentation: material))
        case .eccNistEdwards25519: self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: material))
        case .mlDSA44: self = .mlDSA44(try MLDSA44Key(material: material))
        case .mlDSA65: self = .mlDSA65(try MLDSA65.PrivateKey(seedRepresentation: material, publicKey: nil))
        case .mlDSA87: self = .mlDSA87(try MLDSA87.PrivateKey(seedRepresentation: material, publicKey: nil))
        default: throw KMSError(.invalidKeyUsage, "KeySpec \(spec.rawValue) is not an asymmetric key.")
        }
    }

    /// The signing algorithms a spec allows, each with its digest length.
    static func signingAlgorithms(for spec: KeySpec) -> [(name: String, digestBytes: Int)] {
        switch spec {
        case .eccNistP256, .eccSecgP256k1: [("ECDSA_SHA_256", 32)]
        case .eccNistP384: [("ECDSA_SHA_384", 48)]
        case .eccNistP521: [("ECDSA_SHA_512", 64)]
        case .rsa2048, .rsa3072, .rsa4096: rsaSigningAlgorithms.map { ($0, $0.hasSuffix("256") ? 32 : $0.hasSuffix("384") ? 48 : 64) }
        case .eccNistEdwards25519: [("ED25519_SHA_512", 64), ("ED25519_PH_SHA_512", 64)]
        // The length is that of an EXTERNAL_MU message (µ is 64 bytes).
        case .mlDSA44, .mlDSA65, .mlDSA87: [("ML_DSA_SHAKE_256", 64)]
        default: []
        }
    }

    /// The public key as DER SubjectPublicKeyInfo, as GetPublicKey returns it.
    var publicKeyDER: [UInt8] {
        get throws {
            try publicKeyDERRepresentation()
        }
    }

    private func publicKeyDERRepresentation() throws -> [UInt8] {
        switch self {
        case .p256(let key): Array(key.publicKey.derRepresentation)
        case .p384(let key): Array(key.publicKey.derRepresentation)
        case .p521(let key): Array(key.publicKey.derRepresentation)
        case .secp256k1(let key): try key.publicKeyDER
        case .rsa(let key): Array(key.publicKey.derRepresentation)
        case .ed25519(let key): try Self.subjectPublicKeyInfo(Certificate.PublicKey(key.publicKey))
        case .mlDSA44(let key): try Self.mlDSASubjectPublicKeyInfo(key.publicKey, oid: [2, 16, 840, 1, 101, 3, 4, 3, 17])
        case .mlDSA65(let key): try Self.mlDSASubjectPublicKeyInfo(Array(key.publicKey.rawRepresentation), oid: [2, 16, 840, 1, 101, 3, 4, 3, 18])
        case .mlDSA87(let key): try Self.mlDSASubjectPublicKeyInfo(Array(key.publicKey.rawRepresentation), oid: [2, 16, 840, 1, 101, 3, 4, 3, 19])
        }
    }

    /// SubjectPublicKeyInfo for ML-DSA (RFC 9881): the algorithm OID without parameters and the FIPS 204 public key.
    private static func mlDSASubjectPublicKeyInfo(_ raw: [UInt8], oid: ASN1ObjectIdentifier) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { info in
            try info.appendConstructedNode(identifier: .sequence) { algorithm in try algorithm.serialize(oid) }
            try info.serialize(ASN1BitString(bytes: raw[...]))
        }
        return serializer.serializedBytes
    }

    /// DER SubjectPublicKeyInfo through swift-certificates (swift-crypto has no DER form for Ed25519).
    private static func subjectPublicKeyInfo(_ key: Certificate.PublicKey) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(key)
        return serializer.serializedBytes
    }

    /// Signs a message (hashing it) or a caller-computed digest of the algorithm's hash length.
    func sign(_ message: [UInt8], algorithm: String, isDigest: Bool) throws -> [UInt8] {
        switch self {
        case .p256(let key):
            return Array(try (isDigest ? key.signature(for: CallerDigest32(bytes: message)) : key.signature(for: message)).derRepresentation)
        case .p384(let key):
            return Array(try (isDigest ? key.signature(for: CallerDigest48(bytes: message)) : key.signature(for: message)).derRepresentation)
        case .p521(let key):
            return Array(try (isDigest ? key.signature(for: CallerDigest64(bytes: message)) : key.signature(for: message)).derRepresentation)
        case .secp256k1(let key):
            return try key.signature(digest: isDigest ? message : Array(SHA256.hash(data: message)))
        case .rsa(let key):
            let padding = Self.rsaPadding(algorithm)
            let signature: _RSA.Signing.RSASignature
            switch Self.hashBits(algorithm) {
            case 384: signature = try key.signature(for: try Self.digest(SHA384.self, message, isDigest: isDigest), padding: padding)
            case 512: signature = try key.signature(for: try Self.digest(SHA512.self, message, isDigest: isDigest), padding: padding)
            default: signature = try key.signature(for: try Self.digest(SHA256.self, message, isDigest: isDigest), padding: padding)
            }
            return Array(signature.rawRepresentation)
        case .ed25519(let key):
            return Array(try key.signature(for: message))
        case .mlDSA44(let key):
            return try MLDSABoring.sign(level: 44, seed: key.seed, message: message)
        case .mlDSA65(let key):
            return Array(try key.signature(for: message))
        case .mlDSA87(let key):
            return Array(try key.signature(for: message))
        }
    }

    /// An ML-DSA signature of µ, the 64-byte message representative the caller computed (EXTERNAL_MU).
    func sign(mu: [UInt8]) throws -> [UInt8] {
        switch self {
        case .mlDSA44(let key): return try MLDSABoring.sign(level: 44, seed: key.seed, mu: mu)
        case .mlDSA65(let key): return try MLDSABoring.sign(level: 65, seed: Array(key.seedRepresentation), mu: mu)
        case .mlDSA87(let key): return try MLDSABoring.sign(level: 87, seed: Array(key.seedRepresentation), mu: mu)
        default: throw KMSError(.validation, "MessageType EXTERNAL_MU is only valid with ML-DSA keys.")
        }
    }

    /// Whether a signature is valid for a message or digest.
    func verify(_ signature: [UInt8], message: [UInt8], algorithm: String, isDigest: Bool) throws -> Bool {
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
        case .secp256k1(let key):
            return key.isValidSignature(signature, digest: isDigest ? message : Array(SHA256.hash(data: message)))
        case .rsa(let key):
            let parsed = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let padding = Self.rsaPadding(algorithm)
            switch Self.hashBits(algorithm) {
            case 384: return key.publicKey.isValidSignature(parsed, for: try Self.digest(SHA384.self, message, isDigest: isDigest), padding: padding)
            case 512: return key.publicKey.isValidSignature(parsed, for: try Self.digest(SHA512.self, message, isDigest: isDigest), padding: padding)
            default: return key.publicKey.isValidSignature(parsed, for: try Self.digest(SHA256.self, message, isDigest: isDigest), padding: padding)
            }
        case .ed25519(let key):
            return key.publicKey.isValidSignature(signature, for: message)
        case .mlDSA44(let key):
            return MLDSABoring.isValid(level: 44, seed: key.seed, signature: signature, message: message)
        case .mlDSA65(let key):
            return key.publicKey.isValidSignature(signature, for: message)
        case .mlDSA87(let key):
            return key.publicKey.isValidSignature(signature, for: message)
        }
    }

    /// ECDH with a peer's DER SubjectPublicKeyInfo on the same curve: the raw shared secret (the
    /// x-coordinate), as DeriveSharedSecret returns it.
    func sharedSecret(peerPublicKeyDER: [UInt8]) throws -> [UInt8] {
        let invalidPeer = KMSError(.validation, "PublicKey must be a DER-encoded SubjectPublicKeyInfo on the KMS key's curve.")
        switch self {
        case .p256(let key):
            guard let peer = try? P256.KeyAgreement.PublicKey(derRepresentation: peerPublicKeyDER) else { throw invalidPeer }
            let secret = try P256.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation).sharedSecretFromKeyAgreement(with: peer)
            return secret.withUnsafeBytes { Array($0) }
        case .p384(let key):
            guard let peer = try? P384.KeyAgreement.PublicKey(derRepresentation: peerPublicKeyDER) else { throw invalidPeer }
            let secret = try P384.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation).sharedSecretFromKeyAgreement(with: peer)
            return secret.withUnsafeBytes { Array($0) }
        case .p521(let key):
            guard let peer = try? P521.KeyAgreement.PublicKey(derRepresentation: peerPublicKeyDER) else { throw invalidPeer }
            let secret = try P521.KeyAgreement.PrivateKey(rawRepresentation: key.rawRepresentation).sharedSecretFromKeyAgreement(with: peer)
            return secret.withUnsafeBytes { Array($0) }
        case .rsa, .ed25519, .mlDSA44, .mlDSA65, .mlDSA87, .secp256k1:
            throw KMSError(.invalidKeyUsage, "Only NIST ECC keys support key agreement.")
        }
    }

    /// A fresh key pair for GenerateDataKeyPair: the private key as PKCS #8 DER and the public key
    /// as DER SubjectPublicKeyInfo.
    static func generateDataKeyPair(_ spec: String) throws -> (privateKeyPKCS8: [UInt8], publicKey: [UInt8]) {
        switch spec {
        case "ECC_NIST_P256":
            let key = P256.Signing.PrivateKey()
            return (Array(key.derRepresentation), Array(key.publicKey.derRepresentation))
        case "ECC_NIST_P384":
            let key = P384.Signing.PrivateKey()
            return (Array(key.derRepresentation), Array(key.publicKey.derRepresentation))
        case "ECC_NIST_P521":
            let key = P521.Signing.PrivateKey()
            return (Array(key.derRepresentation), Array(key.publicKey.derRepresentation))
        case "ECC_SECG_P256K1":
            let key = Secp256k1PrivateKey()
            return (try key.pkcs8DERRepresentation, try key.publicKeyDER)
        case "RSA_2048", "RSA_3072", "RSA_4096":
            // Invariant: the three names end in a valid bit count.
            let bits = Int(spec.dropFirst(4))!
            let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
            return (Array(key.pkcs8DERRepresentation), Array(key.publicKey.derRepresentation))
        default:
            throw KMSError(.unsupportedOperation, "KeyPairSpec \(spec) is not supported by this server (no well-kept implementation here).")
        }
    }

    /// RSAES-OAEP encryption with the public half.
    func encrypt(_ plaintext: [UInt8], algorithm: String) throws -> [UInt8] {
        guard case .rsa(let key) = self else { throw KMSError(.invalidKeyUsage, "Only RSA keys encrypt asymmetrically.") }
        let publicKey = try _RSA.Encryption.PublicKey(derRepresentation: key.publicKey.derRepresentation)
        return Array(try publicKey.encrypt(plaintext, padding: Self.oaepPadding(algorithm)))
    }

    /// RSAES-OAEP decryption with the private half.
    func decrypt(_ ciphertext: [UInt8], algorithm: String) throws -> [UInt8] {
        guard case .rsa(let key) = self else { throw KMSError(.invalidKeyUsage, "Only RSA keys decrypt asymmetrically.") }
        // The encryption view is built per call: `_RSA.Encryption.PrivateKey` is not Sendable, so it
        // cannot sit in the shared key cache. RSA decryption itself dwarfs the parse.
        let privateKey = try _RSA.Encryption.PrivateKey(derRepresentation: key.derRepresentation)
        return Array(try privateKey.decrypt(ciphertext, padding: Self.oaepPadding(algorithm)))
    }

    /// The longest plaintext OAEP can take with this key and hash: k - 2·hLen - 2 bytes.
    func maximumOAEPPlaintext(algorithm: String) -> Int {
        guard case .rsa(let key) = self else { return 0 }
        let hashBytes = algorithm == "RSAES_OAEP_SHA_1" ? 20 : 32
        return key.keySizeInBits / 8 - 2 * hashBytes - 2
    }

    /// The hash of a RAW message, or a caller's DIGEST message as the library's digest type.
    private static func digest<H: HashFunction>(_ hash: H.Type, _ message: [UInt8], isDigest: Bool) throws -> H.Digest {
        guard isDigest else { return H.hash(data: message) }
        guard let digest = LibraryDigest.make(H.Digest.self, from: message) else {
            throw KMSError(.unsupportedOperation, "MessageType DIGEST cannot be used with RSA keys on this server: the crypto library's digest layout is not the one this build expects.")
        }
        return digest
    }

    private static func rsaPadding(_ algorithm: String) -> _RSA.Signing.Padding {
        algorithm.hasPrefix("RSASSA_PSS") ? .PSS : .insecurePKCS1v1_5
    }

    private static func oaepPadding(_ algorithm: String) -> _RSA.Encryption.Padding {
        algorithm == "RSAES_OAEP_SHA_1" ? .PKCS1_OAEP : .PKCS1_OAEP_SHA256
    }

    private static func hashBits(_ algorithm: String) -> Int {
        algorithm.hasSuffix("512") ? 512 : algorithm.hasSuffix("384") ? 384 : 256
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

/// swift-crypto signs with RSA only over its own digest types (it picks the hash by type), and
/// those have no public initializer from bytes. A caller's digest is placed into one by memory
/// layout: the types are plain structs holding exactly their digest bytes. The result must read
/// back as exactly the caller's bytes, so a library whose layout differs is refused, never misused.
enum LibraryDigest {
    static func make<D: Digest>(_ type: D.Type, from bytes: [UInt8]) -> D? {
        guard bytes.count == D.byteCount, MemoryLayout<D>.size == D.byteCount, _isPOD(D.self), D.byteCount <= 64 else { return nil }
        var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { target in
            bytes.withUnsafeBytes { target.copyMemory(from: $0) }
        }
        let digest = withUnsafeBytes(of: &storage) { $0.load(as: D.self) }
        let readBack = digest.withUnsafeBytes { Array($0) }
        return readBack == bytes ? digest : nil
    }
}
