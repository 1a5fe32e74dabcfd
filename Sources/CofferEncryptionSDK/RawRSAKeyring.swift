import Crypto
import _CryptoExtras

/// RSA padding schemes of the raw RSA keyring.
public enum RSAPadding: String, Sendable, Hashable, CaseIterable {
    case pkcs1v15 = "PKCS1"
    case oaepSHA1MGF1 = "OAEP_SHA1_MGF1"
    case oaepSHA256MGF1 = "OAEP_SHA256_MGF1"
    case oaepSHA384MGF1 = "OAEP_SHA384_MGF1"
    case oaepSHA512MGF1 = "OAEP_SHA512_MGF1"

    /// The swift-crypto padding, when swift-crypto 4.5.2 offers it.
    var cryptoExtrasPadding: _RSA.Encryption.Padding? {
        switch self {
        case .pkcs1v15: return ._WEAK_AND_INSECURE_PKCS_V1_5
        case .oaepSHA1MGF1: return .PKCS1_OAEP
        case .oaepSHA256MGF1: return .PKCS1_OAEP_SHA256
        case .oaepSHA384MGF1, .oaepSHA512MGF1: return nil
        }
    }
}

/// An RSA operation provider for paddings that swift-crypto lacks (OAEP with SHA-384/512).
///
/// Keys are passed as PKCS#1 DER (RSAPublicKey, RSAPrivateKey).
public protocol RSAPaddingProvider: Sendable {
    func encrypt(_ plaintext: [UInt8], publicKeyPKCS1DER: [UInt8], padding: RSAPadding) throws -> [UInt8]
    func decrypt(_ ciphertext: [UInt8], privateKeyPKCS1DER: [UInt8], padding: RSAPadding) throws -> [UInt8]
}

/// Wraps data keys with a local RSA key pair (spec: framework/raw-rsa-keyring).
///
/// Provider info is the key name; the wrapped key is the RSA ciphertext. Either key may be
/// omitted: a keyring with only a public key encrypts, one with a private key decrypts.
public struct RawRSAKeyring: Keyring {
    public let keyNamespace: String
    public let keyName: String
    public let padding: RSAPadding
    private let keys: RSAKeyPair
    private let provider: (any RSAPaddingProvider)?

    /// - Parameters:
    ///   - publicKeyPEM: SubjectPublicKeyInfo or PKCS#1 PEM.
    ///   - privateKeyPEM: PKCS#8 or PKCS#1 PEM; its public half is used when `publicKeyPEM` is nil.
    ///   - provider: required for OAEP with SHA-384/512, which swift-crypto 4.5.2 does not offer.
    public init(keyNamespace: String, keyName: String, padding: RSAPadding, publicKeyPEM: String? = nil,
                privateKeyPEM: String? = nil, provider: (any RSAPaddingProvider)? = nil) throws(ESDKError) {
        guard keyNamespace != "aws-kms" else { throw ESDKError(.invalidArgument, "key namespace 'aws-kms' is reserved") }
        guard publicKeyPEM != nil || privateKeyPEM != nil else {
            throw ESDKError(.invalidKeyMaterial, "raw RSA keyring needs a public or a private key")
        }
        if padding.cryptoExtrasPadding == nil && provider == nil {
            throw ESDKError(.unsupportedRSAPadding, "RSA padding \(padding.rawValue) is not available in swift-crypto 4.5.2; supply an RSAPaddingProvider")
        }
        do {
            // The unsafe initializers accept keys shorter than 2048 bits, as the other SDKs do.
            let privateKey = try privateKeyPEM.map { try _RSA.Encryption.PrivateKey(unsafePEMRepresentation: $0) }
            let publicKey = try publicKeyPEM.map { try _RSA.Encryption.PublicKey(unsafePEMRepresentation: $0) } ?? privateKey?.publicKey
            self.keys = RSAKeyPair(publicKey: publicKey, privateKey: privateKey)
        } catch {
            throw ESDKError(.invalidKeyMaterial, "RSA key could not be parsed", cause: error)
        }
        self.keyNamespace = keyNamespace
        self.keyName = keyName
        self.padding = padding
        self.provider = provider
    }

    public func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials {
        guard let publicKey = keys.publicKey else {
            throw ESDKError(.keyringFailure, "raw RSA keyring '\(keyName)' has no public key to encrypt with")
        }
        var materials = materials
        let dataKey = materials.plaintextDataKey ?? secureRandomBytes(materials.algorithmSuite.dataKeyLength)
        let wrapped: [UInt8]
        do {
            if let rsaPadding = padding.cryptoExtrasPadding {
                wrapped = Array(try publicKey.encrypt(dataKey, padding: rsaPadding))
            } else if let provider {
                wrapped = try provider.encrypt(dataKey, publicKeyPKCS1DER: Array(publicKey.pkcs1DERRepresentation), padding: padding)
            } else {
                throw ESDKError(.unsupportedRSAPadding, "RSA padding \(padding.rawValue) is unavailable")
            }
        } catch let error as ESDKError {
            throw error
        } catch {
            throw ESDKError(.keyringFailure, "RSA encryption of the data key failed", cause: error)
        }
        materials.plaintextDataKey = dataKey
        materials.encryptedDataKeys.append(EncryptedDataKey(providerID: keyNamespace, providerInfo: Array(keyName.utf8), ciphertext: wrapped))
        return materials
    }

    public func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials {
        guard materials.plaintextDataKey == nil else { return materials }
        guard let privateKey = keys.privateKey else {
            throw ESDKError(.unableToDecryptDataKey, "raw RSA keyring '\(keyName)' has no private key to decrypt with")
        }
        let name = Array(keyName.utf8)
        for key in encryptedDataKeys where key.providerID == keyNamespace && key.providerInfo == name {
            do {
                let dataKey: [UInt8]
                if let rsaPadding = padding.cryptoExtrasPadding {
                    dataKey = Array(try privateKey.decrypt(key.ciphertext, padding: rsaPadding))
                } else if let provider {
                    dataKey = try provider.decrypt(key.ciphertext, privateKeyPKCS1DER: Array(privateKey.derRepresentation), padding: padding)
                } else {
                    continue
                }
                guard dataKey.count == materials.algorithmSuite.dataKeyLength else { continue }
                var result = materials
                result.plaintextDataKey = dataKey
                return result
            } catch {
                continue
            }
        }
        throw ESDKError(.unableToDecryptDataKey, "raw RSA keyring '\(keyNamespace)'/'\(keyName)' could not decrypt any encrypted data key")
    }
}

/// Holds swift-crypto RSA keys, which are not marked Sendable.
// Invariant: the keys are immutable after init, and BoringSSL permits concurrent use of a const RSA key.
private final class RSAKeyPair: @unchecked Sendable {
    let publicKey: _RSA.Encryption.PublicKey?
    let privateKey: _RSA.Encryption.PrivateKey?

    init(publicKey: _RSA.Encryption.PublicKey?, privateKey: _RSA.Encryption.PrivateKey?) {
        self.publicKey = publicKey
        self.privateKey = privateKey
    }
}
