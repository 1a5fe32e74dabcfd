import CCofferBoringSSLShim

/// ML-DSA through BoringSSL (the package's C shim) for what swift-crypto's Swift API lacks: ML-DSA-44
/// keys, and signing a caller's message representative µ (MessageType EXTERNAL_MU) at every level.
/// Keys are their 32-byte seed; signatures are pure ML-DSA with an empty context.
enum MLDSABoring {
    static let seedBytes = 32
    static let muBytes = 64

    /// A fresh key: its seed and its encoded (FIPS 204) public key.
    static func generate(level: Int32) throws -> (seed: [UInt8], publicKey: [UInt8]) {
        var seed = [UInt8](repeating: 0, count: seedBytes)
        var publicKey = [UInt8](repeating: 0, count: coffer_mldsa_public_key_bytes(level))
        guard !publicKey.isEmpty, coffer_mldsa_generate(level, &seed, &publicKey) == 1 else {
            throw KMSError(.internal, "ML-DSA key generation failed.")
        }
        return (seed, publicKey)
    }

    static func sign(level: Int32, seed: [UInt8], message: [UInt8]) throws -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: coffer_mldsa_signature_bytes(level))
        guard seed.count == seedBytes, !signature.isEmpty,
              coffer_mldsa_sign(level, seed, message, message.count, &signature) == 1
        else { throw KMSError(.internal, "ML-DSA signing failed.") }
        return signature
    }

    /// Signs µ, the 64-byte message representative a caller computed (FIPS 204, algorithm 7, line 6).
    static func sign(level: Int32, seed: [UInt8], mu: [UInt8]) throws -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: coffer_mldsa_signature_bytes(level))
        guard seed.count == seedBytes, mu.count == muBytes, !signature.isEmpty,
              coffer_mldsa_sign_mu(level, seed, mu, &signature) == 1
        else { throw KMSError(.internal, "ML-DSA signing failed.") }
        return signature
    }

    static func isValid(level: Int32, seed: [UInt8], signature: [UInt8], message: [UInt8]) -> Bool {
        guard seed.count == seedBytes, !signature.isEmpty else { return false }
        return coffer_mldsa_verify(level, seed, signature, signature.count, message, message.count) == 1
    }
}

/// An ML-DSA-44 key: the seed, and the encoded public key kept beside it (BoringSSL can derive the key
/// from the seed, but encoding the public key needs an interface the shim does not reach).
struct MLDSA44Key: Sendable {
    static let publicKeyBytes = 1312
    let seed: [UInt8]
    let publicKey: [UInt8]

    /// Sealed material: seed ‖ public key.
    var material: [UInt8] { seed + publicKey }

    init() throws {
        (seed, publicKey) = try MLDSABoring.generate(level: 44)
    }

    init(material: [UInt8]) throws {
        guard material.count == MLDSABoring.seedBytes + Self.publicKeyBytes else {
            throw KMSError(.incorrectKeyMaterial, "ML-DSA-44 key material must be a 32-byte seed and a 1312-byte public key.")
        }
        seed = Array(material.prefix(MLDSABoring.seedBytes))
        publicKey = Array(material.dropFirst(MLDSABoring.seedBytes))
    }
}
