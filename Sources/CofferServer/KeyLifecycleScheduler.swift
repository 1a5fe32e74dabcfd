import CofferKMS
import Logging
import ServiceLifecycle

/// Runs due automatic rotations, scheduled deletions and imported-material expiry every
/// `intervalSeconds`, writes recorded key usage, and stops with the server's graceful shutdown
/// (writing key usage one last time).
struct KeyLifecycleScheduler: Service {
    let kms: KMSService
    let intervalSeconds: Int
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                // Shutdown cancels the sleep; that ends the loop normally.
                do { try await Task.sleep(for: .seconds(intervalSeconds)) } catch { break }
                await flushUsage()
                do {
                    let (rotated, deleted) = try await kms.runDueLifecycle()
                    if rotated + deleted > 0 {
                        logger.info("key lifecycle", metadata: ["rotated": "\(rotated)", "deleted": "\(deleted)"])
                    }
                } catch {
                    logger.error("key lifecycle run failed", metadata: ["error": "\(error)"])
                }
            }
        }
        await flushUsage()
    }

    private func flushUsage() async {
        do {
            try await kms.flushKeyUsage()
        } catch {
            logger.error("writing key usage failed", metadata: ["error": "\(error)"])
        }
    }
}
