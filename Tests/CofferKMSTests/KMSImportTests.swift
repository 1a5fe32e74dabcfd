import CofferCore
import CofferCrypto
@testable import CofferKMS
import Crypto
import Foundation
import Testing
import _CryptoExtras

/// Imported key material (BYOK) over every store back end, and the RFC 5649 unwrap it relies on
/// (wrapping with Python's `cryptography` is in tests/e2e/test_import.py).
struct KMSImportTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    /// RFC 5649 section 6: both published examples, and tampering detected.
    @Test func keyWrapWithPaddingMatchesRFC5649() {
        let kek = SymmetricKey(data: Self.bytes("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8"))
        let twentyBytes = Self.bytes("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")
        #expect(AESKeyWrapPadding.unwrap(twentyBytes, kek: kek) == Self.bytes("c37b7e6492584340bed12207808941155068f738"))
        let sevenBytes = Self.bytes("afbeb0f07dfbf5419200f2ccb50bb24f")
        #expect(AESKeyWrapPadding.unwrap(sevenBytes, kek: kek) == Self.bytes("466f7250617369"))
        var tampered = twentyBytes
        tampered[20] ^= 1
        #expect(AESKeyWrapPadding.unwrap(tampered, kek: kek) == nil)
        #expect(AESKeyWrapPadding.unwrap(Array(twentyBytes.dropLast(8)), kek: kek) == nil)
        #expect(AESKeyWrapPadding.unwrap([1, 2, 3], kek: kek) == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func importDeleteAndReimport(_ kind: StoreKind) async throws {
        let clock = AdjustableWallClock()
        let f = try KMSFixture(kind, clock: clock)
        defer { f.cleanUp() }
        var create = CreateKeyParameters()
        create.origin = .external
        let key = try await f.kms.createKey(create, caller: f.alice)
        #expect(key.state == .pendingImport)

        func wrapped(_ material: [UInt8]) async throws -> (token: [UInt8], ciphertext: [UInt8]) {
            let parameters = try await f.kms.parametersForImport(key.id, wrappingAlgorithm: "RSAES_OAEP_SHA_256", wrappingKeySpec: "RSA_2048", caller: f.alice)
            let publicKey = try _RSA.Encryption.PublicKey(derRepresentation: parameters.publicKey)
            return (parameters.importToken, Array(try publicKey.encrypt(material, padding: .PKCS1_OAEP_SHA256)))
        }
        let material = SecureRandom.bytes(32)
        var (token, ciphertext) = try await wrapped(material)
        var request = ImportKeyMaterialParameters(keyID: key.id, importToken: token, encryptedKeyMaterial: ciphertext)
        request.expirationModel = .expires
        request.validTo = clock.now().addingTimeInterval(86_400)
        let (imported, materialID) = try await f.kms.importKeyMaterial(request, caller: f.alice)
        #expect(imported.state == .enabled && materialID.count == 64)
        let (blob, _) = try await f.kms.encrypt(keyID: key.id, plaintext: [7], context: EncryptionContext(), caller: f.alice)

        // After a restart the material still decrypts; once ValidTo passes it stops at once, and
        // the lifecycle sweep deletes it.
        #expect(try await f.restarted(clock: clock).decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [7])
        clock.advance(by: 86_401)
        #expect(await code { _ = try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice) } == .invalidState)
        try await f.kms.runDueLifecycle()
        #expect(try await f.kms.describeKey(key.id, caller: f.alice).state == .pendingImport)
        #expect(try await f.store.materials(keyID: key.id).isEmpty)

        // Different material is refused; the same material restores the key.
        (token, ciphertext) = try await wrapped(SecureRandom.bytes(32))
        request = ImportKeyMaterialParameters(keyID: key.id, importToken: token, encryptedKeyMaterial: ciphertext)
        request.expirationModel = .doesNotExpire
        #expect(await code { _ = try await f.kms.importKeyMaterial(request, caller: f.alice) } == .incorrectKeyMaterial)
        (token, ciphertext) = try await wrapped(material)
        request = ImportKeyMaterialParameters(keyID: key.id, importToken: token, encryptedKeyMaterial: ciphertext)
        request.expirationModel = .doesNotExpire
        #expect(try await f.kms.importKeyMaterial(request, caller: f.alice).keyMaterialID == materialID)
        #expect(try await f.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: f.alice).plaintext == [7])

        // Tokens expire after 24 hours.
        (token, ciphertext) = try await wrapped(material)
        clock.advance(by: 86_400)
        request = ImportKeyMaterialParameters(keyID: key.id, importToken: token, encryptedKeyMaterial: ciphertext)
        request.expirationModel = .doesNotExpire
        #expect(await code { _ = try await f.kms.importKeyMaterial(request, caller: f.alice) } == .expiredImportToken)
    }
}
