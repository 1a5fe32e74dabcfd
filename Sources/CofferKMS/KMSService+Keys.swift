import CofferCore
import CofferCrypto
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
    public init() {}
}

extension KMSService {
    /// CreateKey: a new key with fresh random material sealed under the root key.
    public func createKey(_ parameters: CreateKeyParameters, caller: Caller) async throws -> KMSKey {
        let spec = parameters.keySpec ?? .symmetricDefault
        let usage = parameters.keyUsage ?? .encryptDecrypt
        let rawMaterial: [UInt8]
        switch spec {
        case .symmetricDefault:
            guard usage == .encryptDecrypt else {
                throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue)")
            }
            rawMaterial = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        case .hmac256, .hmac384, .hmac512:
            guard usage == .generateVerifyMAC else {
                throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue); HMAC keys need GENERATE_VERIFY_MAC")
            }
            // Invariant: these specs all have a MAC algorithm.
            rawMaterial = SymmetricKey(size: SymmetricKeySize(bitCount: spec.macAlgorithm!.keyBytes * 8)).withUnsafeBytes { Array($0) }
        case .eccNistP256, .eccNistP384, .eccNistP521:
            guard usage == .signVerify || usage == .keyAgreement else {
                throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue); use SIGN_VERIFY or KEY_AGREEMENT")
            }
            rawMaterial = try AsymmetricKey.generateMaterial(spec)
        case .eccNistEdwards25519:
            guard usage == .signVerify else {
                throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue); use SIGN_VERIFY")
            }
            rawMaterial = try AsymmetricKey.generateMaterial(spec)
        case .rsa2048, .rsa3072, .rsa4096:
            guard usage == .signVerify || usage == .encryptDecrypt else {
                throw KMSError(.validation, "KeyUsage \(usage.rawValue) is not compatible with KeySpec \(spec.rawValue)")
            }
            rawMaterial = try AsymmetricKey.generateMaterial(spec)
        case .hmac224:
            throw KMSError(.unsupportedOperation, "KeySpec HMAC_224 is not supported: this build's crypto library has no SHA-224.")
        default:
            throw KMSError(.unsupportedOperation, "KeySpec \(spec.rawValue) is not supported by this server yet.")
        }
        let origin = parameters.origin ?? .awsKMS
        guard origin == .awsKMS else {
            throw KMSError(.unsupportedOperation, "Origin \(origin.rawValue) is not supported by this server yet.")
        }
        guard !parameters.multiRegion else {
            throw KMSError(.unsupportedOperation, "Multi-Region keys are not supported by this server yet.")
        }
        if let policy = parameters.policy { try Self.checkPolicyDocument(policy) }
        try Self.checkNewTags(parameters.tags, existing: [])

        let now = clock.now()
        let key = KMSKey(
            id: Identifiers.uuid(), account: caller.account, region: caller.region, creationDate: now,
            description: parameters.description, keyUsage: usage, keySpec: spec, origin: origin,
            state: .enabled, currentVersion: 1, tags: Self.merge(parameters.tags, into: []), policy: parameters.policy
        )
        let sealed = try rootKey.seal(rawMaterial, label: SealedKeyMaterial.sealingLabel(keyARN: key.arn, version: 1))
        try await store.insertKey(key, material: SealedKeyMaterial(keyID: key.id, version: 1, sealed: sealed, creationDate: now))
        cache(key)
        return key
    }

    /// DescribeKey.
    public func describeKey(_ keyID: String, caller: Caller) async throws -> KMSKey {
        try await resolve(keyID, forms: .keyOrAlias, caller: caller)
    }

    /// ListKeys: keys of the caller's account and region, in pages.
    public func listKeys(caller: Caller, limit: Int, marker: String?) async throws -> (keys: [KMSKey], nextMarker: String?) {
        if let marker, !KeyReference.isKeyID(marker) {
            throw KMSError(.invalidMarker, "Invalid marker: \(marker)")
        }
        let page = try await store.listKeys(account: caller.account, region: caller.region, afterID: marker, limit: limit + 1)
        let keys = Array(page.prefix(limit))
        return (keys, page.count > limit ? keys.last?.id : nil)
    }

    /// EnableKey.
    public func enableKey(_ keyID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller)
        let arn = key.arn
        _ = try await modify(key) { $0.state = try $0.state.enabling(keyARN: arn) }
    }

    /// DisableKey.
    public func disableKey(_ keyID: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller)
        let arn = key.arn
        _ = try await modify(key) { $0.state = try $0.state.disabling(keyARN: arn) }
    }

    /// UpdateKeyDescription.
    public func updateKeyDescription(_ keyID: String, description: String, caller: Caller) async throws {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller)
        let arn = key.arn
        _ = try await modify(key) { key in
            try key.state.checkManageable(keyARN: arn)
            key.description = description
        }
    }

    /// Checks that a key policy is a JSON object within AWS's size limit.
    static func checkPolicyDocument(_ policy: String) throws {
        guard policy.count <= maximumPolicyLength else {
            throw KMSError(.limitExceeded, "The key policy exceeds the maximum size of \(maximumPolicyLength) characters.")
        }
        guard let data = policy.data(using: .utf8),
              (try? JSONSerialization.jsonObject(with: data)) is [String: Any]
        else {
            throw KMSError(.malformedPolicyDocument, "The policy is not a valid JSON document.")
        }
    }
}
