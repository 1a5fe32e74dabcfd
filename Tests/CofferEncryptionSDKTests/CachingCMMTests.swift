import CofferEncryptionSDK
import Synchronization
import Testing

/// Counts calls to an underlying CMM.
final class CountingCMM: CryptographicMaterialsManager {
    let inner: DefaultCryptographicMaterialsManager
    let encryptCalls = Mutex(0)
    let decryptCalls = Mutex(0)

    init(keyring: any Keyring) { inner = DefaultCryptographicMaterialsManager(keyring: keyring) }

    func getEncryptionMaterials(_ request: EncryptionMaterialsRequest) async throws -> EncryptionMaterials {
        encryptCalls.withLock { $0 += 1 }
        return try await inner.getEncryptionMaterials(request)
    }

    func decryptMaterials(_ request: DecryptionMaterialsRequest) async throws -> DecryptionMaterials {
        decryptCalls.withLock { $0 += 1 }
        return try await inner.decryptMaterials(request)
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    let now = Mutex(ContinuousClock.now)
    func advance(_ duration: Duration) { now.withLock { $0 = $0.advanced(by: duration) } }
}

@Suite("Caching CMM")
struct CachingCMMTests {
    let sdk = EncryptionSDK()

    @Test("reuses materials until max messages, then asks again")
    func maxMessages() async throws {
        let counting = CountingCMM(keyring: Fixtures.aesKeyring())
        let cache = try CachingCryptographicMaterialsManager(underlying: counting, maxAge: .seconds(60), maxMessagesEncrypted: 3)
        var messages: [[UInt8]] = []
        for _ in 0..<7 { messages.append(try await sdk.encrypt([1, 2], materialsManager: cache).ciphertext) }
        #expect(counting.encryptCalls.withLock { $0 } == 3)
        for message in messages { #expect(try await sdk.decrypt(message, materialsManager: cache).plaintext == [1, 2]) }
        #expect(counting.decryptCalls.withLock { $0 } == 3)
    }

    @Test("max bytes and max age expire entries")
    func maxBytesAndAge() async throws {
        let counting = CountingCMM(keyring: Fixtures.aesKeyring())
        let clock = ManualClock()
        let cache = try CachingCryptographicMaterialsManager(
            underlying: counting, maxAge: .seconds(10), maxBytesEncrypted: 250, clock: { clock.now.withLock { $0 } })
        for _ in 0..<3 { _ = try await sdk.encrypt(Fixtures.plaintext(100), materialsManager: cache) }
        #expect(counting.encryptCalls.withLock { $0 } == 2)  // 100 + 100, then 300 > 250 forces a new entry
        clock.advance(.seconds(11))
        _ = try await sdk.encrypt(Fixtures.plaintext(100), materialsManager: cache)
        #expect(counting.encryptCalls.withLock { $0 } == 3)
    }

    @Test("different contexts get different entries; identity-KDF suites are never cached")
    func keys() async throws {
        let counting = CountingCMM(keyring: Fixtures.aesKeyring())
        let cache = try CachingCryptographicMaterialsManager(underlying: counting, maxAge: .seconds(60))
        _ = try await sdk.encrypt([1], materialsManager: cache, encryptionContext: ["a": "1"])
        _ = try await sdk.encrypt([1], materialsManager: cache, encryptionContext: ["a": "2"])
        _ = try await sdk.encrypt([1], materialsManager: cache, encryptionContext: ["a": "1"])
        #expect(counting.encryptCalls.withLock { $0 } == 2)
        let legacy = EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt)
        for _ in 0..<3 { _ = try await legacy.encrypt([1], materialsManager: cache, algorithmSuite: .aes256GcmIv12Tag16NoKdf) }
        #expect(counting.encryptCalls.withLock { $0 } == 5)
    }

    @Test("concurrent use stays within limits")
    func concurrency() async throws {
        let counting = CountingCMM(keyring: Fixtures.aesKeyring())
        let cache = try CachingCryptographicMaterialsManager(underlying: counting, maxAge: .seconds(60), maxMessagesEncrypted: 10)
        let sdk = self.sdk
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let message = try await sdk.encrypt([UInt8(index)], materialsManager: cache)
                    let plaintext = try await sdk.decrypt(message.ciphertext, materialsManager: cache).plaintext
                    #expect(plaintext == [UInt8(index)])
                }
            }
            try await group.waitForAll()
        }
        #expect(counting.encryptCalls.withLock { $0 } >= 10)
    }
}
