import CofferCore
import CofferKMS
import Crypto
import Foundation
import Testing

/// HMAC keys: GenerateMac and VerifyMac.
struct KMSMacTests {
    /// RFC 4231 ("Identifiers and Test Vectors for HMAC-SHA-224, -256, -384, and -512"), test cases 1 and 2.
    struct Vector: Sendable {
        var source: String
        var key: [UInt8]
        var message: String
        var spec: KeySpec
        var mac: String
    }

    static let vectors: [Vector] = [
        Vector(source: "RFC 4231 4.2", key: [UInt8](repeating: 0x0b, count: 20), message: "Hi There", spec: .hmac256,
               mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(source: "RFC 4231 4.2", key: [UInt8](repeating: 0x0b, count: 20), message: "Hi There", spec: .hmac384,
               mac: "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        Vector(source: "RFC 4231 4.2", key: [UInt8](repeating: 0x0b, count: 20), message: "Hi There", spec: .hmac512,
               mac: "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"),
        Vector(source: "RFC 4231 4.3", key: Array("Jefe".utf8), message: "what do ya want for nothing?", spec: .hmac256,
               mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(source: "RFC 4231 4.3", key: Array("Jefe".utf8), message: "what do ya want for nothing?", spec: .hmac384,
               mac: "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
        Vector(source: "RFC 4231 4.3", key: Array("Jefe".utf8), message: "what do ya want for nothing?", spec: .hmac512,
               mac: "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"),
    ]

    @Test(arguments: vectors)
    func computeMacMatchesRFC4231(_ vector: Vector) throws {
        let mac = try KMSService.computeMac(spec: vector.spec, key: SymmetricKey(data: vector.key), message: Array(vector.message.utf8))
        #expect(Bytes.hex(mac) == vector.mac)
    }

    @Test(arguments: StoreKind.allCases)
    func generateAndVerify(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        for (spec, algorithm, length) in [(KeySpec.hmac256, "HMAC_SHA_256", 32), (.hmac384, "HMAC_SHA_384", 48), (.hmac512, "HMAC_SHA_512", 64)] {
            var parameters = CreateKeyParameters()
            parameters.keySpec = spec
            parameters.keyUsage = .generateVerifyMAC
            let key = try await f.kms.createKey(parameters, caller: f.alice)
            #expect(key.macAlgorithms == [algorithm] && key.encryptionAlgorithms.isEmpty)
            let message = Array("message".utf8)
            let (mac, _) = try await f.kms.generateMac(keyID: key.id, message: message, algorithm: algorithm, caller: f.alice)
            #expect(mac.count == length)
            #expect(try await f.restarted().generateMac(keyID: key.id, message: message, algorithm: algorithm, caller: f.alice).mac == mac)
            _ = try await f.kms.verifyMac(keyID: key.id, message: message, mac: mac, algorithm: algorithm, caller: f.alice)
            var tampered = mac
            tampered[0] ^= 1
            #expect(await code { _ = try await f.kms.verifyMac(keyID: key.id, message: message, mac: tampered, algorithm: algorithm, caller: f.alice) } == .invalidMac)
            #expect(await code { _ = try await f.kms.verifyMac(keyID: key.id, message: Array("other".utf8), mac: mac, algorithm: algorithm, caller: f.alice) } == .invalidMac)
            #expect(await code { _ = try await f.kms.generateMac(keyID: key.id, message: message, algorithm: "HMAC_SHA_224", caller: f.alice) } == .invalidKeyUsage)
            #expect(await code { _ = try await f.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: f.alice) } == .invalidKeyUsage)
            #expect(await code { _ = try await f.kms.rotateKeyOnDemand(key.id, caller: f.alice) } == .unsupportedOperation)
        }
        let symmetric = try await f.kms.createKey(CreateKeyParameters(), caller: f.alice)
        #expect(await code { _ = try await f.kms.generateMac(keyID: symmetric.id, message: [1], algorithm: "HMAC_SHA_256", caller: f.alice) } == .invalidKeyUsage)
    }

    @Test(arguments: StoreKind.allCases)
    func hmacKeysNeedTheMacUsage(_ kind: StoreKind) async throws {
        let f = try KMSFixture(kind)
        defer { f.cleanUp() }
        var parameters = CreateKeyParameters()
        parameters.keySpec = .hmac256
        #expect(await code { _ = try await f.kms.createKey(parameters, caller: f.alice) } == .validation)
        parameters.keyUsage = .generateVerifyMAC
        parameters.keySpec = .sm2
        #expect(await code { _ = try await f.kms.createKey(parameters, caller: f.alice) } == .unsupportedOperation)
    }

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block size) for HMAC-SHA-224.
    @Test func hmacSHA224MatchesRFC4231() throws {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            ([UInt8](repeating: 0x0B, count: 20), Array("Hi There".utf8), "896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22"),
            (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"),
            ([UInt8](repeating: 0xAA, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
             "95e9a0db962095adaebe9b2d6f0dbce2d499f112f2d2b7273fa6870e"),
        ]
        for test in cases {
            let mac = try KMSService.computeMac(spec: .hmac224, key: SymmetricKey(data: test.key), message: test.data)
            #expect(mac == KMSImportTests.bytes(test.mac))
        }
    }
}
