import CofferCore

/// Everything `coffer serve` can be told.
public struct ServerConfiguration: Sendable {
    /// Fixed credentials for people who run Coffer inside their own test suites.
    public struct TestMode: Sendable {
        public var account: AccountID
        public var accessKeyID: String
        public var secretAccessKey: String
        public init(account: AccountID, accessKeyID: String, secretAccessKey: String) {
            self.account = account
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    public var dataDirectory: DataDirectory
    public var host: String = "127.0.0.1"
    public var port: Int = 7443
    public var rootKeySource: RootKeySource = .dataDirectory
    public var testMode: TestMode?
    /// Largest request body accepted, in bytes.
    public var maximumBodySize: Int = 1 << 20
    /// Seconds an idle connection stays open.
    public var idleTimeoutSeconds: Int64 = 60
    /// Cryptographic requests allowed per second per account and region; nil means no quota.
    public var cryptographicRequestsPerSecond: Double?
    /// Seconds between runs of the key lifecycle scheduler (automatic rotation, scheduled deletion).
    public var lifecycleIntervalSeconds: Int = 60
    /// Seconds a request may take to arrive in full before its connection is closed.
    public var requestTimeoutSeconds: Int64 = 30
    /// A second, plain-HTTP listener on this port (off by default). Requests arriving there carry
    /// `aws:SecureTransport = false`, so policies can refuse them.
    public var plainHTTPPort: Int?
    /// The audit trail's settings.
    public var audit = AuditSettings()

    public init(dataDirectory: DataDirectory) { self.dataDirectory = dataDirectory }
}
