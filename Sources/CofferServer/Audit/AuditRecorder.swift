import CofferAudit
import CofferCore
import CofferCrypto
import Foundation
import Logging

/// Writes one audit event per API call before its answer goes out.
///
/// With `failClosed` (the default), a call whose event cannot be made durable is answered with an
/// error instead of its result, like Vault's audit-before-response; otherwise the failure is logged
/// and the answer goes out.
struct AuditRecorder: Sendable {
    let trail: AuditTrail?
    let failClosed: Bool
    /// Receives events of calls whose caller is unknown (authentication failures).
    let fallbackAccount: AccountID
    let logger: Logger

    /// The failure a fail-closed trail turns an answer into.
    struct Unavailable: Error {}

    func record(_ draft: AuditDraft) async throws {
        guard let trail else { return }
        let event = AuditEvents.record(draft, eventID: Identifiers.uuid(randomBytes: SecureRandom.bytes(16)), fallbackAccount: fallbackAccount)
        do {
            try await trail.append(event.record, renderedBy: event.render)
        } catch {
            logger.error("audit event not recorded", metadata: ["request-id": "\(draft.requestID)", "error": "\(error)"])
            if failClosed { throw Unavailable() }
        }
    }
}
