import CofferCore
import CofferPolicy
import Foundation

extension IdentityService {
    /// AWS's limit on a role trust policy, in characters.
    static let trustPolicyMaximumLength = 2048

    public func createRole(
        _ caller: Caller, name: String, path: String?, trustPolicy: String, description: String?, maxSessionDuration: Int?,
        tags: [(key: String, value: String)]
    ) async throws -> IAMRole {
        try IAMValidation.name(name, member: "roleName", maximum: 64)
        let path = path ?? "/"
        try IAMValidation.path(path)
        let tagMap = try IAMValidation.tags(tags)
        if let description, description.count > 1000 {
            throw IAMValidation.failure(description, member: "description", "must have length less than or equal to 1000")
        }
        let duration = maxSessionDuration ?? 3600
        guard (3600...43200).contains(duration) else {
            throw IAMValidation.failure(String(duration), member: "maxSessionDuration", duration < 3600 ? "must have value greater than or equal to 3600" : "must have value less than or equal to 43200")
        }
        try Self.validatePolicy(trustPolicy, kind: .trust, maximumLength: Self.trustPolicyMaximumLength, what: "ACLs")
        try await authorize(caller, action: "iam:CreateRole", resource: Self.resourceARN(caller.account, "role", path: path, name: name))
        let role = IAMRole(
            account: caller.account, name: name, path: path, roleID: Identifiers.uniqueID(prefix: "AROA"), creationDate: clock.now(),
            trustPolicy: trustPolicy, description: description, maxSessionDuration: duration, tags: tagMap
        )
        try await store.insertRole(role)
        return role
    }

    func existingRole(_ account: AccountID, _ name: String) async throws -> IAMRole {
        guard let role = try await store.role(account: account, name: name) else {
            throw IdentityError(.notFound, "The role with name \(name) cannot be found.")
        }
        return role
    }

    public func role(_ caller: Caller, name: String) async throws -> IAMRole {
        try IAMValidation.name(name, member: "roleName", maximum: 64)
        let role = try await existingRole(caller.account, name)
        try await authorize(caller, action: "iam:GetRole", resource: role.arn)
        return role
    }

    public func roles(_ caller: Caller, pathPrefix: String?) async throws -> [IAMRole] {
        try await authorize(caller, action: "iam:ListRoles", resource: Self.resourceARN(caller.account, "role", name: ""))
        let prefix = pathPrefix ?? "/"
        return try await store.roles(account: caller.account).filter { $0.path.hasPrefix(prefix) }
    }

    /// Deletes a role with no inline policies left. Sessions already issued keep their remaining
    /// lifetime but lose every permission the role's policies gave.
    public func deleteRole(_ caller: Caller, name: String) async throws {
        try IAMValidation.name(name, member: "roleName", maximum: 64)
        let role = try await existingRole(caller.account, name)
        try await authorize(caller, action: "iam:DeleteRole", resource: role.arn)
        if try await !store.policies(account: caller.account, owner: .role(role.name)).isEmpty {
            throw IdentityError(.deleteConflict, "Cannot delete entity, must delete policies first.")
        }
        _ = try await store.deleteRole(account: caller.account, name: role.name)
        uncachePolicies(account: caller.account, owner: .role(role.name))
    }

    /// Parses a policy for storage; MalformedPolicyDocument when it is too long or invalid.
    static func validatePolicy(_ text: String, kind: PolicyKind, maximumLength: Int, what: String = "policies") throws {
        let length = text.filter { !$0.isWhitespace }.count
        guard length <= maximumLength else {
            throw IdentityError(.limitExceeded, "Cannot exceed quota for \(what == "ACLs" ? "ACLSizePerRole" : "PolicySize"): \(maximumLength)")
        }
        do {
            _ = try PolicyDocument.parse(text, kind: kind)
        } catch {
            throw IdentityError(.malformedPolicyDocument, error.message)
        }
    }
}
