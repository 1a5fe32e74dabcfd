import CofferAudit
import Logging
import ServiceLifecycle

/// Runs the trail's background work (segment delivery, digests, retention) for the server's
/// lifetime; on shutdown the trail delivers its open segment and writes a final digest.
struct AuditTrailService: Service {
    let trail: AuditTrail
    let logger: Logger

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await trail.run() }
        } catch is CancellationError {
            // Shutdown.
        }
        logger.info("audit trail closed")
    }
}
