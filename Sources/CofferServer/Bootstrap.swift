import CofferCore
import CofferCrypto
import CofferIdentity
import CofferKMS
import CofferObjectStore
import CofferPKI
import CofferStorageSQLite
import Foundation
import Logging
import NIOSSL

/// The opened data directory: root key, database and the domain services over it.
public struct CofferStores: Sendable {
    public let dataDirectory: DataDirectory
    public let rootKey: RootKey
    public let database: SQLiteDatabase
    public let identity: IdentityService
    public let kms: KMSService
    public let objects: ObjectService

    /// Opens (creating on first use) the data directory, the root key and the database, and
    /// refuses to continue if the root key is not the one the database was created with.
    public static func open(
        dataDirectory: DataDirectory, rootKeySource: RootKeySource, logger: Logger, kmsClock: any WallClock = SystemWallClock()
    ) throws -> CofferStores {
        try dataDirectory.create()
        let rootKey = try rootKeySource.load(dataDirectory: dataDirectory, logger: logger)
        let database = try SQLiteDatabase(path: dataDirectory.databasePath)
        if let stored = try database.meta("root_key_fingerprint") {
            guard Bytes.constantTimeEquals(Array(stored.utf8), Array(rootKey.fingerprint.utf8)) else {
                throw CofferStartupError("the root key does not match the one this data directory was created with; refusing to start")
            }
        } else {
            try database.setMeta("root_key_fingerprint", rootKey.fingerprint)
        }
        let identity = IdentityService(store: SQLiteIdentityStore(database: database), rootKey: rootKey, clock: kmsClock)
        let kms = KMSService(store: SQLiteKeyStore(database: database), rootKey: rootKey, clock: kmsClock, identityPolicies: identity)
        let objects = ObjectService(catalog: SQLiteObjectCatalog(database: database), blobs: try LocalBlobStore(directory: dataDirectory.objectsDirectory))
        return CofferStores(dataDirectory: dataDirectory, rootKey: rootKey, database: database, identity: identity, kms: kms, objects: objects)
    }
}

/// The credentials printed at start-up and written to `DIR/credentials`.
public struct FirstCredentials: Sendable {
    public var account: AccountID
    public var accessKeyID: String
    public var secretAccessKey: String

    /// The AWS shared-credentials file body (profile `default`).
    public var sharedCredentialsFile: String {
        """
        # Coffer account \(account.rawValue): root credentials. Keep this file private (mode 0600).
        [default]
        aws_access_key_id = \(accessKeyID)
        aws_secret_access_key = \(secretAccessKey)

        """
    }
}

extension CofferStores {
    /// Makes sure the first account and its access key exist (or, in test mode, the fixed ones)
    /// and that `DIR/credentials` holds them.
    public func ensureFirstCredentials(testMode: ServerConfiguration.TestMode?) async throws -> FirstCredentials {
        let credentials: FirstCredentials
        if let testMode {
            try await identity.ensureAccount(testMode.account)
            try await identity.storeAccessKey(id: testMode.accessKeyID, secret: testMode.secretAccessKey, account: testMode.account)
            credentials = FirstCredentials(account: testMode.account, accessKeyID: testMode.accessKeyID, secretAccessKey: testMode.secretAccessKey)
        } else if let account = try await identity.accounts().first, let key = try await identity.accessKeys(account: account.id).first {
            credentials = FirstCredentials(account: account.id, accessKeyID: key.accessKeyID, secretAccessKey: try identity.unseal(key))
        } else {
            var account = try await identity.accounts().first
            if account == nil { account = try await identity.createAccount() }
            // Invariant: assigned just above when it was nil.
            let (key, secret) = try await identity.createAccessKey(account: account!.id)
            credentials = FirstCredentials(account: account!.id, accessKeyID: key.accessKeyID, secretAccessKey: secret)
        }
        let path = dataDirectory.credentialsPath
        let body = Array(credentials.sharedCredentialsFile.utf8)
        if !dataDirectory.exists(path) || (try? dataDirectory.read(path)) != body {
            try dataDirectory.writeAtomically(body, to: path, mode: 0o600)
        }
        return credentials
    }

    /// Loads the local CA and server certificate, creating or renewing them as needed, and builds
    /// the TLS configuration. Private keys are kept on disk only sealed under the root key.
    public func ensureTLSConfiguration(logger: Logger) throws -> TLSConfiguration {
        let dnsNames = ["localhost"]
        let ipAddresses: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]
        let directory = dataDirectory
        let ca: IssuedCertificate
        if directory.exists(directory.caCertificatePath), directory.exists(directory.caSealedKeyPath) {
            let keyPEM = try rootKey.open(try directory.read(directory.caSealedKeyPath), label: "tls-ca-key")
            ca = IssuedCertificate(
                certificatePEM: String(decoding: try directory.read(directory.caCertificatePath), as: UTF8.self),
                privateKeyPEM: String(decoding: keyPEM, as: UTF8.self)
            )
        } else {
            ca = try LocalCertificateAuthority.makeCA()
            try directory.writeAtomically(try rootKey.seal(Array(ca.privateKeyPEM.utf8), label: "tls-ca-key"), to: directory.caSealedKeyPath, mode: 0o600)
            try directory.writeAtomically(Array(ca.certificatePEM.utf8), to: directory.caCertificatePath)
            try? FileManager.default.removeItem(atPath: directory.serverCertificatePath)
            logger.info("Created a local certificate authority", metadata: ["ca": "\(directory.caCertificatePath)"])
        }
        var server: IssuedCertificate?
        if directory.exists(directory.serverCertificatePath), directory.exists(directory.serverSealedKeyPath) {
            let pem = String(decoding: try directory.read(directory.serverCertificatePath), as: UTF8.self)
            if LocalCertificateAuthority.isServerCertificateCurrent(pem, dnsNames: dnsNames) {
                let keyPEM = try rootKey.open(try directory.read(directory.serverSealedKeyPath), label: "tls-server-key")
                server = IssuedCertificate(certificatePEM: pem, privateKeyPEM: String(decoding: keyPEM, as: UTF8.self))
            }
        }
        if server == nil {
            let issued = try LocalCertificateAuthority.issueServerCertificate(ca: ca, dnsNames: dnsNames, ipAddresses: ipAddresses)
            try directory.writeAtomically(try rootKey.seal(Array(issued.privateKeyPEM.utf8), label: "tls-server-key"), to: directory.serverSealedKeyPath, mode: 0o600)
            try directory.writeAtomically(Array(issued.certificatePEM.utf8), to: directory.serverCertificatePath)
            server = issued
        }
        // Invariant: assigned on both branches above.
        let leaf = server!
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(try NIOSSLCertificate(bytes: Array(leaf.certificatePEM.utf8), format: .pem)),
                .certificate(try NIOSSLCertificate(bytes: Array(ca.certificatePEM.utf8), format: .pem)),
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(leaf.privateKeyPEM.utf8), format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
