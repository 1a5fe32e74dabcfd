import CofferCore

/// Persistence for accounts and access keys. Every method is atomic.
public protocol IdentityStore: Sendable {
    func insertAccount(_ account: Account) async throws
    func accounts() async throws -> [Account]
    /// Inserts a key, replacing any key with the same id (test mode re-asserts its fixed key).
    func upsertAccessKey(_ key: AccessKey) async throws
    func accessKey(id: String) async throws -> AccessKey?
    func accessKeys(account: AccountID) async throws -> [AccessKey]
}

/// An ``IdentityStore`` in memory, for tests.
public actor InMemoryIdentityStore: IdentityStore {
    private var accountsByID: [AccountID: Account] = [:]
    private var keys: [String: AccessKey] = [:]

    public init() {}

    public func insertAccount(_ account: Account) throws {
        guard accountsByID[account.id] == nil else { throw IdentityError(.alreadyExists, "account \(account.id) exists") }
        accountsByID[account.id] = account
    }

    public func accounts() -> [Account] { accountsByID.values.sorted { $0.creationDate < $1.creationDate } }

    public func upsertAccessKey(_ key: AccessKey) { keys[key.accessKeyID] = key }

    public func accessKey(id: String) -> AccessKey? { keys[id] }

    public func accessKeys(account: AccountID) -> [AccessKey] {
        keys.values.filter { $0.account == account }.sorted { $0.creationDate < $1.creationDate }
    }
}
