import CofferAudit
import CofferCrypto
import CofferStorageSQLite
import Crypto
import Foundation

/// Settings of the audit trail (`coffer serve --audit ...`).
public struct AuditSettings: Sendable {
    /// Off only for comparisons (the benchmark) and for people who accept no trail.
    public var enabled = true
    /// Refuse answers whose event cannot be recorded (default), or log and answer anyway.
    public var failClosed = true
    public var segmentSeconds: TimeInterval = 300
    public var digestSeconds: TimeInterval = 3600
    public var retentionDays: Double?
    public var retentionBytes: Int?
    public init() {}
}

extension CofferStores {
    /// The digest signing key: generated on first use, stored sealed under the root key, its
    /// public half written beside it for `coffer audit verify`.
    public func auditSigningKey() throws -> Curve25519.Signing.PrivateKey {
        let label = "audit-signing-key:v1"
        let path = dataDirectory.auditSealedSigningKeyPath
        if dataDirectory.exists(path) {
            do {
                return try Curve25519.Signing.PrivateKey(rawRepresentation: try rootKey.open(try dataDirectory.read(path), label: label))
            } catch {
                throw CofferStartupError("the audit signing key at \(path) could not be unsealed")
            }
        }
        try FileManager.default.createDirectory(at: dataDirectory.auditDirectory, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        try dataDirectory.writeAtomically(try rootKey.seal(key.rawRepresentation, label: label), to: path, mode: 0o600)
        try dataDirectory.writeAtomically(Array(key.publicKey.rawRepresentation.base64EncodedString().utf8), to: dataDirectory.auditPublicKeyPath)
        return key
    }

    /// The trail over `DIR/audit`, or nil when the settings turn it off.
    public func auditTrail(_ settings: AuditSettings, now: @escaping @Sendable () -> Date = { Date() }) throws -> AuditTrail? {
        guard settings.enabled else { return nil }
        var configuration = AuditConfiguration(directory: dataDirectory.auditDirectory)
        configuration.segmentSeconds = settings.segmentSeconds
        configuration.digestSeconds = settings.digestSeconds
        configuration.retentionSeconds = settings.retentionDays.map { $0 * 86_400 }
        configuration.retentionMaxBytes = settings.retentionBytes
        return try AuditTrail(configuration: configuration, signingKey: try auditSigningKey(), now: now)
    }

    /// The digest public key as written on first start.
    public func auditPublicKey() throws -> Curve25519.Signing.PublicKey {
        let text = String(decoding: try dataDirectory.read(dataDirectory.auditPublicKeyPath), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text) else { throw CofferStartupError("\(dataDirectory.auditPublicKeyPath) is not a base64 Ed25519 public key") }
        return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }
}
