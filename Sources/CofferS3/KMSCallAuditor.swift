import CofferCore

/// Records the KMS calls S3 makes on a caller's behalf, as AWS logs them: KMS events whose identity is the
/// caller, `invokedBy` s3.amazonaws.com. `body` makes the call; the event must be durable before the
/// result is used.
public protocol KMSCallAuditor: Sendable {
    func audited<T: Sendable>(
        _ operation: String, keyID: String, context: [String: String], numberOfBytes: Int?, caller: Caller,
        _ body: @Sendable () async throws -> T
    ) async throws -> T
}

/// Records nothing (tests of the S3 domain, servers without an audit trail).
public struct UnauditedKMSCalls: KMSCallAuditor {
    public init() {}
    public func audited<T: Sendable>(
        _ operation: String, keyID: String, context: [String: String], numberOfBytes: Int?, caller: Caller,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await body()
    }
}
