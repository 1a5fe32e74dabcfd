import CofferCore
import CofferPolicy
import Foundation
import Synchronization

extension KMSService {
    /// The key policy of a key as the engine sees it, parsed once per policy text (keys without a
    /// policy: once per account). A stored policy
    /// that no longer parses allows nothing (fail closed).
    func parsedKeyPolicy(_ key: KMSKey) -> PolicyDocument? {
        let slot = Self.policySlot(key)
        if let cached = keyPolicyCache.withLock({ $0[slot] }) { return cached }
        let text = key.policy ?? Self.defaultKeyPolicy(account: key.account)
        guard let parsed = try? PolicyDocument.parse(text, kind: .resource) else { return nil }
        keyPolicyCache.withLock { cache in
            if cache.count >= 4096 { cache.removeAll() }
            cache[slot] = parsed
        }
        return parsed
    }

    /// Where a key's parsed policy is cached: its text, or for keys without a policy a short slot
    /// per account (they share the default policy).
    static func policySlot(_ key: KMSKey) -> String { key.policy ?? "default:\(key.account.rawValue)" }

    /// The condition keys every KMS request carries, plus the key's own when there is a key.
    func conditionContext(_ caller: Caller, key: KMSKey?, access: KeyAccess, requestAlias: String?) -> ConditionContext {
        var context = caller.globalConditionContext(now: clock.now())
        context["kms:CallerAccount"] = [caller.account.rawValue]
        if let via = caller.viaService { context["kms:ViaService"] = ["\(via).\(caller.region.rawValue).amazonaws.com"] }
        if let key {
            context["kms:KeySpec"] = [key.keySpec.rawValue]
            context["kms:CustomerMasterKeySpec"] = [key.keySpec.rawValue]
            context["kms:KeyUsage"] = [key.keyUsage.rawValue]
            context["kms:CustomerMasterKeyUsage"] = [key.keyUsage.rawValue]
            context["kms:KeyOrigin"] = [key.origin.rawValue]
            context["kms:MultiRegion"] = [key.multiRegion ? "true" : "false"]
            if key.multiRegion { context["kms:MultiRegionKeyType"] = [key.isPrimary ? "PRIMARY" : "REPLICA"] }
            for tag in key.tags { context["aws:ResourceTag/\(tag.key)"] = [tag.value] }
        }
        if let encryptionContext = access.encryptionContext {
            for (name, value) in encryptionContext.pairs { context["kms:EncryptionContext:\(name)"] = [value] }
            context["kms:EncryptionContextKeys"] = encryptionContext.pairs.keys.sorted()
        }
        if let requestAlias { context["kms:RequestAlias"] = [requestAlias] }
        for (name, values) in access.conditions { context[name] = values }
        return context
    }

    func callerPolicies(_ caller: Caller) async throws -> [PolicyDocument] {
        guard caller.kind != .root, let identityPolicies else { return [] }
        return try await identityPolicies.identityPolicies(for: caller)
    }

    /// Authorizes a request on a key as AWS KMS does: the key policy must allow the caller (directly,
    /// or by naming the caller's account, which then needs an IAM policy that allows), or a grant
    /// must; an explicit deny anywhere wins. Throws AccessDeniedException with AWS's message.
    func authorize(_ caller: Caller, key: KMSKey, access: KeyAccess, requestAlias: String? = nil) async throws {
        Self.touchedKeys?.record(key.arn)
        let keyPolicy = parsedKeyPolicy(key)
        // An account root has no identity policies, so under a key policy without conditions its
        // decision depends only on the policy text, the caller, the action and the key: allows are
        // remembered (a changed policy has another slot).
        var allowSlot: AllowSlot?
        if caller.kind == .root, let keyPolicy, !keyPolicy.readsConditionContext {
            let slot = AllowSlot(policy: Self.policySlot(key), principal: caller.principalARN, action: access.action, keyID: key.id, region: key.region.rawValue)
            if allowCache.withLock({ $0.contains(slot) }) { return }
            allowSlot = slot
        }
        let identity = try await callerPolicies(caller)
        // Most requests meet only condition-free policies (the default key policy is one): then
        // the condition context is never read and is not built.
        var context = ConditionContext()
        if keyPolicy?.readsConditionContext == true || identity.contains(where: \.readsConditionContext) {
            context = conditionContext(caller, key: key, access: access, requestAlias: requestAlias)
            if keyPolicy?.mentionsConditionKey("kms:ResourceAliases") == true
                || identity.contains(where: { $0.mentionsConditionKey("kms:ResourceAliases") }) {
                context["kms:ResourceAliases"] = try await aliasNames(of: key)
            }
        }
        var input = Authorizer.Input(
            request: PolicyRequest(principal: caller.policyPrincipal, action: access.action, resource: key.arn, context: context),
            identityPolicies: identity, resourcePolicy: keyPolicy, resourceAccount: key.account.rawValue,
            resourcePolicyRequired: true
        )
        var decision = Authorizer.authorize(input)
        if case .deny(let reason) = decision, reason != .explicitDenyInIdentityPolicy, reason != .explicitDenyInResourcePolicy,
            KMSGrant.operations.contains(access.operation),
            try await grants(of: key).contains(where: { $0.allows(access.operation, caller: caller, context: access.encryptionContext) }) {
            input.externalAllow = true
            decision = Authorizer.authorize(input)
        }
        if case .deny(let reason) = decision {
            throw KMSError(.accessDenied, reason.message(principalARN: caller.principalARN, action: access.action, resource: key.arn))
        }
        if let allowSlot, !input.externalAllow {
            allowCache.withLock { cache in
                if cache.count >= 16_384 { cache.removeAll() }
                cache.insert(allowSlot)
            }
        }
    }

    /// Authorizes an operation that names no key (CreateKey, ListKeys, GenerateRandom, ...): only
    /// the caller's IAM policies decide (the account root is always allowed).
    func authorize(_ caller: Caller, access: KeyAccess, resource: String = "*") async throws {
        let context = conditionContext(caller, key: nil, access: access, requestAlias: nil)
        let input = Authorizer.Input(
            request: PolicyRequest(principal: caller.policyPrincipal, action: access.action, resource: resource, context: context),
            identityPolicies: try await callerPolicies(caller), resourceAccount: caller.account.rawValue, resourcePolicyRequired: false
        )
        if case .deny(let reason) = Authorizer.authorize(input) {
            throw KMSError(.accessDenied, reason.message(principalARN: caller.principalARN, action: access.action, resource: resource))
        }
    }

    /// The names of the aliases that point at a key (`kms:ResourceAliases`).
    private func aliasNames(of key: KMSKey) async throws -> [String] {
        try await store.listAliases(account: key.account, region: key.region, targetKeyID: key.id, afterName: nil, limit: 1000).map(\.name)
    }

    /// Whether `policy` would let `caller` change the key policy again (the lockout safety check).
    func policyKeepsAccess(_ policy: PolicyDocument, for key: KMSKey, caller: Caller) async throws -> Bool {
        let access = KeyAccess("PutKeyPolicy")
        let input = Authorizer.Input(
            request: PolicyRequest(
                principal: caller.policyPrincipal, action: access.action, resource: key.arn,
                context: conditionContext(caller, key: key, access: access, requestAlias: nil)
            ),
            identityPolicies: try await callerPolicies(caller), resourcePolicy: policy, resourceAccount: key.account.rawValue, resourcePolicyRequired: true
        )
        return Authorizer.authorize(input) == .allow
    }
}
