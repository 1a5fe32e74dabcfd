import CofferCore
import CofferKMS
import Crypto
import Foundation
import Testing

/// ECC signing keys: Sign, Verify, GetPublicKey.
struct KMSSigningTests {
    /// Verifies a Coffer signature with swift-crypto directly from the exported DER public key.
    func independentlyValid(spec: KeySpec, publicKey: [UInt8], signature: [UInt8], message: [UInt8]) throws -> Bool {
        switch spec {
        case .eccNistP256:
            return try P256.Signing.PublicKey(derRepresentation: publicKey)
                .isValidSignature(P256.Signing.ECDSASignature(derRepresentation: signature), for: message)
        case .eccNistP384:
            return try P384.Signing.PublicKey(derRepresentation: publicKey)
                .isValidSignature(P384.Signing.ECDSASignature(derRepresentation: signature), for: message)
        default:
            return try P521.Signing.PublicKey(derRepresentation: publicKey)
                .isValidSignature(P521.Signing.ECDSASignature(derRepresentation: signature), for: message)
        }
    }

    static func digest(_ spec: KeySpec, _ message: [UInt8]) -> [UInt8] {
        switch spec {
        case .eccNistP256: Array(SHA256.hash(data: message))
        case .eccNistP384: Array(SHA384.hash(data: message))
        default: Array(SHA512.hash(data: message))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func signAndVerifyOnEveryCurve(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        for (spec, algorithm) in [(KeySpec.eccNistP256, "ECDSA_SHA_256"), (.eccNistP384, "ECDSA_SHA_384"), (.eccNistP521, "ECDSA_SHA_512")] {
            var parameters = CreateKeyParameters()
            parameters.keySpec = spec
            parameters.keyUsage = .signVerify
            let key = try await f.kms.createKey(parameters, caller: f.alice)
            #expect(key.signingAlgorithms == [algorithm])
            let message = Array("sign me".utf8)
            let (publicKey, _) = try await f.kms.publicKey(keyID: key.id, caller: f.alice)
            let (raw, _) = try await f.kms.sign(keyID: key.id, message: message, messageType: .raw, algorithm: algorithm, caller: f.alice)
            #expect(try independentlyValid(spec: spec, publicKey: publicKey, signature: raw, message: message))
            // A digest signed with MessageType DIGEST is a signature of the message itself.
            let (fromDigest, _) = try await f.restarted().sign(
                keyID: key.id, message: Self.digest(spec, message), messageType: .digest, algorithm: algorithm, caller: f.alice
            )
            #expect(try independentlyValid(spec: spec, publicKey: publicKey, signature: fromDigest, message: message))
            _ = try await f.kms.verify(keyID: key.id, message: message, messageType: .raw, signature: fromDigest, algorithm: algorithm, caller: f.alice)
            _ = try await f.kms.verify(keyID: key.id, message: Self.digest(spec, message), messageType: .digest, signature: raw, algorithm: algorithm, caller: f.alice)
            #expect(await code { _ = try await f.kms.verify(keyID: key.id, message: Array("other".utf8), messageType: .raw, signature: raw, algorithm: algorithm, caller: f.alice) } == .invalidSignature)
            #expect(await code { _ = try await f.kms.verify(keyID: key.id, message: message, messageType: .raw, signature: [0x30, 0x00], algorithm: algorithm, caller: f.alice) } == .invalidSignature)
            #expect(await code { _ = try await f.kms.sign(keyID: key.id, message: [1, 2, 3], messageType: .digest, algorithm: algorithm, caller: f.alice) } == .validation)
            #expect(await code { _ = try await f.kms.sign(keyID: key.id, message: message, messageType: .externalMu, algorithm: algorithm, caller: f.alice) } == .validation)
            #expect(await code { _ = try await f.kms.sign(keyID: key.id, message: message, messageType: .raw, algorithm: "RSASSA_PSS_SHA_256", caller: f.alice) } == .invalidKeyUsage)
            #expect(await code { _ = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice) } == .invalidKeyUsage)
            try await f.kms.disableKey(key.id, caller: f.alice)
            #expect(await code { _ = try await f.kms.sign(keyID: key.id, message: message, messageType: .raw, algorithm: algorithm, caller: f.alice) } == .disabled)
        }
        let symmetric = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        #expect(await code { _ = try await f.kms.sign(keyID: symmetric.id, message: [1], messageType: .raw, algorithm: "ECDSA_SHA_256", caller: f.alice) } == .invalidKeyUsage)
        #expect(await code { _ = try await f.kms.publicKey(keyID: symmetric.id, caller: f.alice) } == .unsupportedOperation)
    }

    @Test(arguments: StoreKind.allCases)
    func ed25519SignsRawMessages(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var parameters = CreateKeyParameters()
        parameters.keySpec = .eccNistEdwards25519
        parameters.keyUsage = .signVerify
        let key = try await f.kms.createKey(parameters, caller: f.alice)
        let (signature, _) = try await f.kms.sign(keyID: key.id, message: Array("m".utf8), messageType: .raw, algorithm: "ED25519_SHA_512", caller: f.alice)
        // The SPKI of an Ed25519 key is a fixed 12-byte header followed by the raw 32-byte key (RFC 8410).
        let (spki, _) = try await f.kms.publicKey(keyID: key.id, caller: f.alice)
        #expect(spki.count == 44 && Array(spki.prefix(12)) == [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00])
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: spki.suffix(32))
        #expect(publicKey.isValidSignature(signature, for: Array("m".utf8)))
        _ = try await f.restarted().verify(keyID: key.id, message: Array("m".utf8), messageType: .raw, signature: signature, algorithm: "ED25519_SHA_512", caller: f.alice)
        #expect(await code { _ = try await f.kms.sign(keyID: key.id, message: [1], messageType: .raw, algorithm: "ED25519_PH_SHA_512", caller: f.alice) } == .unsupportedOperation)
    }

    @Test(arguments: StoreKind.allCases)
    func mlDSASignsRawMessages(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        for (spec, oidLast, publicSize) in [(KeySpec.mlDSA44, UInt8(0x11), 1312), (.mlDSA65, 0x12, 1952), (.mlDSA87, 0x13, 2592)] {
            var parameters = CreateKeyParameters()
            parameters.keySpec = spec
            parameters.keyUsage = .signVerify
            let key = try await f.kms.createKey(parameters, caller: f.alice)
            #expect(key.signingAlgorithms == ["ML_DSA_SHAKE_256"])
            let message = Array("post-quantum".utf8)
            let (signature, _) = try await f.kms.sign(keyID: key.id, message: message, messageType: .raw, algorithm: "ML_DSA_SHAKE_256", caller: f.alice)
            // SPKI: SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.3.18/19 }, BIT STRING { 0, raw key } } (RFC 9881).
            let (spki, _) = try await f.kms.publicKey(keyID: key.id, caller: f.alice)
            let algorithm: [UInt8] = [0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, oidLast]
            #expect(Array(spki[4..<17]) == algorithm)
            let raw = Array(spki.suffix(publicSize))
            // swift-crypto checks ML-DSA-65/87 independently (ML-DSA-44 is checked with dilithium-py in tests/e2e).
            if spec == .mlDSA65 {
                #expect(try MLDSA65.PublicKey(rawRepresentation: raw).isValidSignature(signature, for: message))
            } else if spec == .mlDSA87 {
                #expect(try MLDSA87.PublicKey(rawRepresentation: raw).isValidSignature(signature, for: message))
            }
            // The seed survives a restart: the reloaded key verifies the signature made before.
            _ = try await f.restarted().verify(keyID: key.id, message: message, messageType: .raw, signature: signature, algorithm: "ML_DSA_SHAKE_256", caller: f.alice)
            #expect(await code { _ = try await f.kms.verify(keyID: key.id, message: [1], messageType: .raw, signature: signature, algorithm: "ML_DSA_SHAKE_256", caller: f.alice) } == .invalidSignature)
            for wrong in [[UInt8](repeating: 7, count: 3), signature.dropLast().map { $0 }, signature + [0]] {
                #expect(await code { _ = try await f.kms.verify(keyID: key.id, message: message, messageType: .raw, signature: wrong, algorithm: "ML_DSA_SHAKE_256", caller: f.alice) } == .invalidSignature)
            }
            // EXTERNAL_MU: Sign takes a 64-byte µ; Verify cannot check against a µ and says so.
            let mu = [UInt8](repeating: 0x5A, count: 64)
            let (muSignature, _) = try await f.kms.sign(keyID: key.id, message: mu, messageType: .externalMu, algorithm: "ML_DSA_SHAKE_256", caller: f.alice)
            #expect(muSignature.count == signature.count)
            #expect(await code { _ = try await f.kms.verify(keyID: key.id, message: mu, messageType: .externalMu, signature: muSignature, algorithm: "ML_DSA_SHAKE_256", caller: f.alice) } == .unsupportedOperation)
        }
    }
}
