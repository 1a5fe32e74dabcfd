import CofferCore
import Foundation
import Synchronization

/// GetKeyLastUsage's answer.
public struct KeyLastUsage: Sendable {
    public var key: KMSKey
    public var trackingStartDate: Date
    public var lastUse: KeyLastUse?
}

extension KMSService {
    /// The operations GetKeyLastUsage tracks.
    public static let usageTrackedOperations: Set<String> = [
        "Decrypt", "DeriveSharedSecret", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateDataKeyWithoutPlaintext", "GenerateMac", "ReEncrypt", "Sign", "Verify", "VerifyMac",
    ]

    /// Notes a successful cryptographic operation with `keys`. The record is kept in memory and
    /// written to the store by ``flushKeyUsage()`` (the lifecycle scheduler's tick and shutdown),
    /// so the hot path does not wait for a write.
    public func recordUse(of keys: [KMSKey], operation: String, requestID: String) {
        let now = clock.now()
        pendingUsage.withLock { pending in
            for key in keys {
                pending[KeySlot(id: key.id, region: key.region.rawValue)] = KeyLastUse(
                    keyID: key.id, region: key.region, operation: operation, date: now, requestID: requestID
                )
            }
        }
    }

    /// Writes the usage recorded since the last flush to the store.
    public func flushKeyUsage() async throws {
        let uses = pendingUsage.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return Array(pending.values)
        }
        guard !uses.isEmpty else { return }
        do {
            try await store.recordUsage(uses)
        } catch {
            // Keep what could not be written for the next flush, unless newer uses replaced it.
            pendingUsage.withLock { pending in
                for use in uses where pending[KeySlot(id: use.keyID, region: use.region.rawValue)] == nil {
                    pending[KeySlot(id: use.keyID, region: use.region.rawValue)] = use
                }
            }
            throw error
        }
    }

    /// GetKeyLastUsage.
    public func keyLastUsage(_ keyID: String, caller: Caller) async throws -> KeyLastUsage {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("GetKeyLastUsage"))
        let pending = pendingUsage.withLock { $0[KeySlot(id: key.id, region: key.region.rawValue)] }
        var lastUse = pending
        if lastUse == nil { lastUse = try await store.lastUse(keyID: key.id, region: key.region) }
        return KeyLastUsage(key: key, trackingStartDate: try await store.usageTrackingStart(), lastUse: lastUse)
    }
}
