import CofferCore
import Foundation

extension IdentityService {
    /// The most access keys one user may hold, as AWS.
    static let accessKeysPerUser = 2

    public func createUser(_ caller: Caller, name: String, path: String?, tags: [(key: String, value: String)]) async throws -> IAMUser {
        try IAMValidation.name(name, member: "userName", maximum: 64)
        let path = path ?? "/"
        try IAMValidation.path(path)
        let tagMap = try IAMValidation.tags(tags)
        try await authorize(caller, action: "iam:CreateUser", resource: Self.resourceARN(caller.account, "user", path: path, name: name))
        let user = IAMUser(
            account: caller.account, name: name, path: path, userID: Identifiers.uniqueID(prefix: "AIDA"), creationDate: clock.now(), tags: tagMap
        )
        try await store.insertUser(user)
        return user
    }

    /// The named user, or the calling user when `name` is nil (GetUser's rule). Nil when an
    /// account root asks about itself: it is no IAM user (AWS then describes the root).
    public func user(_ caller: Caller, name: String?) async throws -> IAMUser? {
        guard let name = name ?? caller.userName else {
            if caller.kind == .root { return nil }
            throw IdentityError(.validation, "Must specify userName when calling with non-User credentials")
        }
        try IAMValidation.name(name, member: "userName", maximum: 128)
        let user = try await existingUser(caller.account, name)
        try await authorize(caller, action: "iam:GetUser", resource: user.arn)
        return user
    }

    func existingUser(_ account: AccountID, _ name: String) async throws -> IAMUser {
        guard let user = try await store.user(account: account, name: name) else {
            throw IdentityError(.notFound, "The user with name \(name) cannot be found.")
        }
        return user
    }

    public func users(_ caller: Caller, pathPrefix: String?) async throws -> [IAMUser] {
        try await authorize(caller, action: "iam:ListUsers", resource: Self.resourceARN(caller.account, "user", name: ""))
        let prefix = pathPrefix ?? "/"
        return try await store.users(account: caller.account).filter { $0.path.hasPrefix(prefix) }
    }

    /// Deletes a user that has no access keys and no inline policies left (AWS's DeleteConflict rule).
    public func deleteUser(_ caller: Caller, name: String) async throws {
        try IAMValidation.name(name, member: "userName", maximum: 128)
        let user = try await existingUser(caller.account, name)
        try await authorize(caller, action: "iam:DeleteUser", resource: user.arn)
        if try await store.accessKeys(account: caller.account).contains(where: { $0.userName?.lowercased() == user.name.lowercased() }) {
            throw IdentityError(.deleteConflict, "Cannot delete entity, must delete access keys first.")
        }
        if try await !store.policies(account: caller.account, owner: .user(user.name)).isEmpty {
            throw IdentityError(.deleteConflict, "Cannot delete entity, must delete policies first.")
        }
        _ = try await store.deleteUser(account: caller.account, name: user.name)
        uncachePolicies(account: caller.account, owner: .user(user.name))
        uncacheCredentials { $0.arn == user.arn }
    }

    /// The user an access-key operation is about: the named one, else the caller (a user), else the root.
    private func accessKeyOwner(_ caller: Caller, userName: String?) async throws -> IAMUser? {
        if let userName {
            try IAMValidation.name(userName, member: "userName", maximum: 128)
            return try await existingUser(caller.account, userName)
        }
        guard caller.kind == .user, let own = caller.userName else { return nil }
        return try await existingUser(caller.account, own)
    }

    /// Creates an access key for a user (or the root principal); the secret is in the result only.
    public func createAccessKey(_ caller: Caller, userName: String?) async throws -> (key: AccessKey, secret: String) {
        let user = try await accessKeyOwner(caller, userName: userName)
        try await authorize(caller, action: "iam:CreateAccessKey", resource: user?.arn ?? caller.account.rootARN)
        if let user {
            let held = try await store.accessKeys(account: caller.account).filter { $0.userName?.lowercased() == user.name.lowercased() }
            guard held.count < Self.accessKeysPerUser else {
                throw IdentityError(.limitExceeded, "Cannot exceed quota for AccessKeysPerUser: \(Self.accessKeysPerUser)")
            }
        }
        return try await storeAccessKey(id: Identifiers.accessKeyID(), secret: Identifiers.secretAccessKey(), account: caller.account, user: user)
    }

    public func listAccessKeys(_ caller: Caller, userName: String?) async throws -> [AccessKey] {
        let user = try await accessKeyOwner(caller, userName: userName)
        try await authorize(caller, action: "iam:ListAccessKeys", resource: user?.arn ?? caller.account.rootARN)
        return try await store.accessKeys(account: caller.account).filter { $0.userName?.lowercased() == user?.name.lowercased() }
    }

    /// The key, checked to belong to the user the request names (or the caller).
    private func ownedAccessKey(_ caller: Caller, id: String, userName: String?, action: String) async throws -> AccessKey {
        let user = try await accessKeyOwner(caller, userName: userName)
        try await authorize(caller, action: action, resource: user?.arn ?? caller.account.rootARN)
        guard let key = try await store.accessKey(id: id), key.account == caller.account,
            key.userName?.lowercased() == user?.name.lowercased()
        else {
            throw IdentityError(.notFound, "The Access Key with id \(id) cannot be found.")
        }
        return key
    }

    /// Activates or deactivates a key; an inactive key stops authenticating at once.
    public func updateAccessKey(_ caller: Caller, id: String, userName: String?, status: AccessKey.Status) async throws {
        var key = try await ownedAccessKey(caller, id: id, userName: userName, action: "iam:UpdateAccessKey")
        key.status = status
        try await store.upsertAccessKey(key)
        uncacheCredentials { $0.accessKeyID == id }
    }

    public func deleteAccessKey(_ caller: Caller, id: String, userName: String?) async throws {
        _ = try await ownedAccessKey(caller, id: id, userName: userName, action: "iam:DeleteAccessKey")
        _ = try await store.deleteAccessKey(id: id)
        uncacheCredentials { $0.accessKeyID == id }
    }
}
