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
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else { throw CofferStartupError("cannot create \(temporary): errno \(errno)") }
        var failure: CofferStartupError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written <= 0 { failure = CofferStartupError("cannot write \(temporary): errno \(errno)"); return }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = CofferStartupError("cannot chmod \(temporary)") }
        if failure == nil, fsync(descriptor) != 0 { failure = CofferStartupError("cannot fsync \(temporary)") }
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CofferStartupError("cannot rename \(temporary) to \(path): errno \(errno)")
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}

/// A failure while preparing the data directory or configuration; printed and fatal.
public struct CofferStartupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
