import CofferCore

/// Persistence for accounts, access keys, IAM users and roles, and inline policies. Every method
/// is atomic. IAM names are unique per account regardless of case, and looked up the same way.
public protocol IdentityStore: Sendable {
    func insertAccount(_ account: Account) async throws
    func accounts() async throws -> [Account]
    /// Inserts a key, replacing any key with the same id (test mode re-asserts its fixed key).
    func upsertAccessKey(_ key: AccessKey) async throws
    func accessKey(id: String) async throws -> AccessKey?
    func accessKeys(account: AccountID) async throws -> [AccessKey]
    /// Removes a key; false if there was none.
    func deleteAccessKey(id: String) async throws -> Bool

    /// Inserts a user; throws ``IdentityError/Code/alreadyExists`` if the name is taken.
    func insertUser(_ user: IAMUser) async throws
    func user(account: AccountID, name: String) async throws -> IAMUser?
    func users(account: AccountID) async throws -> [IAMUser]
    /// Removes a user; false if there was none.
    func deleteUser(account: AccountID, name: String) async throws -> Bool

    /// Inserts a role; throws ``IdentityError/Code/alreadyExists`` if the name is taken.
    func insertRole(_ role: IAMRole) async throws
    func role(account: AccountID, name: String) async throws -> IAMRole?
    func roles(account: AccountID) async throws -> [IAMRole]
    /// Removes a role; false if there was none.
    func deleteRole(account: AccountID, name: String) async throws -> Bool

    /// Creates or replaces an inline policy.
    func putPolicy(account: AccountID, owner: PolicyOwner, name: String, document: String) async throws
    /// The inline policies of a user or role, sorted by name.
    func policies(account: AccountID, owner: PolicyOwner) async throws -> [(name: String, document: String)]
    /// Removes an inline policy; false if there was none.
    func deletePolicy(account: AccountID, owner: PolicyOwner, name: String) async throws -> Bool
}

/// An ``IdentityStore`` in memory, for tests.
public actor InMemoryIdentityStore: IdentityStore {
    private struct OwnerSlot: Hashable {
        var account: AccountID
        var kind: String
        var name: String
    }

    private var accountsByID: [AccountID: Account] = [:]
    private var keys: [String: AccessKey] = [:]
    private var usersByName: [AccountID: [String: IAMUser]] = [:]
    private var rolesByName: [AccountID: [String: IAMRole]] = [:]
    private var inlinePolicies: [OwnerSlot: [String: String]] = [:]

    public init() {}

    public func insertAccount(_ account: Account) throws {
        guard accountsByID[account.id] == nil else { throw IdentityError(.alreadyExists, "account \(account.id) exists") }
        accountsByID[account.id] = account
    }

    public func accounts() -> [Account] { accountsByID.values.sorted { $0.creationDate < $1.creationDate } }

    public func upsertAccessKey(_ key: AccessKey) { keys[key.accessKeyID] = key }

    public func accessKey(id: String) -> AccessKey? { keys[id] }

    public func accessKeys(account: AccountID) -> [AccessKey] {
        keys.values.filter { $0.account == account }.sorted { ($0.creationDate, $0.accessKeyID) < ($1.creationDate, $1.accessKeyID) }
    }

    public func deleteAccessKey(id: String) -> Bool { keys.removeValue(forKey: id) != nil }

    public func insertUser(_ user: IAMUser) throws {
        let slot = user.name.lowercased()
        guard usersByName[user.account]?[slot] == nil else { throw IdentityError(.alreadyExists, "User with name \(user.name) already exists.") }
        usersByName[user.account, default: [:]][slot] = user
    }

    public func user(account: AccountID, name: String) -> IAMUser? { usersByName[account]?[name.lowercased()] }

    public func users(account: AccountID) -> [IAMUser] { (usersByName[account] ?? [:]).values.sorted { $0.name.lowercased() < $1.name.lowercased() } }

    public func deleteUser(account: AccountID, name: String) -> Bool { usersByName[account]?.removeValue(forKey: name.lowercased()) != nil }

    public func insertRole(_ role: IAMRole) throws {
        let slot = role.name.lowercased()
        guard rolesByName[role.account]?[slot] == nil else { throw IdentityError(.alreadyExists, "Role with name \(role.name) already exists.") }
        rolesByName[role.account, default: [:]][slot] = role
    }

    public func role(account: AccountID, name: String) -> IAMRole? { rolesByName[account]?[name.lowercased()] }

    public func roles(account: AccountID) -> [IAMRole] { (rolesByName[account] ?? [:]).values.sorted { $0.name.lowercased() < $1.name.lowercased() } }

    public func deleteRole(account: AccountID, name: String) -> Bool { rolesByName[account]?.removeValue(forKey: name.lowercased()) != nil }

    public func putPolicy(account: AccountID, owner: PolicyOwner, name: String, document: String) {
        inlinePolicies[OwnerSlot(account: account, kind: owner.kind, name: owner.name.lowercased()), default: [:]][name] = document
    }

    public func policies(account: AccountID, owner: PolicyOwner) -> [(name: String, document: String)] {
        (inlinePolicies[OwnerSlot(account: account, kind: owner.kind, name: owner.name.lowercased())] ?? [:])
            .sorted { $0.key < $1.key }.map { (name: $0.key, document: $0.value) }
    }

    public func deletePolicy(account: AccountID, owner: PolicyOwner, name: String) -> Bool {
        inlinePolicies[OwnerSlot(account: account, kind: owner.kind, name: owner.name.lowercased())]?.removeValue(forKey: name) != nil
    }
}
