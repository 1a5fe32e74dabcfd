import CofferCore
import CofferCrypto
import CofferIdentity
import CofferKMS
import CofferStorageSQLite
import Foundation

/// The store back ends every KMS and identity test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory, sqlite
    var description: String { rawValue }
}

/// A fresh KMS service over one store kind, plus callers in two accounts.
struct KMSFixture {
    let kms: KMSService
    let store: any KeyStore
    let rootKey: RootKey
    let directory: URL?
    let alice = Caller(account: AccountID("111122223333")!, principalARN: "arn:aws:iam::111122223333:root", accessKeyID: "AKIAALICE", region: .usEast1)
    let bob = Caller(account: AccountID("444455556666")!, principalARN: "arn:aws:iam::444455556666:root", accessKeyID: "AKIABOB", region: .usEast1)

    init(_ kind: StoreKind, clock: any WallClock = SystemWallClock()) throws {
        rootKey = RootKey.generate()
        switch kind {
        case .memory:
            store = InMemoryKeyStore()
            directory = nil
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = SQLiteKeyStore(database: try SQLiteDatabase(path: directory.appendingPathComponent("coffer.sqlite").path))
            self.directory = directory
        }
        kms = KMSService(store: store, rootKey: rootKey, clock: clock)
    }

    /// A second service over the same store, as after a restart (no warm caches).
    func restarted(clock: any WallClock = SystemWallClock()) -> KMSService { KMSService(store: store, rootKey: rootKey, clock: clock) }

    func cleanUp() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// The KMS error code a call fails with, or nil if it succeeds (or fails otherwise).
func code(_ body: () async throws -> Void) async -> KMSError.Code? {
    do {
        try await body()
        return nil
    } catch let error as KMSError {
        return error.code
    } catch {
        return nil
    }
}
