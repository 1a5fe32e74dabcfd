import CofferCore
import CofferKMS
import CofferObjectStore
import CofferS3
import CofferWire
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// CofferServer: the Hummingbird application behind `coffer serve`. It wires the data directory,
/// the domain services and TLS together and maps typed errors to AWS errors at the edge; it holds
/// no crypto and no business rules.
public enum CofferServer {
    /// Opens the data directory and serves until SIGTERM or SIGINT, then shuts down gracefully
    /// (in-flight requests finish).
    public static func run(configuration: ServerConfiguration, logger: Logger, onReady: @escaping @Sendable (ServerBanner) -> Void) async throws {
        // Test mode's KMS clock can be moved forward (POST /coffer-test/advance-clock) so that rotation
        // and deletion can be tested; SigV4 always checks against the real clock.
        let testClock = configuration.testMode != nil ? AdjustableWallClock() : nil
        let stores = try CofferStores.open(
            dataDirectory: configuration.dataDirectory, rootKeySource: configuration.rootKeySource, logger: logger,
            kmsClock: testClock ?? SystemWallClock()
        )
        let credentials = try await stores.ensureFirstCredentials(testMode: configuration.testMode)
        let tls = try stores.ensureTLSConfiguration(logger: logger)
        let quota = configuration.cryptographicRequestsPerSecond.map { RequestQuota(ratePerSecond: $0) }
        let swept = try await stores.objects.sweepOrphans()
        if swept > 0 { logger.info("Removed blobs of uploads that never completed", metadata: ["count": "\(swept)"]) }
        let trail = try stores.auditTrail(configuration.audit)
        let recorder = AuditRecorder(
            trail: trail, failClosed: configuration.audit.failClosed, fallbackAccount: credentials.account, logger: logger
        )
        let keyring = ObjectKeyring(rootKey: stores.rootKey, kms: stores.kms, auditor: S3KMSCallAuditor(audit: recorder, requestIDs: RequestIDGenerator()))
        let s3 = S3Service(objects: stores.objects, keyring: keyring, identityPolicies: stores.identity)
        let responder = CofferResponder(
            kms: stores.kms, s3: s3, identity: stores.identity, verifier: SigV4Verifier(),
            maximumBodySize: configuration.maximumBodySize, quota: quota, audit: recorder,
            testClock: testClock, secureTransport: true, logger: logger
        )
        let requestTimeout = TimeAmount.seconds(configuration.requestTimeoutSeconds)
        let http1 = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: requestTimeout), ContinueHandler()],
            idleTimeout: .seconds(configuration.idleTimeoutSeconds)
        )
        let app = Application(
            responder: responder,
            server: try .tls(.http1(configuration: http1), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "Coffer"),
            services: (trail.map { [AuditTrailService(trail: $0, logger: logger)] } ?? [])
                + plainListener(configuration: configuration, responder: responder, http1: http1, logger: logger)
                + [KeyLifecycleScheduler(kms: stores.kms, intervalSeconds: configuration.lifecycleIntervalSeconds, logger: logger)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                onReady(ServerBanner(configuration: configuration, port: port, credentials: credentials))
            },
            logger: logger
        )
        try await app.runService()
        logger.info("Coffer stopped")
    }

    /// The optional plain-HTTP listener: the same responder, marked as not secure.
    private static func plainListener(
        configuration: ServerConfiguration, responder: CofferResponder, http1: HTTP1Channel.Configuration, logger: Logger
    ) -> [any Service] {
        guard let port = configuration.plainHTTPPort else { return [] }
        var plain = responder
        plain.secureTransport = false
        logger.warning("Also listening without TLS on port \(port): requests there carry aws:SecureTransport=false")
        return [
            Application(
                responder: plain, server: .http1(configuration: http1),
                configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: port), serverName: "Coffer"), logger: logger
            )
        ]
    }
}

/// What `coffer serve` prints once it is listening.
public struct ServerBanner: Sendable {
    public var configuration: ServerConfiguration
    public var port: Int
    public var credentials: FirstCredentials

    public var endpoint: String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "https://\(host):\(port)"
    }

    public var text: String {
        let directory = configuration.dataDirectory
        let mode = configuration.testMode != nil ? " (test mode: POST /moto-api/reset wipes all state)" : ""
        return """
            Coffer \(CofferVersion.current) listening on \(endpoint)\(mode)
            Data directory: \(directory.url.path)
            Account: \(credentials.account.rawValue)

            Point your AWS tools at it (copy and paste):

            export AWS_ENDPOINT_URL=\(endpoint)
            export AWS_CA_BUNDLE=\(directory.caCertificatePath)
            export AWS_ACCESS_KEY_ID=\(credentials.accessKeyID)
            export AWS_SECRET_ACCESS_KEY=\(credentials.secretAccessKey)
            export AWS_DEFAULT_REGION=us-east-1

            The same credentials are in \(directory.credentialsPath) (AWS_SHARED_CREDENTIALS_FILE can point at it).

            """
    }
}
