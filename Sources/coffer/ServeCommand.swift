import ArgumentParser
import CofferCore
import CofferServer
import Foundation
import Logging

/// `coffer serve`: start the HTTPS server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the AWS KMS API over HTTPS, creating the data directory on first start."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "TCP port (default: $COFFER_PORT or 7443; 0 picks a free port).")
    var port: Int?

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Flag(help: "Test mode: fixed account and access key, and POST /moto-api/reset wipes all state.")
    var testMode = false

    @Option(help: "Test mode's account id.")
    var accountID: String = "123456789012"

    @Option(help: "Test mode's access key id.")
    var accessKeyID: String = "test"

    @Option(help: "Test mode's secret access key.")
    var secretAccessKey: String = "test"

    @Option(help: "Event loop threads (default: $COFFER_EVENT_LOOP_THREADS or one per core).")
    var eventLoopThreads: Int?

    @Option(help: "Seconds a request may take to arrive in full before its connection is closed.")
    var requestTimeout: Int64 = 30

    @Option(help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout: Int64 = 60

    @Option(help: "Quota: cryptographic requests per second per account and region, as AWS's shared quota (default: none).")
    var cryptographicRequestsPerSecond: Double?

    @Option(help: "Seconds between runs of automatic key rotation and scheduled deletion.")
    var lifecycleInterval: Int = 60

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (also $COFFER_LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "Also listen without TLS on this port (off by default); its requests have aws:SecureTransport=false.")
    var plainHTTPPort: Int?

    @Option(help: "The audit trail: on (default) or off.")
    var audit: String = "on"

    @Flag(help: "Answer requests even when their audit event cannot be written (default: refuse them, fail closed).")
    var auditFailOpen = false

    @Option(help: "Seconds after which an audit segment is closed and delivered as a CloudTrail log file.")
    var auditSegmentInterval: Double = 300

    @Option(help: "Seconds between signed audit digest files.")
    var auditDigestInterval: Double = 3600

    @Option(help: "Delete delivered audit log files older than this many days (default: keep all).")
    var auditRetentionDays: Double?

    @Option(help: "Delete the oldest delivered audit log files beyond this many bytes (default: keep all).")
    var auditRetentionBytes: Int?

    /// Reads `--event-loop-threads` before argument parsing proper, because the event loop group
    /// must be sized before any async code runs.
    static func requestedEventLoopThreads(arguments: [String], environment: [String: String]) -> Int? {
        var value = environment["COFFER_EVENT_LOOP_THREADS"]
        for (index, argument) in arguments.enumerated() {
            if argument == "--event-loop-threads", index + 1 < arguments.count { value = arguments[index + 1] }
            if argument.hasPrefix("--event-loop-threads=") { value = String(argument.dropFirst("--event-loop-threads=".count)) }
        }
        return value.flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let plainHTTPPort, !(1...65535).contains(plainHTTPPort) { throw ValidationError("--plain-http-port must be between 1 and 65535") }
        guard audit == "on" || audit == "off" else { throw ValidationError("--audit is on or off") }
        guard auditSegmentInterval >= 1, auditDigestInterval >= 1, auditSegmentInterval.isFinite, auditDigestInterval.isFinite else {
            throw ValidationError("audit intervals must be at least 1 second")
        }
        if let days = auditRetentionDays, !(days > 0 && days.isFinite) { throw ValidationError("--audit-retention-days must be positive") }
        if let bytes = auditRetentionBytes, bytes < 1 { throw ValidationError("--audit-retention-bytes must be positive") }
        if let threads = eventLoopThreads, threads < 1 { throw ValidationError("--event-loop-threads must be at least 1") }
        if let rate = cryptographicRequestsPerSecond, !(rate >= 1 && rate.isFinite) {
            throw ValidationError("--cryptographic-requests-per-second must be at least 1")
        }
        if requestTimeout < 1 || idleTimeout < 1 || lifecycleInterval < 1 { throw ValidationError("timeouts and intervals must be at least 1 second") }
        if AccountID(accountID) == nil { throw ValidationError("--account-id must be 12 digits") }
        if testMode, accessKeyID.isEmpty || secretAccessKey.isEmpty { throw ValidationError("test mode needs a non-empty access key pair") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = (logLevel ?? environment["COFFER_LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "coffer")

        var configuration = ServerConfiguration(dataDirectory: data.resolvedDataDirectory)
        configuration.host = host
        if let port {
            configuration.port = port
        } else if let text = environment["COFFER_PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else { throw ValidationError("COFFER_PORT must be a port number") }
            configuration.port = value
        }
        configuration.rootKeySource = data.rootKeySource
        configuration.requestTimeoutSeconds = requestTimeout
        configuration.idleTimeoutSeconds = idleTimeout
        configuration.lifecycleIntervalSeconds = lifecycleInterval
        configuration.cryptographicRequestsPerSecond = cryptographicRequestsPerSecond
        configuration.plainHTTPPort = plainHTTPPort
        configuration.audit.enabled = audit == "on"
        configuration.audit.failClosed = !auditFailOpen
        configuration.audit.segmentSeconds = auditSegmentInterval
        configuration.audit.digestSeconds = auditDigestInterval
        configuration.audit.retentionDays = auditRetentionDays
        configuration.audit.retentionBytes = auditRetentionBytes
        if testMode {
            // Invariant: validate() checked the account id.
            configuration.testMode = .init(account: AccountID(accountID)!, accessKeyID: accessKeyID, secretAccessKey: secretAccessKey)
        }
        do {
            try await CofferServer.run(configuration: configuration, logger: logger) { banner in
                // Written unbuffered so scripts reading a pipe see it as soon as the server listens.
                FileHandle.standardOutput.write(Data(banner.text.utf8))
            }
        } catch let error as CofferStartupError {
            logger.critical("cannot start: \(error.description)")
            throw ExitCode(2)
        }
    }
}
