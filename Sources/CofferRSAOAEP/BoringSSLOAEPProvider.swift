import CCofferBoringSSLShim
import CofferEncryptionSDK
import Crypto
import _CryptoExtras

/// RSA-OAEP with SHA-384 and SHA-512 (MGF1 of the same hash) for `RawRSAKeyring`.
///
/// swift-crypto 4.5.2 offers OAEP only with SHA-1 and SHA-256. This provider calls the
/// BoringSSL that swift-crypto already links in, through a small C shim; it implements no RSA
/// itself. It depends on swift-crypto's internal symbol prefix, so it is kept out of the core
/// library and must be re-checked whenever swift-crypto is upgraded.
public struct BoringSSLOAEPProvider: RSAPaddingProvider {
    public init() {}

    public func encrypt(_ plaintext: [UInt8], publicKeyPKCS1DER: [UInt8], padding: RSAPadding) throws -> [UInt8] {
        let bits = try hashBits(padding)
        var output = [UInt8](repeating: 0, count: 1024)
        var length = output.count
        let ok = publicKeyPKCS1DER.withUnsafeBufferPointer { key in
            plaintext.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    coffer_rsa_oaep_encrypt(key.baseAddress, key.count, bits, input.baseAddress, input.count, out.baseAddress, &length)
                }
            }
        }
        guard ok == 1, length <= output.count else { throw ESDKError(.keyringFailure, "RSA-OAEP encryption failed") }
        return Array(output.prefix(length))
    }

    public func decrypt(_ ciphertext: [UInt8], privateKeyPKCS1DER: [UInt8], padding: RSAPadding) throws -> [UInt8] {
        let bits = try hashBits(padding)
        var output = [UInt8](repeating: 0, count: max(ciphertext.count, 1))
        var length = output.count
        let ok = privateKeyPKCS1DER.withUnsafeBufferPointer { key in
            ciphertext.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    coffer_rsa_oaep_decrypt(key.baseAddress, key.count, bits, input.baseAddress, input.count, out.baseAddress, &length)
                }
            }
        }
        guard ok == 1, length <= output.count else { throw ESDKError(.unableToDecryptDataKey, "RSA-OAEP decryption failed") }
        return Array(output.prefix(length))
    }

    private func hashBits(_ padding: RSAPadding) throws -> Int32 {
        switch padding {
        case .oaepSHA384MGF1: return 384
        case .oaepSHA512MGF1: return 512
        default: throw ESDKError(.unsupportedRSAPadding, "this provider handles only OAEP with SHA-384 or SHA-512")
        }
    }
}
