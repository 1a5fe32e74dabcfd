import Crypto
import Foundation

/// A running hash over header and body, finished into an ECDSA signature (P-256/SHA-256 or P-384/SHA-384).
struct MessageSigner {
    enum Key {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
    }

    private let key: Key
    private var hasher: MessageHasher

    init(privateKey: SigningKey) {
        switch privateKey.backing {
        case .p256(let key):
            self.key = .p256(key)
            self.hasher = .sha256(SHA256())
        case .p384(let key):
            self.key = .p384(key)
            self.hasher = .sha384(SHA384())
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }
    mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { hasher.update($0) } }

    /// Signs and retries until the DER signature has the static length that the other SDKs write.
    func finish() throws(ESDKError) -> [UInt8] {
        for _ in 0..<128 {
            let der: Data
            do {
                switch (key, hasher) {
                case (.p256(let key), .sha256(let hash)):
                    der = try key.signature(for: hash.finalize()).derRepresentation
                case (.p384(let key), .sha384(let hash)):
                    der = try key.signature(for: hash.finalize()).derRepresentation
                default:
                    throw ESDKError(.invalidMaterials, "signing key does not match the hash")
                }
            } catch let error as ESDKError {
                throw error
            } catch {
                throw ESDKError(.invalidMaterials, "signing failed", cause: error)
            }
            let wanted: Int
            switch key {
            case .p256: wanted = 71
            case .p384: wanted = 103
            }
            if der.count == wanted { return Array(der) }
        }
        throw ESDKError(.invalidMaterials, "could not produce a signature of the expected length")
    }
}

/// The running hash of a message for its signature.
enum MessageHasher {
    case sha256(SHA256)
    case sha384(SHA384)

    init(for signature: AlgorithmSuite.Signature) {
        switch signature {
        case .ecdsaP256SHA256: self = .sha256(SHA256())
        case .ecdsaP384SHA384: self = .sha384(SHA384())
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .sha256(var hash):
            hash.update(bufferPointer: bytes)
            self = .sha256(hash)
        case .sha384(var hash):
            hash.update(bufferPointer: bytes)
            self = .sha384(hash)
        }
    }
}

/// A signing key for a signing algorithm suite, created per message by the default CMM.
public struct SigningKey: Sendable {
    enum Backing: Sendable {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
    }

    let backing: Backing

    /// A fresh key for `signature`.
    init(generatingFor signature: AlgorithmSuite.Signature) {
        switch signature {
        case .ecdsaP256SHA256: backing = .p256(P256.Signing.PrivateKey())
        case .ecdsaP384SHA384: backing = .p384(P384.Signing.PrivateKey())
        }
    }

    /// The compressed public point, base64, as stored under `aws-crypto-public-key`.
    var encodedPublicKey: String {
        switch backing {
        case .p256(let key): return key.publicKey.compressedRepresentation.base64EncodedString()
        case .p384(let key): return key.publicKey.compressedRepresentation.base64EncodedString()
        }
    }

    func matches(_ signature: AlgorithmSuite.Signature) -> Bool {
        switch (backing, signature) {
        case (.p256, .ecdsaP256SHA256), (.p384, .ecdsaP384SHA384): return true
        default: return false
        }
    }
}

/// A verification key decoded from `aws-crypto-public-key`.
public struct VerificationKey: Sendable {
    enum Backing: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
    }

    let backing: Backing

    init(encoded: String, for signature: AlgorithmSuite.Signature) throws(ESDKError) {
        guard let point = Data(base64Encoded: encoded) else {
            throw ESDKError(.malformedMessage, "the message's public key is not valid base64")
        }
        do {
            switch signature {
            case .ecdsaP256SHA256: backing = .p256(try P256.Signing.PublicKey(compressedRepresentation: point))
            case .ecdsaP384SHA384: backing = .p384(try P384.Signing.PublicKey(compressedRepresentation: point))
            }
        } catch {
            throw ESDKError(.malformedMessage, "the message's public key is not a valid compressed point", cause: error)
        }
    }

    func isValid(signature der: [UInt8], hasher: MessageHasher) -> Bool {
        switch (backing, hasher) {
        case (.p256(let key), .sha256(let hash)):
            guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: der) else { return false }
            return key.isValidSignature(signature, for: hash.finalize())
        case (.p384(let key), .sha384(let hash)):
            guard let signature = try? P384.Signing.ECDSASignature(derRepresentation: der) else { return false }
            return key.isValidSignature(signature, for: hash.finalize())
        default:
            return false
        }
    }
}
