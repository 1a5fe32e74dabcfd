import Crypto
import Foundation
import Synchronization

/// Reuses data keys across messages within limits (spec: framework/caching-cmm).
///
/// Entries expire after `maxAge`, after `maxMessagesEncrypted` messages or `maxBytesEncrypted`
/// bytes. Encryption is cached only when the plaintext length is known and the suite derives
/// keys (identity-KDF suites are never cached). Safe under concurrency: state sits in a `Mutex`.
public final class CachingCryptographicMaterialsManager: CryptographicMaterialsManager {
    public let underlying: any CryptographicMaterialsManager
    public let maxAge: Duration
    public let maxMessagesEncrypted: Int
    public let maxBytesEncrypted: Int
    public let capacity: Int
    /// Isolates entries of different CMMs that share nothing else.
    public let partition: String
    private let clock: @Sendable () -> ContinuousClock.Instant

    private struct EncryptionEntry {
        var materials: EncryptionMaterials
        var created: ContinuousClock.Instant
        var messages: Int
        var bytes: Int
    }

    private struct DecryptionEntry {
        var materials: DecryptionMaterials
        var created: ContinuousClock.Instant
    }

    private struct State {
        var encryption: [[UInt8]: EncryptionEntry] = [:]
        var decryption: [[UInt8]: DecryptionEntry] = [:]
        var order: [[UInt8]] = []
    }

    private let state = Mutex(State())

    public init(underlying: any CryptographicMaterialsManager, maxAge: Duration, maxMessagesEncrypted: Int = 1 << 32,
                maxBytesEncrypted: Int = Int.max, capacity: Int = 1000, partition: String = UUID().uuidString,
                clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) throws(ESDKError) {
        guard maxAge > .zero, maxMessagesEncrypted > 0, maxMessagesEncrypted <= 1 << 32, maxBytesEncrypted > 0, capacity > 0 else {
            throw ESDKError(.invalidArgument, "caching CMM limits must be positive (max messages at most 2^32)")
        }
        self.underlying = underlying
        self.maxAge = maxAge
        self.maxMessagesEncrypted = maxMessagesEncrypted
        self.maxBytesEncrypted = maxBytesEncrypted
        self.capacity = capacity
        self.partition = partition
        self.clock = clock
    }

    public func getEncryptionMaterials(_ request: EncryptionMaterialsRequest) async throws -> EncryptionMaterials {
        let requestedSuite = request.algorithmSuite ?? request.commitmentPolicy.defaultSuite
        guard let length = request.maxPlaintextLength, length <= maxBytesEncrypted, requestedSuite.keyDerivation != .identity else {
            return try await underlying.getEncryptionMaterials(request)
        }
        let id = try encryptionCacheID(request)
        let now = clock()
        let hit: EncryptionMaterials? = state.withLock { state in
            guard var entry = state.encryption[id] else { return nil }
            guard now - entry.created < maxAge, entry.messages + 1 <= maxMessagesEncrypted, entry.bytes + length <= maxBytesEncrypted else {
                state.encryption[id] = nil
                return nil
            }
            entry.messages += 1
            entry.bytes += length
            state.encryption[id] = entry
            return entry.materials
        }
        if let hit { return hit }
        let materials = try await underlying.getEncryptionMaterials(request)
        guard materials.algorithmSuite.keyDerivation != .identity else { return materials }
        state.withLock { state in
            state.encryption[id] = EncryptionEntry(materials: materials, created: now, messages: 1, bytes: length)
            remember(id, in: &state)
        }
        return materials
    }

    public func decryptMaterials(_ request: DecryptionMaterialsRequest) async throws -> DecryptionMaterials {
        let id = try decryptionCacheID(request)
        let now = clock()
        let hit: DecryptionMaterials? = state.withLock { state in
            guard let entry = state.decryption[id] else { return nil }
            guard now - entry.created < maxAge else {
                state.decryption[id] = nil
                return nil
            }
            return entry.materials
        }
        if let hit { return hit }
        let materials = try await underlying.decryptMaterials(request)
        state.withLock { state in
            state.decryption[id] = DecryptionEntry(materials: materials, created: now)
            remember(id, in: &state)
        }
        return materials
    }

    /// Drops the oldest entries beyond `capacity`.
    private func remember(_ id: [UInt8], in state: inout State) {
        state.order.append(id)
        while state.encryption.count + state.decryption.count > capacity, !state.order.isEmpty {
            let oldest = state.order.removeFirst()
            state.encryption[oldest] = nil
            state.decryption[oldest] = nil
        }
        if state.order.count > capacity * 4 {
            state.order = state.order.filter { state.encryption[$0] != nil || state.decryption[$0] != nil }
        }
    }

    // Cache identifiers modelled on the spec's cache-entry-identifier formulas: SHA-512 over the
    // partition, the suite, the encrypted data keys and the context. The cache is private to this
    // CMM, so the exact bytes need not match other SDKs.
    private func encryptionCacheID(_ request: EncryptionMaterialsRequest) throws -> [UInt8] {
        var hash = SHA512()
        hash.update(data: Array(SHA512.hash(data: Array(partition.utf8))))
        if let suite = request.algorithmSuite {
            hash.update(data: [1, UInt8(suite.id >> 8), UInt8(suite.id & 0xFF)])
        } else {
            hash.update(data: [0])
        }
        hash.update(data: Array(SHA512.hash(data: try EncryptionContextCodec.serialize(request.encryptionContext))))
        hash.update(data: Array(request.commitmentPolicy.rawValue.utf8))
        hash.update(data: request.requiredEncryptionContextKeys.sorted().joined(separator: "\u{0}").utf8.map { $0 })
        return Array(hash.finalize())
    }

    private func decryptionCacheID(_ request: DecryptionMaterialsRequest) throws -> [UInt8] {
        var hash = SHA512()
        hash.update(data: Array(SHA512.hash(data: Array(partition.utf8))))
        hash.update(data: [UInt8(request.algorithmSuite.id >> 8), UInt8(request.algorithmSuite.id & 0xFF)])
        let keyDigests = try request.encryptedDataKeys.map { key -> [UInt8] in
            var writer = ByteWriter()
            try writer.writeShortLengthPrefixed(Array(key.providerID.utf8), field: "provider ID")
            try writer.writeShortLengthPrefixed(key.providerInfo, field: "provider info")
            try writer.writeShortLengthPrefixed(key.ciphertext, field: "ciphertext")
            return Array(SHA512.hash(data: writer.bytes))
        }.sorted { $0.lexicographicallyPrecedes($1) }
        for digest in keyDigests { hash.update(data: digest) }
        hash.update(data: [UInt8](repeating: 0, count: 64))
        hash.update(data: Array(SHA512.hash(data: try EncryptionContextCodec.serialize(request.encryptionContext))))
        hash.update(data: Array(SHA512.hash(data: try EncryptionContextCodec.serialize(request.reproducedEncryptionContext ?? [:]))))
        hash.update(data: Array(request.commitmentPolicy.rawValue.utf8))
        return Array(hash.finalize())
    }
}
