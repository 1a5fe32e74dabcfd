import CofferCore
import CofferCrypto
import Foundation
import Synchronization

/// Accounts, access keys, and the credential lookup SigV4 verification needs.
///
/// Unsealed secrets of active keys are cached in memory after first use; unknown ids are looked up
/// in storage each time, so keys created by `coffer access-keys create` in another process work at
/// once.
public final class IdentityService: Sendable {
    private let store: any IdentityStore
    private let rootKey: RootKey
    private let clock: any WallClock
    private let secrets = Mutex<[String: (secret: String, principal: Principal)]>([:])

    public init(store: any IdentityStore, rootKey: RootKey, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.rootKey = rootKey
        self.clock = clock
    }

    /// The secret and principal of an active access key, or nil if the key is unknown or inactive.
    public func credential(accessKeyID: String) async throws -> (secret: String, principal: Principal)? {
        if let cached = secrets.withLock({ $0[accessKeyID] }) { return cached }
        guard let key = try await store.accessKey(id: accessKeyID), key.status == .active else { return nil }
        let secret = try unseal(key)
        let entry = (secret, Principal(account: key.account, arn: key.principalARN, accessKeyID: key.accessKeyID))
        secrets.withLock { $0[accessKeyID] = entry }
        return entry
    }

    /// The plaintext secret of a stored key (for printing the first account's credentials).
    public func unseal(_ key: AccessKey) throws -> String {
        do {
            let bytes = try rootKey.open(key.sealedSecret, label: AccessKey.sealingLabel(accessKeyID: key.accessKeyID))
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            throw IdentityError(.sealedSecretUnreadable, "The secret of access key \(key.accessKeyID) could not be unsealed.")
        }
    }

    /// Creates an account with a random 12-digit id.
    public func createAccount() async throws -> Account {
        var generator = SystemRandomNumberGenerator()
        let account = Account(id: AccountID.random(using: &generator), creationDate: clock.now())
        try await store.insertAccount(account)
        return account
    }

    /// Makes sure an account with this id exists.
    public func ensureAccount(_ id: AccountID) async throws {
        if try await store.accounts().contains(where: { $0.id == id }) { return }
        try await store.insertAccount(Account(id: id, creationDate: clock.now()))
    }

    public func accounts() async throws -> [Account] { try await store.accounts() }

    public func accessKeys(account: AccountID) async throws -> [AccessKey] { try await store.accessKeys(account: account) }

    /// Creates an access key for the account's root principal; the secret is returned once.
    public func createAccessKey(account: AccountID) async throws -> (key: AccessKey, secret: String) {
        try await storeAccessKey(id: Identifiers.accessKeyID(), secret: Identifiers.secretAccessKey(), account: account)
    }

    /// Stores a caller-chosen key pair (test mode's fixed credentials), replacing one with the same id.
    @discardableResult
    public func storeAccessKey(id: String, secret: String, account: AccountID) async throws -> (key: AccessKey, secret: String) {
        let sealed = try rootKey.seal(Array(secret.utf8), label: AccessKey.sealingLabel(accessKeyID: id))
        let key = AccessKey(
            accessKeyID: id, account: account, principalARN: account.rootARN, sealedSecret: sealed,
            status: .active, creationDate: clock.now()
        )
        try await store.upsertAccessKey(key)
        _ = secrets.withLock { $0.removeValue(forKey: id) }
        return (key, secret)
    }
}
