import CofferEncryptionSDK
import CofferRSAOAEP
import _CryptoExtras

enum RSATestKey {
    static let provider: any RSAPaddingProvider = BoringSSLOAEPProvider()

    /// A fresh 2048-bit key, PEM (PKCS#1).
    static func privatePEM() throws -> String {
        try _RSA.Encryption.PrivateKey(keySize: .bits2048).pemRepresentation
    }
}
