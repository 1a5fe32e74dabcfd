import CofferCore
import CofferCrypto
import CofferPolicy
import Crypto
import Foundation

/// Parameters of CreateKey, already type-checked by the wire layer.
public struct CreateKeyParameters: Sendable {
    public var description: String = ""
    public var keyUsage: KeyUsage?
    public var keySpec: KeySpec?
    public var origin: KeyOrigin?
    public var tags: [KMSTag] = []
    public var policy: String?
    public var multiRegion: Bool = false
    /// Skips the check that the policy lets the caller change it later.
    public var bypassPolicyLockoutSafetyCheck: Bool = false
    public init() {}
}

extension KMSService {
    /// CreateKey: a new key with fresh random material sealed under the root key, or, with Origin
    /// EXTERNAL, a key in PendingImport that waits for imported material.
    public func createKey(_ parameters: CreateKeyParameters, caller: Caller) async throws -> KMSKey {
        var conditions: [String: [String]] = [
            "kms:KeySpec": [(parameters.keySpec ?? .symmetricDefault).rawValue], "kms:KeyUsage": [(parameters.keyUsage ?? .encryptDecrypt).rawValue],
            "kms:KeyOrigin": [(parameters.origin ?? .awsKMS).rawValue], "kms:MultiRegion": [parameters.multiRegion ? "true" : "false"],
            "kms:BypassPolicyLockoutSafetyCheck": [parameters.bypassPolicyLockoutSafetyCheck ? "true" : "false"],
        ]
        for tag in parameters.tags { conditions["aws:RequestTag/\(tag.key)"] = [tag.value] }
        if !parameters.tags.isEmpty { conditions["aws:TagKeys"] = parameters.tags.map(\.key) }
        try await authorize(caller, access: KeyAccess("CreateKey", conditions: conditions))
        let spec = parameters.keySpec ?? .symmetricDefault
        let usage = parameters.keyUsage ?? .encryptDecrypt
        try Self.checkUsage(usage, for: spec)
        let origin = parameters.origin ?? .awsKMS
        switch origin {
        case .awsKMS: break
        case .external:
            guard !parameters.multiRegion else {
                throw KMSError(.unsupportedOperation, "Multi-Region keys with imported key material are not supported by this server yet.")
            }
        case .awsCloudHSM, .externalKeyStore:
            throw KMSError(.unsupportedOperation, "Origin \(origin.rawValue) needs a custom key store, which this server does not have yet.")
        }
        let policyDocument = try parameters.policy.map(Self.checkPolicyDocument)
        try Self.checkNewTags(parameters.tags, existing: [])

        let now = clock.now()
        let id = parameters.multiRegion ? "mrk-" + Bytes.hex(SecureRandom.bytes(16)) : Identifiers.uuid()
        var key = KMSKey(
            id: id, account: caller.account, region: caller.region, creationDate: now,
            description: parameters.description, keyUsage: usage, keySpec: spec, origin: origin,
            state: origin == .external ? .pendingImport : .enabled, currentVersion: origin == .external ? 0 : 1,
            tags: Self.merge(parameters.tags, into: []), policy: parameters.policy
        )
        if parameters.multiRegion {
            key.multiRegion = true
            key.primaryRegion = caller.region
        }
        if let policyDocument, !parameters.bypassPolicyLockoutSafetyCheck, try await !policyKeepsAccess(policyDocument, for: key, caller: caller) {
            throw KMSError(.malformedPolicyDocument, Self.lockoutMessage)
        }
        try await store.insertKey(key, material: origin == .awsKMS ? try freshMaterial(for: key) : nil)
        cache(key)
        return key
    }

    /// AWS's pairing of key specs and key usages.
    static func checkUsage(_ usage: KeyUsage, for spec: KeySpec) throws {
        let allowed: [KeyUsage]
        switch spec {
        case .symmetricDefault: allowed = [.encryptDecrypt]
        case .hmac224, .hmac256, .hmac384, .hmac512: allowed = [.generateVerifyMAC]
        case .eccNistP256, .eccNistP384, .eccNistP521: allowed = [.signVerify, .keyAgreement]
        case .eccSecgP256k1, .eccNistEdwards25519, .mlDSA44, .mlDSA65, .mlDSA87: allowed = [.signVerify]
        case .rsa2048, .rsa3072, .rsa4096: allowed = [.encryptDecrypt, .signVerify]
        default:
            throw KMSError(.unsupportedOperation, "KeySpec \(spec.rawValue) is not supported by this server: no well-kept library here implements it.")
        }
        guard allowed.contains(usage) else {
            let names = allowed.map(\.rawValue).joined(separator: " or ")
            throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue); use \(names)")
        }
    }

    /// Version 1 of a new key: fresh material for its spec, sealed under the root key.
    func freshMaterial(for key: KMSKey) throws -> SealedKeyMaterial {
        let sealed = try rootKey.seal(try Self.generateMaterial(key.keySpec), label: key.materialLabel(version: 1))
        return SealedKeyMaterial(keyID: key.id, version: 1, sealed: sealed, creationDate: key.creationDate)
    }

    /// Fresh key material for a spec, in the form it is sealed in.
    static func generateMaterial(_ spec: KeySpec) throws -> [UInt8] {
        if spec == .symmetricDefault { return SecureRandom.bytes(32) }
        if let mac = spec.macAlgorithm { return SecureRandom.bytes(mac.keyBytes) }
        return try AsymmetricKey.generateMaterial(spec)
    }

    /// DescribeKey.
    /// Naming a predefined `alias/aws/<service>` that has no key yet creates the AWS managed key,
    /// as AWS services do through DescribeKey.
    public func describeKey(_ keyID: String, caller: Caller) async throws -> KMSKey {
        let reference = try KeyReference(parsing: keyID, forms: .keyOrAlias)
        do {
            return try await resolve(reference, caller: caller, for: KeyAccess("DescribeKey"))
        } catch let error as KMSError where error.code == .notFound {
            let aliasName: String?
            switch reference {
            case .aliasName(let name): aliasName = name
            case .aliasARN(let account, let region, let name) where account == caller.account.rawValue && region == caller.region.rawValue:
                aliasName = name
            default: aliasName = nil
            }
            guard let aliasName, aliasName.hasPrefix(Self.awsAliasPrefix) else { throw error }
            let key = try await awsManagedKey(service: String(aliasName.dropFirst(Self.awsAliasPrefix.count)), caller: caller)
            try await authorize(caller, key: key, access: KeyAccess("DescribeKey"), requestAlias: aliasName)
            return key
        }
    }

    /// ListKeys: keys of the caller's account and region, in pages.
    public func listKeys(caller: Caller, limit: Int, marker: String?) async throws -> (keys: [KMSKey], nextMarker: String?) {
        try await authorize(caller, access: KeyAccess("ListKeys"))
        if let marker, !KeyReference.isKeyID(marker) {
            throw KMSError(.invalidMarker, "Invalid marker: \(marker)")
        }
        let page = try await store.listKeys(account: caller.account, region: caller.region, afterID: marker, limit: limit + 1)
        let keys = Array(page.prefix(limit))
        return (keys, page.count > limit ? keys.last?.id : nil)
    }

    /// EnableKey.
    public func enableKey(_ keyID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("EnableKey"))
        let arn = key.arn
        _ = try await modify(key) { $0.state = try $0.state.enabling(keyARN: arn) }
    }

    /// DisableKey.
    public func disableKey(_ keyID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("DisableKey"))
        let arn = key.arn
        _ = try await modify(key) { $0.state = try $0.state.disabling(keyARN: arn) }
    }

    /// UpdateKeyDescription.
    public func updateKeyDescription(_ keyID: String, description: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("UpdateKeyDescription"))
        let arn = key.arn
        _ = try await modify(key) { key in
            try key.state.checkManageable(keyARN: arn)
            key.description = description
        }
    }

    /// Checks that a key policy is a JSON object within AWS's size limit.
    /// Parses and validates a key policy (a resource-based policy: every statement names a principal).
    @discardableResult
    static func checkPolicyDocument(_ policy: String) throws -> PolicyDocument {
        guard policy.utf8.count <= maximumPolicyBytes else {
            throw KMSError(.limitExceeded, "The key policy exceeds the key policy document size quota of \(maximumPolicyBytes) bytes.")
        }
        do {
            return try PolicyDocument.parse(policy, kind: .resource)
        } catch {
            throw KMSError(.malformedPolicyDocument, error.message)
        }
    }

    /// What the policy lockout safety check answers.
    static let lockoutMessage = "The new key policy will not allow you to update the key policy in the future."

    /// GenerateRandom: needs kms:GenerateRandom in the caller's IAM policies.
    public func generateRandom(_ count: Int, caller: Caller) async throws -> [UInt8] {
        try await authorize(caller, access: KeyAccess("GenerateRandom"))
        return Self.randomBytes(count)
    }
}
