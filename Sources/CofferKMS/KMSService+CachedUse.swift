import CofferCore

extension KMSService {
    /// Re-checks, without any cryptography, that `caller` may still use the key `keyARN` for
    /// `operation` under `context` and that the key is usable (enabled, not pending deletion, material
    /// not expired). A service that caches a data key the key protects (S3 bucket keys) calls this on
    /// every reuse, so that revoking access or disabling the key takes effect at once.
    public func checkCachedUse(keyARN: String, operation: String, context: EncryptionContext, caller: Caller) async throws -> KMSKey {
        let key = try await resolve(keyARN, forms: .keyOrAlias, caller: caller, for: KeyAccess(operation, context: context))
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .encryptDecrypt, key.keySpec == .symmetricDefault else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for this operation.")
        }
        return key
    }
}
