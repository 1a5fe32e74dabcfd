import Crypto
import Foundation
import Testing
@testable import CofferKMS

/// ECC_SECG_P256K1 keys through libsecp256k1.
struct Secp256k1KeyTests {
    static let order = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")

    static func hex(_ text: String) -> [UInt8] { KMSImportTests.bytes(text) }

    @Test("the scalar 1 has the curve's generator as its public key (SEC 2, section 2.4.1)")
    func generator() throws {
        let key = try Secp256k1PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [1])
        let generator = Self.hex(
            "0479BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"
                + "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")
        #expect(key.publicKeyX962 == generator)
        // SubjectPublicKeyInfo: id-ecPublicKey with the named curve secp256k1, then the point.
        #expect(try key.publicKeyDER == Self.hex("3056301006072A8648CE3D020106052B8104000A034200") + generator)
    }

    @Test("scalars outside [1, n-1] and wrong lengths are refused")
    func invalidScalars() {
        for raw in [[UInt8](repeating: 0, count: 32), Self.order, [UInt8](repeating: 0xFF, count: 32), [UInt8](repeating: 1, count: 31)] {
            #expect(throws: KMSError.self) { try Secp256k1PrivateKey(rawRepresentation: raw) }
        }
    }

    @Test("signatures are deterministic, low-S and verify; the high-S twin verifies too; tampering does not")
    func signAndVerify() throws {
        let key = Secp256k1PrivateKey()
        let digest = Array(SHA256.hash(data: Array("message".utf8)))
        let signature = try key.signature(digest: digest)
        #expect(try key.signature(digest: digest) == signature)
        #expect(key.isValidSignature(signature, digest: digest))
        // DER: SEQUENCE { INTEGER r, INTEGER s }.
        #expect(signature[0] == 0x30 && Int(signature[1]) == signature.count - 2)
        let rLength = Int(signature[3])
        var s = Array(signature[(6 + rLength)...])
        if s.first == 0 { s.removeFirst() }
        let sValue = s.count < 32 ? [UInt8](repeating: 0, count: 32 - s.count) + s : s
        #expect(sValue.lexicographicallyPrecedes(Self.halfOrder))
        // n - s, re-encoded (high S always needs a leading zero byte).
        let high = Self.subtract(Self.order, sValue)
        let highInteger: [UInt8] = [0x02, 33, 0] + high
        let r = Array(signature[2..<(4 + rLength)])
        let twin: [UInt8] = [0x30, UInt8(r.count + highInteger.count)] + r + highInteger
        #expect(key.isValidSignature(twin, digest: digest))
        var other = digest
        other[0] ^= 1
        #expect(!key.isValidSignature(signature, digest: other))
        #expect(!key.isValidSignature(signature + [0], digest: digest))
        #expect(!key.isValidSignature([], digest: digest))
        #expect(!Secp256k1PrivateKey().isValidSignature(signature, digest: digest))
        #expect(throws: KMSError.self) { try key.signature(digest: Array(digest.prefix(31))) }
    }

    @Test("PKCS #8 round trip; a PKCS #8 key whose public key does not match is refused")
    func pkcs8() throws {
        let key = Secp256k1PrivateKey()
        let der = try key.pkcs8DERRepresentation
        #expect(try Secp256k1PrivateKey(pkcs8DER: der).rawRepresentation == key.rawRepresentation)
        // Swap in another key's public point: the embedded public key no longer matches the scalar.
        let other = Secp256k1PrivateKey()
        var forged = der
        let range = try #require(Self.find(key.publicKeyX962, in: der))
        forged.replaceSubrange(range, with: other.publicKeyX962)
        #expect(throws: KMSError.self) { try Secp256k1PrivateKey(pkcs8DER: forged) }
        #expect(throws: KMSError.self) { try Secp256k1PrivateKey(pkcs8DER: Array(der.dropLast())) }
        // A P-256 PKCS #8 key names another curve.
        #expect(throws: KMSError.self) { try Secp256k1PrivateKey(pkcs8DER: Array(P256.Signing.PrivateKey().derRepresentation)) }
    }

    @Test("a KMS key of spec ECC_SECG_P256K1 signs RAW and DIGEST messages with ECDSA_SHA_256")
    func throughAsymmetricKey() throws {
        let material = try AsymmetricKey.generateMaterial(.eccSecgP256k1)
        let key = try AsymmetricKey(spec: .eccSecgP256k1, material: material)
        let message = Array("raw message".utf8)
        let raw = try key.sign(message, algorithm: "ECDSA_SHA_256", isDigest: false)
        let digest = Array(SHA256.hash(data: message))
        #expect(try key.verify(raw, message: digest, algorithm: "ECDSA_SHA_256", isDigest: true))
        let fromDigest = try key.sign(digest, algorithm: "ECDSA_SHA_256", isDigest: true)
        #expect(try key.verify(fromDigest, message: message, algorithm: "ECDSA_SHA_256", isDigest: false))
        #expect(AsymmetricKey.signingAlgorithms(for: .eccSecgP256k1).map(\.name) == ["ECDSA_SHA_256"])
        let pair = try AsymmetricKey.generateDataKeyPair("ECC_SECG_P256K1")
        let parsed = try Secp256k1PrivateKey(pkcs8DER: pair.privateKeyPKCS8)
        #expect(try parsed.publicKeyDER == pair.publicKey)
    }

    static let halfOrder = hex("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A1")

    /// a - b for 32-byte big-endian numbers with a >= b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var value = Int(a[index]) - Int(b[index]) - borrow
            borrow = value < 0 ? 1 : 0
            if value < 0 { value += 256 }
            result[index] = UInt8(value)
        }
        return result
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return start..<(start + needle.count)
        }
        return nil
    }
}
