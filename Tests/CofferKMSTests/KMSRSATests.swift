import CofferCore
import CofferKMS
import Crypto
import Foundation
import Testing

/// RSA keys: signing and OAEP encryption round trips over every store back end
/// (independent verification with Python's `cryptography` is in tests/e2e/test_rsa.py).
struct KMSRSATests {
    @Test(arguments: StoreKind.allCases)
    func signingAndEncryptionRoundTrips(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var parameters = CreateKeyParameters()
        parameters.keySpec = .rsa2048
        parameters.keyUsage = .signVerify
        let signer = try await f.kms.createKey(parameters, caller: f.alice)
        #expect(signer.signingAlgorithms.count == 6 && signer.encryptionAlgorithms.isEmpty)
        for algorithm in signer.signingAlgorithms {
            let (signature, _) = try await f.kms.sign(keyID: signer.id, message: Array("m".utf8), messageType: .raw, algorithm: algorithm, caller: f.alice)
            #expect(signature.count == 256)
            _ = try await f.restarted().verify(keyID: signer.id, message: Array("m".utf8), messageType: .raw, signature: signature, algorithm: algorithm, caller: f.alice)
            #expect(await code { _ = try await f.kms.verify(keyID: signer.id, message: Array("n".utf8), messageType: .raw, signature: signature, algorithm: algorithm, caller: f.alice) } == .invalidSignature)
        }
        // A DIGEST signature verifies as a signature over the RAW message, for every hash.
        for algorithm in signer.signingAlgorithms {
            let message = Array("hashed by the caller".utf8)
            let digest: [UInt8] = algorithm.hasSuffix("384") ? Array(SHA384.hash(data: message))
                : algorithm.hasSuffix("512") ? Array(SHA512.hash(data: message)) : Array(SHA256.hash(data: message))
            let (signature, _) = try await f.kms.sign(keyID: signer.id, message: digest, messageType: .digest, algorithm: algorithm, caller: f.alice)
            _ = try await f.kms.verify(keyID: signer.id, message: message, messageType: .raw, signature: signature, algorithm: algorithm, caller: f.alice)
        }

        parameters.keyUsage = .encryptDecrypt
        let encrypter = try await f.kms.createKey(parameters, caller: f.alice)
        #expect(encrypter.encryptionAlgorithms == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"])
        for (algorithm, maximum) in [("RSAES_OAEP_SHA_1", 214), ("RSAES_OAEP_SHA_256", 190)] {
            let plaintext = [UInt8](repeating: 7, count: maximum)
            let (ciphertext, _) = try await f.kms.encrypt(keyID: encrypter.id, plaintext: plaintext, context: EncryptionContext(), algorithm: algorithm, caller: f.alice)
            #expect(ciphertext.count == 256)
            #expect(try await f.restarted().decrypt(ciphertext: ciphertext, context: EncryptionContext(), keyID: encrypter.id, algorithm: algorithm, caller: f.alice).plaintext == plaintext)
            #expect(await code { _ = try await f.kms.encrypt(keyID: encrypter.id, plaintext: plaintext + [0], context: EncryptionContext(), algorithm: algorithm, caller: f.alice) } == .validation)
            #expect(await code { _ = try await f.kms.decrypt(ciphertext: ciphertext, context: EncryptionContext(), keyID: nil, algorithm: algorithm, caller: f.alice) } == .validation)
            var tampered = ciphertext
            tampered[100] ^= 1
            #expect(await code { _ = try await f.kms.decrypt(ciphertext: tampered, context: EncryptionContext(), keyID: encrypter.id, algorithm: algorithm, caller: f.alice) } == .invalidCiphertext)
        }
        #expect(await code { _ = try await f.kms.encrypt(keyID: encrypter.id, plaintext: [1], context: EncryptionContext(["a": "b"]), algorithm: "RSAES_OAEP_SHA_256", caller: f.alice) } == .validation)
        #expect(await code { _ = try await f.kms.encrypt(keyID: encrypter.id, plaintext: [1], context: EncryptionContext(), caller: f.alice) } == .invalidKeyUsage)
        #expect(await code { _ = try await f.kms.encrypt(keyID: signer.id, plaintext: [1], context: EncryptionContext(), algorithm: "RSAES_OAEP_SHA_256", caller: f.alice) } == .invalidKeyUsage)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: [1, 2], context: EncryptionContext(), keyID: encrypter.id, caller: f.alice) } == .invalidKeyUsage)
    }
}
