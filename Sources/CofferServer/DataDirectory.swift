import CofferCore
import Foundation

/// The layout of a Coffer data directory and durable file writes inside it.
///
/// `coffer.sqlite` (metadata), `root.key` (embedded-default root key, 0600), `tls/` (local CA and
/// server certificate; private keys sealed under the root key), `credentials` (the first
/// account's access key in the AWS shared-credentials format, 0600).
public struct DataDirectory: Sendable {
    public let url: URL

    public init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var databasePath: String { url.appendingPathComponent("coffer.sqlite").path }
    public var rootKeyPath: String { url.appendingPathComponent("root.key").path }
    public var credentialsPath: String { url.appendingPathComponent("credentials").path }
    public var tlsDirectory: URL { url.appendingPathComponent("tls", isDirectory: true) }
    public var caCertificatePath: String { tlsDirectory.appendingPathComponent("ca.pem").path }
    public var caSealedKeyPath: String { tlsDirectory.appendingPathComponent("ca.key.sealed").path }
    public var serverCertificatePath: String { tlsDirectory.appendingPathComponent("server.pem").path }
    public var serverSealedKeyPath: String { tlsDirectory.appendingPathComponent("server.key.sealed").path }
    /// The audit trail: segments, CloudTrail log files, digests, and the digest signing key.
    /// The S3 object store's sealed blobs (`tmp/` for uploads in progress, `blobs/` once committed).
    public var objectsDirectory: URL { url.appendingPathComponent("objects", isDirectory: true) }
    public var auditDirectory: URL { url.appendingPathComponent("audit", isDirectory: true) }
    public var auditSealedSigningKeyPath: String { auditDirectory.appendingPathComponent("signing-key.sealed").path }
    /// The digest signing key's public half (raw Ed25519, base64), what `coffer audit verify` checks against.
    public var auditPublicKeyPath: String { auditDirectory.appendingPathComponent("signing-public-key").path }

    /// Creates the directory tree (mode 0700) if needed.
    public func create() throws {
        let manager = FileManager.default
        for directory in [url, tlsDirectory] where !manager.fileExists(atPath: directory.path) {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    public func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CofferStartupError("cannot read \(path)")
        }
        return Array(data)
    }

    /// Writes a file atomically and durably: temp file, fsync, rename, fsync of the directory.
    public func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        do {
            try DurableFiles.writeAtomically(bytes, to: path, temporary: path + ".tmp-\(getpid())", mode: mode)
        } catch {
            throw CofferStartupError("cannot write \(path): \(error)")
        }
    }
}

/// A failure while preparing the data directory or configuration; printed and fatal.
public struct CofferStartupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
