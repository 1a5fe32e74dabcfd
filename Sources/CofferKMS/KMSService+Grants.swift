import CofferCore
import CofferCrypto
import Foundation
import Synchronization

/// What CreateGrant asks for.
public struct GrantParameters: Sendable {
    public var keyID: String
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    public var operations: [String]
    public var constraints: KMSGrant.Constraints
    public var name: String?

    public init(
        keyID: String, granteePrincipal: String, retiringPrincipal: String?, operations: [String], constraints: KMSGrant.Constraints, name: String?
    ) {
        self.keyID = keyID
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.operations = operations
        self.constraints = constraints
        self.name = name
    }
}

extension KMSService {
    /// AWS's limit on grants per key.
    public static let maximumGrantsPerKey = 50_000

    /// The grants of a key copy, from cache or storage.
    func grants(of key: KMSKey) async throws -> [KMSGrant] {
        let slot = KeySlot(id: key.id, region: key.region.rawValue)
        if let cached = grantCache.withLock({ $0[slot] }) { return cached }
        let loaded = try await store.grants(keyID: key.id, region: key.region)
        grantCache.withLock { $0[slot] = loaded }
        return loaded
    }

    private func uncacheGrants(of key: KMSKey) {
        _ = grantCache.withLock { $0.removeValue(forKey: KeySlot(id: key.id, region: key.region.rawValue)) }
    }

    /// A grantee or retiring principal must be an ARN of an AWS principal or a service principal.
    static func checkPrincipal(_ principal: String, member: String) throws {
        let valid = (principal.hasPrefix("arn:aws:iam::") || principal.hasPrefix("arn:aws:sts::")) && ARN(parsing: principal) != nil
            || principal.hasSuffix(".amazonaws.com")
        guard valid else { throw KMSError(.validation, "\(member) is not a valid principal: \(principal)") }
    }

    /// CreateGrant: returns the grant id and a token usable at once. A grant with the same name
    /// and parameters as an existing one on the key is not created twice: its id comes back.
    public func createGrant(_ parameters: GrantParameters, caller: Caller) async throws -> (grantID: String, token: String) {
        let operations = parameters.operations
        guard !operations.isEmpty else { throw KMSError(.validation, "Operations must contain at least one operation.") }
        if let unknown = operations.first(where: { !KMSGrant.operations.contains($0) }) {
            throw KMSError(.validation, "1 validation error detected: Value '[\(unknown)]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: \(KMSGrant.operations.sorted())]")
        }
        try Self.checkPrincipal(parameters.granteePrincipal, member: "GranteePrincipal")
        if let retiring = parameters.retiringPrincipal { try Self.checkPrincipal(retiring, member: "RetiringPrincipal") }
        if parameters.constraints.equals != nil, parameters.constraints.subset != nil {
            throw KMSError(.validation, "A grant can have EncryptionContextEquals or EncryptionContextSubset, not both.")
        }
        if !parameters.constraints.isEmpty, let operation = operations.first(where: { !KMSGrant.contextOperations.contains($0) }) {
            throw KMSError(.validation, "Grant constraints are not supported for the \(operation) operation, which does not take an encryption context.")
        }
        let reference = try KeyReference(parsing: parameters.keyID, forms: .keyOnly)
        var conditions: [String: [String]] = [
            "kms:GrantOperations": operations, "kms:GranteePrincipal": [parameters.granteePrincipal],
            "kms:GrantIsForAWSResource": [caller.viaService == nil ? "false" : "true"],
        ]
        if let retiring = parameters.retiringPrincipal { conditions["kms:RetiringPrincipal"] = [retiring] }
        if parameters.constraints.equals != nil { conditions["kms:GrantConstraintType"] = ["EncryptionContextEquals"] }
        if parameters.constraints.subset != nil { conditions["kms:GrantConstraintType"] = ["EncryptionContextSubset"] }
        let key = try await resolve(reference, caller: caller, for: KeyAccess("CreateGrant", conditions: conditions))
        guard key.state != .pendingDeletion, key.state != .pendingReplicaDeletion, key.state != .unavailable else {
            throw KMSError(.invalidState, "\(key.arn) is pending deletion.")
        }
        let existing = try await grants(of: key)
        let now = clock.now()
        var grant = KMSGrant(
            grantID: Bytes.hex(SecureRandom.bytes(32)), keyID: key.id, region: key.region, keyAccount: key.account, name: parameters.name,
            granteePrincipal: parameters.granteePrincipal, retiringPrincipal: parameters.retiringPrincipal, issuingAccount: caller.account.rootARN,
            operations: operations, constraints: parameters.constraints, creationDate: now, token: ""
        )
        if let name = parameters.name, let twin = existing.first(where: { $0.name == name && $0.sameParameters(as: grant) }) {
            return (twin.grantID, Self.grantToken(grantID: twin.grantID))
        }
        guard existing.count < Self.maximumGrantsPerKey else {
            throw KMSError(.limitExceeded, "The number of grants on \(key.arn) would exceed the limit of \(Self.maximumGrantsPerKey).")
        }
        grant.token = Self.grantToken(grantID: grant.grantID)
        try await store.insertGrant(grant)
        uncacheGrants(of: key)
        return (grant.grantID, grant.token)
    }

    static let grantTokenPrefix = "coffer-grant:"

    /// A grant token: the grant id and a random part, base64url; unique per CreateGrant answer, and
    /// every token of a grant works the same. Tokens are not secrets: using a grant still needs
    /// the grantee's own credentials.
    static func grantToken(grantID: String) -> String {
        let bytes = Array("\(grantTokenPrefix)\(grantID):".utf8) + SecureRandom.bytes(24)
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The grant id a token names, or nil if the text is not a token this server made.
    static func grantID(fromToken token: String) -> String? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard token.utf8.count <= 8192, let data = Data(base64Encoded: base64) else { return nil }
        let bytes = Array(data)
        let prefix = Array(grantTokenPrefix.utf8)
        // prefix, 64 hex digits, ':', 24 random bytes.
        guard bytes.count == prefix.count + 64 + 1 + 24, Array(bytes.prefix(prefix.count)) == prefix, bytes[prefix.count + 64] == UInt8(ascii: ":") else {
            return nil
        }
        let id = String(decoding: bytes[prefix.count..<prefix.count + 64], as: UTF8.self)
        return id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) ? id : nil
    }

    /// ListGrants: the key's grants, optionally one grant id or one grantee.
    public func listGrants(keyID: String, grantID: String?, granteePrincipal: String?, caller: Caller) async throws -> [KMSGrant] {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ListGrants"))
        return try await grants(of: key).filter { grant in
            (grantID == nil || grant.grantID == grantID) && (granteePrincipal == nil || grant.granteePrincipal == granteePrincipal)
        }
    }

    /// ListRetirableGrants: every grant (of keys in any account) that `retiringPrincipal` may retire.
    public func listRetirableGrants(retiringPrincipal: String, caller: Caller) async throws -> [KMSGrant] {
        try Self.checkPrincipal(retiringPrincipal, member: "RetiringPrincipal")
        try await authorize(caller, access: KeyAccess("ListRetirableGrants"))
        return try await store.grants(retiringPrincipal: retiringPrincipal)
    }

    /// RetireGrant: by token, or by key and grant id. Allowed to the retiring principal, the
    /// grantee when the grant includes RetireGrant, and the account that created the grant.
    public func retireGrant(token: String?, keyID: String?, grantID: String?, caller: Caller) async throws {
        let grant: KMSGrant
        if let token {
            guard let id = Self.grantID(fromToken: token) else {
                throw KMSError(.invalidGrantToken, "Grant token is invalid or not usable.")
            }
            guard let found = try await store.grant(id: id) else {
                throw KMSError(.notFound, "Grant ID \(id) not found")
            }
            grant = found
        } else {
            guard let keyID, let grantID else {
                throw KMSError(.validation, "Either GrantToken, or both KeyId and GrantId, must be specified.")
            }
            let reference = try KeyReference(parsing: keyID, forms: .keyOnly)
            let key = try await locate(reference, caller: caller)
            guard let found = try await grants(of: key).first(where: { $0.grantID == grantID }) else {
                throw KMSError(.notFound, "Grant ID \(grantID) not found")
            }
            grant = found
        }
        let mayRetire = grant.retiringPrincipal == caller.principalARN || (caller.roleARN != nil && grant.retiringPrincipal == caller.roleARN)
            || (grant.operations.contains("RetireGrant") && grant.allows("RetireGrant", caller: caller, context: nil))
            || (grant.issuingAccount == caller.account.rootARN && caller.kind == .root)
        guard mayRetire else {
            throw KMSError(.accessDenied, "User: \(caller.principalARN) is not authorized to perform: kms:RetireGrant on resource: \(grant.keyARN) because the caller is neither the grant's retiring principal, its grantee with the RetireGrant operation, nor the account that created it")
        }
        _ = try await store.deleteGrant(id: grant.grantID)
        grantCache.withLock { _ = $0.removeValue(forKey: KeySlot(id: grant.keyID, region: grant.region.rawValue)) }
    }

    /// RevokeGrant: deletes a grant; needs kms:RevokeGrant on the key.
    public func revokeGrant(keyID: String, grantID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("RevokeGrant"))
        guard try await grants(of: key).contains(where: { $0.grantID == grantID }) else {
            throw KMSError(.notFound, "Grant ID \(grantID) not found")
        }
        _ = try await store.deleteGrant(id: grantID)
        uncacheGrants(of: key)
    }
}
