import CSecp256k1
import CofferCrypto
import SwiftASN1

/// An ECDSA private key on secp256k1 (KeySpec ECC_SECG_P256K1), through libsecp256k1, Bitcoin Core's
/// library. Signatures use RFC 6979 nonces and are DER, in lower-S form; verification accepts either S,
/// as OpenSSL and AWS do, by normalizing first.
struct Secp256k1PrivateKey: Sendable {
    /// The 32-byte scalar, checked to be in [1, n-1].
    let rawRepresentation: [UInt8]
    /// The uncompressed public point (0x04 || X || Y).
    let publicKeyX962: [UInt8]
    /// The public point in libsecp256k1's form, for verification.
    private let publicKey: secp256k1_pubkey

    static let ecPublicKeyOID: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    static let curveOID: ASN1ObjectIdentifier = [1, 3, 132, 0, 10]

    /// A fresh key from the system's random source.
    init() {
        while true {
            // A random 32-byte string is a valid scalar except with probability about 2^-128.
            if let key = try? Secp256k1PrivateKey(rawRepresentation: SecureRandom.bytes(32)) {
                self = key
                return
            }
        }
    }

    init(rawRepresentation raw: [UInt8]) throws {
        let invalid = KMSError(.incorrectKeyMaterial, "The key material is not a valid secp256k1 private key.")
        guard raw.count == 32 else { throw invalid }
        let context = Secp256k1Context.shared.pointer
        var publicKey = secp256k1_pubkey()
        guard secp256k1_ec_seckey_verify(context, raw) == 1, secp256k1_ec_pubkey_create(context, &publicKey, raw) == 1 else {
            throw invalid
        }
        var encoded = [UInt8](repeating: 0, count: 65)
        var length = encoded.count
        guard secp256k1_ec_pubkey_serialize(context, &encoded, &length, &publicKey, UInt32(SECP256K1_EC_UNCOMPRESSED)) == 1,
              length == 65 else { throw invalid }
        rawRepresentation = raw
        publicKeyX962 = encoded
        self.publicKey = publicKey
    }

    /// The public key as DER SubjectPublicKeyInfo (id-ecPublicKey, named curve secp256k1).
    var publicKeyDER: [UInt8] {
        get throws {
            var serializer = DER.Serializer()
            try serializer.appendConstructedNode(identifier: .sequence) { info in
                try Self.serializeAlgorithm(&info)
                try info.serialize(ASN1BitString(bytes: publicKeyX962[...]))
            }
            return serializer.serializedBytes
        }
    }

    /// The private key as PKCS #8 DER, with an RFC 5915 ECPrivateKey inside (as OpenSSL writes it).
    var pkcs8DERRepresentation: [UInt8] {
        get throws {
            var inner = DER.Serializer()
            try inner.appendConstructedNode(identifier: .sequence) { key in
                try key.serialize(1)
                try key.serialize(ASN1OctetString(contentBytes: rawRepresentation[...]))
                try key.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) { tagged in
                    try tagged.serialize(ASN1BitString(bytes: publicKeyX962[...]))
                }
            }
            var outer = DER.Serializer()
            try outer.appendConstructedNode(identifier: .sequence) { info in
                try info.serialize(0)
                try Self.serializeAlgorithm(&info)
                try info.serialize(ASN1OctetString(contentBytes: inner.serializedBytes[...]))
            }
            return outer.serializedBytes
        }
    }

    /// Reads a PKCS #8 secp256k1 private key (what ImportKeyMaterial takes); a public key inside must match.
    init(pkcs8DER der: [UInt8]) throws {
        let invalid = KMSError(.incorrectKeyMaterial, "The imported key material is not a PKCS #8 secp256k1 private key.")
        do {
            let (scalar, publicKey) = try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
                guard try Int(derEncoded: &nodes) == 0, let algorithm = nodes.next() else { throw invalid }
                let (keyType, curve) = try DER.sequence(algorithm, identifier: .sequence) { parts in
                    (try ASN1ObjectIdentifier(derEncoded: &parts), try ASN1ObjectIdentifier(derEncoded: &parts))
                }
                guard keyType == Self.ecPublicKeyOID, curve == Self.curveOID else { throw invalid }
                let octets = try ASN1OctetString(derEncoded: &nodes)
                _ = DER.optionalImplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { (node: ASN1Node) in node }
                return try DER.sequence(try DER.parse(octets.bytes), identifier: .sequence) { key in
                    guard try Int(derEncoded: &key) == 1 else { throw invalid }
                    let scalar = try ASN1OctetString(derEncoded: &key)
                    let parameters = try DER.optionalExplicitlyTagged(&key, tagNumber: 0, tagClass: .contextSpecific) {
                        try ASN1ObjectIdentifier(derEncoded: $0)
                    }
                    guard parameters == nil || parameters == Self.curveOID else { throw invalid }
                    let publicKey = try DER.optionalExplicitlyTagged(&key, tagNumber: 1, tagClass: .contextSpecific) {
                        try ASN1BitString(derEncoded: $0)
                    }
                    return (Array(scalar.bytes), publicKey.map { Array($0.bytes) })
                }
            }
            let key = try Secp256k1PrivateKey(rawRepresentation: scalar)
            if let publicKey, publicKey != key.publicKeyX962 { throw invalid }
            self = key
        } catch {
            throw invalid
        }
    }

    /// A DER ECDSA signature over a 32-byte digest.
    func signature(digest: [UInt8]) throws -> [UInt8] {
        guard digest.count == 32 else { throw KMSError(.validation, "An ECDSA_SHA_256 digest is 32 bytes.") }
        let context = Secp256k1Context.shared.pointer
        var signature = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_sign(context, &signature, digest, rawRepresentation, nil, nil) == 1 else {
            throw KMSError(.internal, "secp256k1 signing failed.")
        }
        var der = [UInt8](repeating: 0, count: 72)
        var length = der.count
        guard secp256k1_ecdsa_signature_serialize_der(context, &der, &length, &signature) == 1 else {
            throw KMSError(.internal, "secp256k1 signature encoding failed.")
        }
        return Array(der.prefix(length))
    }

    /// Whether `der` is a valid signature of this key over the 32-byte `digest` (either S form).
    func isValidSignature(_ der: [UInt8], digest: [UInt8]) -> Bool {
        guard digest.count == 32, !der.isEmpty else { return false }
        let context = Secp256k1Context.shared.pointer
        var parsed = secp256k1_ecdsa_signature()
        var publicKey = self.publicKey
        guard secp256k1_ecdsa_signature_parse_der(context, &parsed, der, der.count) == 1 else { return false }
        // The DER form must be canonical: re-encoding gives the same bytes (no BER leniency, no trailing data).
        var reencoded = [UInt8](repeating: 0, count: 72)
        var length = reencoded.count
        guard secp256k1_ecdsa_signature_serialize_der(context, &reencoded, &length, &parsed) == 1,
              Array(reencoded.prefix(length)) == der else { return false }
        var normalized = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_signature_normalize(context, &normalized, &parsed)
        return secp256k1_ecdsa_verify(context, &normalized, digest, &publicKey) == 1
    }

    private static func serializeAlgorithm(_ coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { algorithm in
            try algorithm.serialize(ecPublicKeyOID)
            try algorithm.serialize(curveOID)
        }
    }
}

/// One libsecp256k1 context for the process, randomized once (blinding against side channels). The
/// library's functions take it as `const` and are safe to call concurrently with it.
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()
    let pointer: OpaquePointer

    private init() {
        // Invariant: context creation only fails on allocation failure, which Swift treats as fatal anyway.
        pointer = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE))!
        var seed = SecureRandom.bytes(32)
        _ = secp256k1_context_randomize(pointer, &seed)
        _ = seed.withUnsafeMutableBytes { $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }
}
