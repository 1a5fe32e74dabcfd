import CofferCore
import CofferKMS
import CofferS3
import CofferWire
import Foundation

/// Audits the KMS calls S3 makes for a caller as KMS events of their own (identity: the caller,
/// `invokedBy` and source `s3.amazonaws.com`), each durable before S3 uses the result.
struct S3KMSCallAuditor: KMSCallAuditor {
    let audit: AuditRecorder
    let requestIDs: RequestIDGenerator

    func audited<T: Sendable>(
        _ operation: String, keyID: String, context: [String: String], numberOfBytes: Int?, caller: Caller,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        guard audit.trail != nil else { return try await body() }
        let draft = AuditDraft(
            requestID: requestIDs.next(), eventTime: Date(), sourceIP: nil, userAgent: "s3.amazonaws.com", host: nil, tlsVersion: nil
        )
        var members: [String: JSONValue] = [
            "KeyId": .string(keyID), "EncryptionContext": .object(context.mapValues { .string($0) }),
            "EncryptionAlgorithm": .string("SYMMETRIC_DEFAULT"),
        ]
        if let numberOfBytes { members["NumberOfBytes"] = .number(String(numberOfBytes)) }
        draft.update { state in
            state.service = "kms"
            state.eventName = operation
            state.caller = caller
            state.requestMembers = members
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await KMSService.$touchedKeys.withValue(draft.touchedKeys) { try await body() })
        } catch {
            draft.update { $0.error = AWSErrorTable.describe(error) }
            result = .failure(error)
        }
        try await audit.record(draft)
        return try result.get()
    }
}
