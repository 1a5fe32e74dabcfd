import Crypto
import Foundation

/// The sealed-secret format: AES-256-GCM under a wrapping key, with a purpose label as
/// authenticated data.
///
/// Layout: `0x01` (format version) | 12-byte nonce | ciphertext | 16-byte tag.
/// The authenticated data is `"coffer-sealed-v1\0" + label`, so a secret sealed for one key
/// version or one access key does not open under another label.
public enum SealedSecret {
    static let version: UInt8 = 0x01
    static let overhead = 1 + 12 + 16

    public static func seal<D: DataProtocol>(_ secret: D, with key: SymmetricKey, label: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(secret, using: key, nonce: try SecureRandom.nonce(), authenticating: aad(label))
        var out: [UInt8] = [version]
        out.reserveCapacity(overhead + secret.count)
        out.append(contentsOf: box.nonce)
        out.append(contentsOf: box.ciphertext)
        out.append(contentsOf: box.tag)
        return out
    }

    public static func open(_ sealed: [UInt8], with key: SymmetricKey, label: String) throws -> [UInt8] {
        guard sealed.count >= overhead else { throw CofferCryptoError(.malformed, "sealed secret is too short") }
        guard sealed[0] == version else { throw CofferCryptoError(.unsupportedVersion, "unknown sealed-secret version") }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: sealed[1..<13]),
                ciphertext: sealed[13..<(sealed.count - 16)],
                tag: sealed[(sealed.count - 16)...]
            )
            return Array(try AES.GCM.open(box, using: key, authenticating: aad(label)))
        } catch {
            throw CofferCryptoError(.authenticationFailed, "sealed secret did not authenticate")
        }
    }

    private static func aad(_ label: String) -> [UInt8] {
        Array("coffer-sealed-v1\u{0}".utf8) + Array(label.utf8)
    }
}
