import CofferCore
import Crypto
import Foundation

/// The KMS ciphertext blob: versioned and self-describing, so Decrypt finds the key and key version
/// from the blob alone and rotation never breaks old ciphertexts.
///
/// Layout (all integers big-endian):
///
/// | bytes | field |
/// |---|---|
/// | 1 | format version, `0x01` |
/// | 1 | key id length `n` (1...64) |
/// | n | key id, ASCII |
/// | 4 | key version |
/// | 12 | AES-GCM nonce |
/// | m | ciphertext |
/// | 16 | AES-GCM tag |
///
/// The authenticated data is the header (everything before the nonce) followed by the canonical
/// encryption context, so a changed header byte, a different key or a different context all fail.
public struct CiphertextBlob: Sendable, Hashable {
    public static let formatVersion: UInt8 = 0x01
    /// Bytes a blob adds to its plaintext for a key id of `keyIDLength` bytes.
    public static func overhead(keyIDLength: Int) -> Int { 1 + 1 + keyIDLength + 4 + 12 + 16 }

    public var keyID: String
    public var keyVersion: UInt32
    public var nonce: [UInt8]
    public var ciphertext: [UInt8]
    public var tag: [UInt8]

    /// Parses the header and splits the body; does not authenticate anything.
    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count >= 2 else { throw CofferCryptoError(.malformed, "ciphertext blob is too short") }
        guard bytes[0] == Self.formatVersion else { throw CofferCryptoError(.unsupportedVersion, "unknown ciphertext format") }
        let idLength = Int(bytes[1])
        guard (1...64).contains(idLength), bytes.count >= Self.overhead(keyIDLength: idLength) else {
            throw CofferCryptoError(.malformed, "ciphertext blob is too short")
        }
        let idBytes = bytes[2..<(2 + idLength)]
        guard idBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { throw CofferCryptoError(.malformed, "bad key id") }
        keyID = String(decoding: idBytes, as: UTF8.self)
        var cursor = 2 + idLength
        keyVersion = bytes[cursor..<(cursor + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        cursor += 4
        nonce = Array(bytes[cursor..<(cursor + 12)])
        cursor += 12
        ciphertext = Array(bytes[cursor..<(bytes.count - 16)])
        tag = Array(bytes[(bytes.count - 16)...])
    }

    /// Encrypts `plaintext` under one version of a key, binding the encryption context.
    public static func seal<D: DataProtocol>(
        _ plaintext: D, keyID: String, keyVersion: UInt32, key: SymmetricKey, context: EncryptionContext
    ) throws -> [UInt8] {
        let idBytes = Array(keyID.utf8)
        guard (1...64).contains(idBytes.count) else { throw CofferCryptoError(.malformed, "key id length out of range") }
        var out: [UInt8] = []
        out.reserveCapacity(overhead(keyIDLength: idBytes.count) + plaintext.count)
        out.append(formatVersion)
        out.append(UInt8(idBytes.count))
        out.append(contentsOf: idBytes)
        withUnsafeBytes(of: keyVersion.bigEndian) { out.append(contentsOf: $0) }
        let aad = out + context.canonicalBytes
        let box = try AES.GCM.seal(plaintext, using: key, nonce: try SecureRandom.nonce(), authenticating: aad)
        out.append(contentsOf: box.nonce)
        out.append(contentsOf: box.ciphertext)
        out.append(contentsOf: box.tag)
        return out
    }

    /// Decrypts the blob with the key version it names, checking the encryption context.
    public func open(with key: SymmetricKey, context: EncryptionContext) throws -> [UInt8] {
        var aad: [UInt8] = [Self.formatVersion, UInt8(keyID.utf8.count)]
        aad.append(contentsOf: keyID.utf8)
        withUnsafeBytes(of: keyVersion.bigEndian) { aad.append(contentsOf: $0) }
        aad.append(contentsOf: context.canonicalBytes)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
            return Array(try AES.GCM.open(box, using: key, authenticating: aad))
        } catch {
            throw CofferCryptoError(.authenticationFailed, "ciphertext did not authenticate")
        }
    }
}
