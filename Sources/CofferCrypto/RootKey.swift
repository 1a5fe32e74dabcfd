import CofferCore
import Crypto
import Foundation

/// The 256-bit root of Coffer's key hierarchy (the role AWS's HSM domain key plays).
///
/// Every secret Coffer stores (KMS key material, secret access keys, TLS private keys) is sealed
/// under it, bound to a purpose label so a sealed value cannot be moved to another slot.
public struct RootKey: Sendable {
    let key: SymmetricKey

    /// Wraps 32 bytes of key material.
    public init<D: ContiguousBytes>(bytes: D) throws {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == 256 else { throw CofferCryptoError(.invalidKey, "the root key must be 32 bytes") }
        self.key = key
    }

    /// A fresh random root key.
    public static func generate() -> RootKey { RootKey(key: SymmetricKey(size: .bits256)) }

    private init(key: SymmetricKey) { self.key = key }

    /// The raw key bytes, for writing the embedded-default key file.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try key.withUnsafeBytes(body)
    }

    /// Seals a secret under the root key, bound to `label` (e.g. the key ARN and version).
    public func seal<D: DataProtocol>(_ secret: D, label: String) throws -> [UInt8] {
        try SealedSecret.seal(secret, with: key, label: label)
    }

    /// Opens a secret sealed with ``seal(_:label:)`` under the same label.
    public func open(_ sealed: [UInt8], label: String) throws -> [UInt8] {
        try SealedSecret.open(sealed, with: key, label: label)
    }

    /// A value derived from the root key that identifies it without revealing it, stored beside the
    /// data so that starting with the wrong root key fails closed at once.
    public var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("coffer root key fingerprint v1".utf8), using: key)
        return Bytes.hex(mac.prefix(16))
    }
}

