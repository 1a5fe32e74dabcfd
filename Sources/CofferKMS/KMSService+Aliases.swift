import CofferCore
import Foundation

extension KMSService {
    /// Checks an alias name against AWS's rules (the pattern itself is checked by the wire layer).
    static func checkAliasName(_ name: String) throws {
        // AWS answers a name without the prefix with a bare "Invalid identifier".
        guard name.hasPrefix("alias/") else { throw KMSError(.validation, "Invalid identifier") }
        guard name.count > "alias/".count else {
            throw KMSError(.invalidAliasName, "Alias must start with the prefix \"alias/\" and name something after it.")
        }
        // AWS refuses the reserved prefix as NotAuthorizedException with an empty message.
        guard !name.hasPrefix("alias/aws/") else { throw KMSError(.notAuthorized, "") }
        // The wire pattern admits ':' (it also matches alias ARNs), but an alias name may hold only
        // letters, digits, '/', '_' and '-' (CreateAlias API reference).
        guard !name.contains(":") else {
            throw KMSError(.validation, "\(name) contains invalid characters for an alias")
        }
    }

    /// CreateAlias.
    public func createAlias(name: String, targetKeyID: String, caller: Caller) async throws {
        try Self.checkAliasName(name)
        try await authorize(caller, access: KeyAccess("CreateAlias"), resource: KMSAlias.arn(name: name, caller: caller))
        let key = try await resolveAliasTarget(targetKeyID, operation: "CreateAlias", caller: caller)
        let now = clock.now()
        let alias = KMSAlias(name: name, account: caller.account, region: caller.region, targetKeyID: key.id, creationDate: now, lastUpdatedDate: now)
        try await store.insertAlias(alias)
        cacheAlias(alias)
    }

    /// UpdateAlias: points an existing alias at another key of the same type and usage.
    public func updateAlias(name: String, targetKeyID: String, caller: Caller) async throws {
        try Self.checkAliasName(name)
        guard var alias = try await store.alias(account: caller.account, region: caller.region, name: name) else {
            throw KMSError(.notFound, "Alias \(KMSAlias.arn(name: name, caller: caller)) is not found.")
        }
        try await authorize(caller, access: KeyAccess("UpdateAlias"), resource: alias.arn)
        let key = try await resolveAliasTarget(targetKeyID, operation: "UpdateAlias", caller: caller)
        let current = try await loadKey(id: alias.targetKeyID, region: caller.region)
        if let current { try await authorize(caller, key: current, access: KeyAccess("UpdateAlias")) }
        if let current, current.keySpec != key.keySpec || current.keyUsage != key.keyUsage {
            throw KMSError(.validation, "\(key.arn) is not the same key type or key usage as the key the alias currently points to.")
        }
        alias.targetKeyID = key.id
        alias.lastUpdatedDate = clock.now()
        guard try await store.updateAlias(alias) else {
            throw KMSError(.notFound, "Alias \(alias.arn) is not found.")
        }
        cacheAlias(alias)
    }

    /// DeleteAlias.
    public func deleteAlias(name: String, caller: Caller) async throws {
        try Self.checkAliasName(name)
        try await authorize(caller, access: KeyAccess("DeleteAlias"), resource: KMSAlias.arn(name: name, caller: caller))
        if let alias = try await store.alias(account: caller.account, region: caller.region, name: name),
            let target = try await loadKey(id: alias.targetKeyID, region: caller.region) {
            try await authorize(caller, key: target, access: KeyAccess("DeleteAlias"))
        }
        guard try await store.deleteAlias(account: caller.account, region: caller.region, name: name) else {
            throw KMSError(.notFound, "Alias \(KMSAlias.arn(name: name, caller: caller)) is not found.")
        }
        uncacheAlias(account: caller.account, region: caller.region, name: name)
    }

    /// ListAliases: the caller's aliases in this region, optionally only those of one key.
    public func listAliases(keyID: String?, limit: Int, marker: String?, caller: Caller) async throws -> (aliases: [KMSAlias], nextMarker: String?) {
        try await authorize(caller, access: KeyAccess("ListAliases"))
        var targetID: String?
        if let keyID { targetID = try await locate(KeyReference(parsing: keyID, forms: .keyOnly), caller: caller).id }
        if let marker, !marker.hasPrefix("alias/") { throw KMSError(.invalidMarker, "Invalid marker: \(marker)") }
        let page = try await store.listAliases(account: caller.account, region: caller.region, targetKeyID: targetID, afterName: marker, limit: limit + 1)
        let aliases = Array(page.prefix(limit))
        return (aliases, page.count > limit ? aliases.last?.name : nil)
    }

    /// An alias target must be a key (by id or ARN) that can be managed.
    private func resolveAliasTarget(_ targetKeyID: String, operation: String, caller: Caller) async throws -> KMSKey {
        if targetKeyID.hasPrefix("alias/") || (targetKeyID.hasPrefix("arn:") && targetKeyID.contains(":alias/")) {
            throw KMSError(.validation, "Aliases must refer to keys. Not aliases")
        }
        let key = try await resolve(targetKeyID, forms: .keyOnly, caller: caller, for: KeyAccess(operation))
        guard key.keyManager == .customer else {
            throw KMSError(.accessDenied, "An alias cannot point to an AWS managed key.")
        }
        try key.state.checkManageable(keyARN: key.arn)
        return key
    }
}

extension KMSAlias {
    static func arn(name: String, caller: Caller) -> String {
        "arn:aws:kms:\(caller.region.rawValue):\(caller.account.rawValue):\(name)"
    }
}
