import CofferCore
import CofferCrypto
import CofferPolicy
import Foundation
import Synchronization

/// Accounts, access keys, IAM users and roles, inline policies, STS sessions, and the credential
/// lookup SigV4 verification needs.
///
/// Unsealed secrets of active keys are cached in memory after first use; unknown ids are looked up
/// in storage each time, so keys created by `coffer access-keys create` in another process work at
/// once. Changes made through this service drop the cached entries they affect.
public final class IdentityService: IdentityPolicySource, Sendable {
    let store: any IdentityStore
    let rootKey: RootKey
    let clock: any WallClock
    private let secrets = Mutex<[String: (secret: String, principal: Principal)]>([:])
    /// Parsed inline policies per owner (`user|role / account / lowercased name`).
    private let parsedPolicies = Mutex<[String: [PolicyDocument]]>([:])

    public init(store: any IdentityStore, rootKey: RootKey, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.rootKey = rootKey
        self.clock = clock
    }

    /// The secret and principal of an access key: an active long-term key, or a temporary key with
    /// its session token. Nil when the key is unknown, inactive, or the token does not belong to it.
    /// Throws ``IdentityError/Code/expiredToken`` for temporary credentials past their expiry.
    public func credential(accessKeyID: String, sessionToken: String? = nil) async throws -> (secret: String, principal: Principal)? {
        if let sessionToken {
            guard let session = SessionToken.open(sessionToken, accessKeyID: accessKeyID, rootKey: rootKey) else { return nil }
            guard clock.now() < session.expiration else {
                throw IdentityError(.expiredToken, "The security token included in the request is expired")
            }
            let role = try await store.role(account: session.account, name: session.roleName)
            let principal = Principal(
                account: session.account, arn: session.sessionARN, accessKeyID: accessKeyID, kind: .assumedRole,
                userID: "\(session.roleID):\(session.sessionName)", roleARN: session.roleARN, tags: role?.tags ?? [:],
                expiration: session.expiration
            )
            return (session.secret, principal)
        }
        if let cached = secrets.withLock({ $0[accessKeyID] }) { return cached }
        guard let key = try await store.accessKey(id: accessKeyID), key.status == .active else { return nil }
        let secret = try unseal(key)
        var principal = Principal(account: key.account, arn: key.principalARN, accessKeyID: key.accessKeyID)
        if let userName = key.userName {
            guard let user = try await store.user(account: key.account, name: userName) else { return nil }
            principal = Principal(
                account: key.account, arn: user.arn, accessKeyID: key.accessKeyID, kind: .user, userID: user.userID,
                userName: user.name, tags: user.tags
            )
        }
        let entry = (secret, principal)
        secrets.withLock { $0[accessKeyID] = entry }
        return entry
    }

    /// Forgets cached credentials (after a key or its user changed).
    func uncacheCredentials(where shouldDrop: (Principal) -> Bool) {
        secrets.withLock { cache in
            for (id, entry) in cache where shouldDrop(entry.principal) { cache.removeValue(forKey: id) }
        }
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

    public func account(_ id: AccountID) async throws -> Account? { try await store.accounts().first { $0.id == id } }

    public func accessKeys(account: AccountID) async throws -> [AccessKey] { try await store.accessKeys(account: account) }

    /// Creates an access key for the account's root principal; the secret is returned once.
    public func createAccessKey(account: AccountID) async throws -> (key: AccessKey, secret: String) {
        try await storeAccessKey(id: Identifiers.accessKeyID(), secret: Identifiers.secretAccessKey(), account: account)
    }

    /// Stores a caller-chosen key pair (test mode's fixed credentials), replacing one with the same id.
    @discardableResult
    public func storeAccessKey(id: String, secret: String, account: AccountID, user: IAMUser? = nil) async throws -> (key: AccessKey, secret: String) {
        let sealed = try rootKey.seal(Array(secret.utf8), label: AccessKey.sealingLabel(accessKeyID: id))
        let key = AccessKey(
            accessKeyID: id, account: account, principalARN: user?.arn ?? account.rootARN, userName: user?.name, sealedSecret: sealed,
            status: .active, creationDate: clock.now()
        )
        try await store.upsertAccessKey(key)
        _ = secrets.withLock { $0.removeValue(forKey: id) }
        return (key, secret)
    }

    // MARK: - Parsed inline policies

    static func policySlot(_ account: AccountID, _ owner: PolicyOwner) -> String {
        "\(owner.kind)/\(account.rawValue)/\(owner.name.lowercased())"
    }

    /// The parsed inline policies of a user or role, cached until they change.
    func parsedInlinePolicies(account: AccountID, owner: PolicyOwner) async throws -> [PolicyDocument] {
        let slot = Self.policySlot(account, owner)
        if let cached = parsedPolicies.withLock({ $0[slot] }) { return cached }
        // Stored documents were validated when they were put; one that no longer parses is skipped
        // (it can only grant less).
        let documents = try await store.policies(account: account, owner: owner).compactMap { try? PolicyDocument.parse($0.document, kind: .identity) }
        parsedPolicies.withLock { $0[slot] = documents }
        return documents
    }

    func uncachePolicies(account: AccountID, owner: PolicyOwner) {
        _ = parsedPolicies.withLock { $0.removeValue(forKey: Self.policySlot(account, owner)) }
    }

    /// The identity-based policies that apply to a caller: a user's inline policies, or the inline
    /// policies of the role behind a session. The root principal has none (it is allowed implicitly).
    public func identityPolicies(for caller: Caller) async throws -> [PolicyDocument] {
        switch caller.kind {
        case .root: return []
        case .user:
            guard let name = caller.userName else { return [] }
            return try await parsedInlinePolicies(account: caller.account, owner: .user(name))
        case .assumedRole:
            guard let roleARN = caller.roleARN, let name = roleARN.split(separator: "/").last else { return [] }
            return try await parsedInlinePolicies(account: caller.account, owner: .role(String(name)))
        }
    }
}
