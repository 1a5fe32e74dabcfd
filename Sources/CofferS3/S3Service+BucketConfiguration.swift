import CofferCore
import CofferObjectStore
import CofferPolicy
import Foundation
import Synchronization

/// Bucket policies and default encryption, kept as bucket settings.
extension S3Service {
    static let policySetting = "policy"
    static let encryptionSetting = "encryption"

    /// PutBucketPolicy: the document must parse as a resource policy (each statement names a principal).
    public func putBucketPolicy(_ name: String, policy text: String, caller: Caller) async throws(S3Error) {
        _ = try await policyBucket(name, caller: caller, action: "s3:PutBucketPolicy")
        guard text.utf8.count <= 20 * 1024 else { throw S3Error("PolicyTooLarge", "Policy exceeds the maximum allowed document size.", bucket: name) }
        let parsed: PolicyDocument
        do {
            parsed = try PolicyDocument.parse(text, kind: .resource)
        } catch {
            throw S3Error("MalformedPolicy", error.message, bucket: name)
        }
        try S3PolicyValidation.validate(parsed, bucket: name)
        try await changeSetting(name, Self.policySetting, Array(text.utf8))
    }

    /// GetBucketPolicy: the document as it was put.
    public func bucketPolicyText(_ name: String, caller: Caller) async throws(S3Error) -> String {
        _ = try await policyBucket(name, caller: caller, action: "s3:GetBucketPolicy")
        guard let stored = try await readSetting(name, Self.policySetting) else {
            throw S3Error("NoSuchBucketPolicy", "The bucket policy does not exist", bucket: name)
        }
        return String(decoding: stored, as: UTF8.self)
    }

    public func deleteBucketPolicy(_ name: String, caller: Caller) async throws(S3Error) {
        _ = try await policyBucket(name, caller: caller, action: "s3:DeleteBucketPolicy")
        try await changeSetting(name, Self.policySetting, nil)
    }

    /// PutBucketEncryption. An `aws:kms` default with no key means the AWS managed `alias/aws/s3` key.
    public func putBucketEncryption(_ name: String, _ configuration: BucketEncryption, caller: Caller) async throws(S3Error) {
        _ = try await ownedBucket(name, caller: caller, action: "s3:PutEncryptionConfiguration")
        guard configuration.algorithm == "aws:kms" || configuration.kmsMasterKeyID == nil else {
            throw S3Error.invalidArgument("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
        }
        let encoded: Data
        do { encoded = try JSONEncoder().encode(configuration) } catch { throw .internalError }
        try await changeSetting(name, Self.encryptionSetting, Array(encoded))
    }

    /// GetBucketEncryption: the bucket's configuration, or SSE-S3, which every bucket has when it has no
    /// other (as on AWS since January 2023).
    public func bucketEncryption(_ name: String, caller: Caller) async throws(S3Error) -> BucketEncryption {
        _ = try await ownedBucket(name, caller: caller, action: "s3:GetEncryptionConfiguration")
        return try await storedEncryption(name) ?? .s3Default
    }

    public func deleteBucketEncryption(_ name: String, caller: Caller) async throws(S3Error) {
        _ = try await ownedBucket(name, caller: caller, action: "s3:PutEncryptionConfiguration")
        try await changeSetting(name, Self.encryptionSetting, nil)
    }

    /// The bucket's parsed policy (cached by text); a stored policy that no longer parses refuses every request.
    func bucketPolicy(_ bucket: String) async throws(S3Error) -> PolicyDocument? {
        guard let stored = try await readSetting(bucket, Self.policySetting) else { return nil }
        let text = String(decoding: stored, as: UTF8.self)
        if let cached = policyCache.withLock({ $0[text] }) { return cached }
        guard let parsed = try? PolicyDocument.parse(text, kind: .resource) else { throw .accessDenied }
        policyCache.withLock { cache in
            if cache.count >= 1024 { cache.removeAll() }
            cache[text] = parsed
        }
        return parsed
    }

    func storedEncryption(_ bucket: String) async throws(S3Error) -> BucketEncryption? {
        guard let stored = try await readSetting(bucket, Self.encryptionSetting) else { return nil }
        guard let decoded = try? JSONDecoder().decode(BucketEncryption.self, from: Data(stored)) else { throw .internalError }
        return decoded
    }

    /// The request's encryption with the bucket default applied (SSE-S3 when the bucket has none), and the
    /// bucket's blocked encryption types enforced.
    func resolve(_ sse: SSERequest, bucket: String) async throws(S3Error) -> ResolvedSSE {
        let configuration = try await storedEncryption(bucket) ?? .s3Default
        switch sse {
        case .bucketDefault:
            if configuration.algorithm == "aws:kms" {
                return .kms(keyID: configuration.kmsMasterKeyID, context: [:], bucketKey: configuration.bucketKeyEnabled)
            }
            return .s3
        case .s3:
            return .s3
        case .kms(let keyID, let context, let bucketKey):
            let inherited = configuration.algorithm == "aws:kms" && configuration.bucketKeyEnabled
            return .kms(keyID: keyID, context: context, bucketKey: bucketKey ?? inherited)
        case .customer(let key):
            if configuration.blocksCustomerKeys {
                throw S3Error("AccessDenied", "Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket.", bucket: bucket)
            }
            return .customer(key: key)
        }
    }

    /// The bucket of a Get/Put/DeleteBucketPolicy call. As on AWS, the owner account's root may always make
    /// these calls, whatever the policy says (so no policy can lock the owner out), and another account
    /// gets 405 MethodNotAllowed even when the policy grants it.
    private func policyBucket(_ name: String, caller: Caller, action: String) async throws(S3Error) -> S3Bucket {
        let found: S3Bucket?
        do { found = try await objects.bucket(named: name) } catch { throw S3Error(error, bucket: name) }
        guard let found else { throw .noSuchBucket(name) }
        guard found.account == caller.account.rawValue else {
            throw S3Error("MethodNotAllowed", "The specified method is not allowed against this resource.", bucket: name)
        }
        if caller.kind == .root { return found }
        return try await ownedBucket(name, caller: caller, action: action)
    }

    /// A bucket the caller's account owns (configuration calls are owner-only, as on AWS), authorized for `action`.
    private func ownedBucket(_ name: String, caller: Caller, action: String) async throws(S3Error) -> S3Bucket {
        let found = try await bucket(name, caller: caller, action: action)
        guard found.account == caller.account.rawValue else { throw .accessDenied }
        return found
    }

    func readSetting(_ bucket: String, _ name: String) async throws(S3Error) -> [UInt8]? {
        do {
            return try await objects.bucketSetting(bucket: bucket, name: name)
        } catch {
            throw S3Error(error, bucket: bucket)
        }
    }

    func changeSetting(_ bucket: String, _ name: String, _ value: [UInt8]?) async throws(S3Error) {
        do {
            try await objects.setBucketSetting(bucket: bucket, name: name, value: value)
        } catch {
            throw S3Error(error, bucket: bucket)
        }
    }
}

/// Bucket tags (Put/Get/DeleteBucketTagging), kept as a bucket setting.
extension S3Service {
    static let taggingSetting = "tagging"

    private struct StoredTag: Codable {
        var key: String
        var value: String
    }

    /// PutBucketTagging; an empty tag set removes the tags (GetBucketTagging then answers NoSuchTagSet, as on AWS).
    public func putBucketTags(_ name: String, tags: [S3Tag], caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: "s3:PutBucketTagging")
        guard !tags.isEmpty else { return try await changeSetting(name, Self.taggingSetting, nil) }
        let encoded: Data
        do { encoded = try JSONEncoder().encode(tags.map { StoredTag(key: $0.key, value: $0.value) }) } catch { throw .internalError }
        try await changeSetting(name, Self.taggingSetting, Array(encoded))
    }

    /// The bucket's tags; NoSuchTagSet when it has none.
    public func bucketTags(_ name: String, caller: Caller) async throws(S3Error) -> [S3Tag] {
        _ = try await bucket(name, caller: caller, action: "s3:GetBucketTagging")
        guard let stored = try await readSetting(name, Self.taggingSetting) else {
            throw S3Error("NoSuchTagSet", "The TagSet does not exist", bucket: name)
        }
        guard let decoded = try? JSONDecoder().decode([StoredTag].self, from: Data(stored)) else { throw .internalError }
        return decoded.map { S3Tag(key: $0.key, value: $0.value) }
    }

    public func deleteBucketTags(_ name: String, caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: "s3:PutBucketTagging")
        try await changeSetting(name, Self.taggingSetting, nil)
    }
}
