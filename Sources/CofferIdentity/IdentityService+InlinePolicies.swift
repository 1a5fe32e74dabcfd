import CofferCore
import CofferPolicy

extension IdentityService {
    /// AWS's aggregate limits on inline policies (characters, whitespace excluded).
    static let userPolicyMaximumLength = 2048
    static let rolePolicyMaximumLength = 10240

    private func owner(_ caller: Caller, _ owner: PolicyOwner) async throws -> String {
        switch owner {
        case .user(let name):
            try IAMValidation.name(name, member: "userName", maximum: 128)
            return try await existingUser(caller.account, name).arn
        case .role(let name):
            try IAMValidation.name(name, member: "roleName", maximum: 64)
            return try await existingRole(caller.account, name).arn
        }
    }

    private static func actionSuffix(_ owner: PolicyOwner) -> String {
        switch owner {
        case .user: "UserPolicy"
        case .role: "RolePolicy"
        }
    }

    /// Creates or replaces an inline policy of a user or role.
    public func putPolicy(_ caller: Caller, owner: PolicyOwner, name: String, document: String) async throws {
        let arn = try await self.owner(caller, owner)
        try IAMValidation.name(name, member: "policyName", maximum: 128)
        let limit: Int
        switch owner {
        case .user: limit = Self.userPolicyMaximumLength
        case .role: limit = Self.rolePolicyMaximumLength
        }
        let others = try await store.policies(account: caller.account, owner: owner).filter { $0.name != name }
        let existing = others.reduce(0) { $0 + $1.document.filter { !$0.isWhitespace }.count }
        try Self.validatePolicy(document, kind: .identity, maximumLength: max(0, limit - existing))
        try await authorize(caller, action: "iam:Put\(Self.actionSuffix(owner))", resource: arn)
        try await store.putPolicy(account: caller.account, owner: owner, name: name, document: document)
        uncachePolicies(account: caller.account, owner: owner)
    }

    public func policy(_ caller: Caller, owner: PolicyOwner, name: String) async throws -> String {
        let arn = try await self.owner(caller, owner)
        try IAMValidation.name(name, member: "policyName", maximum: 128)
        try await authorize(caller, action: "iam:Get\(Self.actionSuffix(owner))", resource: arn)
        guard let found = try await store.policies(account: caller.account, owner: owner).first(where: { $0.name == name }) else {
            throw IdentityError(.notFound, "The \(owner.kind) policy with name \(name) cannot be found.")
        }
        return found.document
    }

    public func policyNames(_ caller: Caller, owner: PolicyOwner) async throws -> [String] {
        let arn = try await self.owner(caller, owner)
        try await authorize(caller, action: "iam:List\(Self.actionSuffix(owner))s", resource: arn)
        return try await store.policies(account: caller.account, owner: owner).map(\.name)
    }

    public func deletePolicy(_ caller: Caller, owner: PolicyOwner, name: String) async throws {
        let arn = try await self.owner(caller, owner)
        try IAMValidation.name(name, member: "policyName", maximum: 128)
        try await authorize(caller, action: "iam:Delete\(Self.actionSuffix(owner))", resource: arn)
        guard try await store.deletePolicy(account: caller.account, owner: owner, name: name) else {
            throw IdentityError(.notFound, "The \(owner.kind) policy with name \(name) cannot be found.")
        }
        uncachePolicies(account: caller.account, owner: owner)
    }
}
