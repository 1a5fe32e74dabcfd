import CofferCore
import CofferCrypto
import CofferKMS
import CofferObjectStore
import CofferPolicy
import CofferS3Wire
import Crypto
import Foundation
import Synchronization

/// S3's rules over the object store: who may do what to which bucket and object (IAM and bucket
/// policies through the shared policy engine), which data key protects a new object (SSE modes and
/// bucket defaults) and which opens an existing one. No HTTP here: the wire layer streams the bytes.
public final class S3Service: Sendable {
    public let objects: ObjectService
    public let keyring: ObjectKeyring
    let identityPolicies: (any IdentityPolicySource)?
    let now: @Sendable () -> Date
    let policyCache = Mutex<[String: PolicyDocument]>([:])

    public init(objects: ObjectService, keyring: ObjectKeyring, identityPolicies: (any IdentityPolicySource)?, now: @escaping @Sendable () -> Date = { Date() }) {
        self.objects = objects
        self.keyring = keyring
        self.identityPolicies = identityPolicies
        self.now = now
    }

    // MARK: Buckets

    /// CreateBucket. Outside us-east-1 the location constraint must name the request's region, as on AWS.
    public func createBucket(_ name: String, locationConstraint: String?, caller: Caller) async throws(S3Error) -> S3Bucket {
        do { try S3Names.validateBucketName(name) } catch { throw S3Error(error.code, error.message, bucket: name) }
        // The us-east-1 endpoint creates buckets in any region but names us-east-1 only by omission; any
        // other endpoint creates buckets in its own region only.
        var region = caller.region.rawValue
        switch (region, locationConstraint) {
        case (_, nil), (_, ""?):
            guard region == "us-east-1" else {
                throw S3Error("IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.", bucket: name)
            }
        case ("us-east-1", "us-east-1"?):
            throw S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", bucket: name)
        case ("us-east-1", let constraint?):
            guard Region(constraint) != nil else { throw S3Error("InvalidLocationConstraint", "The specified location-constraint is not valid", bucket: name) }
            region = constraint
        case (_, let constraint?):
            guard constraint == region else {
                throw S3Error("IllegalLocationConstraintException", "The \(constraint) location constraint is incompatible for the region specific endpoint this request was sent to.", bucket: name)
            }
        }
        try await authorize(caller, action: "s3:CreateBucket", resource: ObjectKeyring.bucketARN(name), owner: caller.account.rawValue, policy: nil)
        let bucket = S3Bucket(name: name, account: caller.account.rawValue, region: region, createdAt: now())
        do {
            try await objects.createBucket(bucket)
        } catch {
            // us-east-1 answers 200 for a bucket the caller already owns; other regions 409.
            if error == .bucketAlreadyOwnedByYou, caller.region.rawValue == "us-east-1" { return bucket }
            throw S3Error(error, bucket: name)
        }
        return bucket
    }

    /// A bucket the caller may act on with `action` (404 NoSuchBucket when it does not exist).
    public func bucket(_ name: String, caller: Caller, action: String, key: String? = nil, conditions: [String: [String]] = [:]) async throws(S3Error) -> S3Bucket {
        let found: S3Bucket?
        do {
            found = try await objects.bucket(named: name)
        } catch {
            throw S3Error(error, bucket: name)
        }
        guard let found else { throw .noSuchBucket(name) }
        let resource = key.map { ObjectKeyring.objectARN(bucket: name, key: $0) } ?? ObjectKeyring.bucketARN(name)
        try await authorize(caller, action: action, resource: resource, owner: found.account, policy: try await bucketPolicy(name), conditions: conditions)
        return found
    }

    /// ListBuckets: the caller's account's buckets.
    public func listBuckets(caller: Caller) async throws(S3Error) -> [S3Bucket] {
        try await authorize(caller, action: "s3:ListAllMyBuckets", resource: "*", owner: caller.account.rawValue, policy: nil)
        do {
            return try await objects.buckets(account: caller.account.rawValue)
        } catch {
            throw S3Error(error, bucket: "")
        }
    }

    /// DeleteBucket: only an empty bucket.
    public func deleteBucket(_ name: String, caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: "s3:DeleteBucket")
        do {
            try await objects.deleteBucket(named: name)
        } catch {
            throw S3Error(error, bucket: name)
        }
    }

    // MARK: Objects

    /// Starts a PutObject: authorizes, picks the encryption (the request's, or the bucket default, or
    /// SSE-S3), and returns the upload to stream the body into.
    public func beginPut(
        bucket name: String, key: String, sse: SSERequest, caller: Caller, conditions: [String: [String]] = [:]
    ) async throws(S3Error) -> (upload: ObjectUpload, encryption: SSESummary) {
        try Self.validateKey(key)
        _ = try await bucket(name, caller: caller, action: "s3:PutObject", key: key, conditions: conditions)
        let resolved = try await resolve(sse, bucket: name)
        let (dataKey, record, summary) = try await keyring.newDataKey(resolved, bucket: name, key: key, caller: caller)
        do {
            // S3 gives SSE-KMS and SSE-C objects ETags that are not the MD5 of their data; so no MD5 is computed.
            return (try await objects.upload(bucket: name, key: key, dataKey: dataKey, encryption: record, md5ETag: record.hasMD5ETags), summary)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// An object the caller may read (`s3:GetObject`), with its data key when `needKey` (HEAD of an
    /// SSE-KMS object does not need one; of an SSE-C object it checks the key all the same).
    public func openObject(
        bucket name: String, key: String, customerKey: [UInt8]?, caller: Caller, needKey: Bool = true, copySource: Bool = false
    ) async throws(S3Error) -> (object: StoredObject, dataKey: SymmetricKey?, encryption: SSESummary) {
        _ = try await bucket(name, caller: caller, action: "s3:GetObject", key: key)
        let object: StoredObject
        do {
            object = try await objects.object(bucket: name, key: key)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
        if copySource, case .customer = object.encryption, customerKey == nil {
            throw S3Error.invalidRequest("The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
        }
        var dataKey: SymmetricKey?
        if case .customer = object.encryption {
            dataKey = try await keyring.dataKey(of: object.encryption, customerKey: customerKey, caller: caller)
        } else {
            if customerKey != nil {
                throw S3Error.invalidRequest("The encryption parameters are not applicable to this object.")
            }
            if needKey { dataKey = try await keyring.dataKey(of: object.encryption, customerKey: nil, caller: caller) }
        }
        return (object, dataKey, ObjectKeyring.summary(of: object.encryption, customerKey: customerKey))
    }

    /// DeleteObject (204 whether or not the key existed).
    public func deleteObject(bucket name: String, key: String, caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: "s3:DeleteObject", key: key)
        do {
            try await objects.delete(bucket: name, key: key)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// A key S3 accepts: not empty (the HTTP layer routes an empty key to the bucket), at most 1,024 bytes.
    static func validateKey(_ key: String) throws(S3Error) {
        guard !key.isEmpty else { throw S3Error.invalidArgument("Object key must not be empty.") }
        do { try S3Names.validateObjectKey(key) } catch { throw S3Error(error) }
    }

    /// PutObjectTagging / DeleteObjectTagging (empty `tags`).
    public func setObjectTags(bucket name: String, key: String, tags: [S3Tag], caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: tags.isEmpty ? "s3:DeleteObjectTagging" : "s3:PutObjectTagging", key: key)
        do {
            if tags.isEmpty {
                try await objects.deleteObjectTags(bucket: name, key: key)
            } else {
                try await objects.putObjectTags(bucket: name, key: key, tags: tags)
            }
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// GetObjectTagging.
    public func objectTags(bucket name: String, key: String, caller: Caller) async throws(S3Error) -> [S3Tag] {
        _ = try await bucket(name, caller: caller, action: "s3:GetObjectTagging", key: key)
        do {
            return try await objects.object(bucket: name, key: key).tags
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    // MARK: Policy and defaults

    /// IAM policies of the caller and the bucket policy, through the shared engine; an explicit deny
    /// anywhere wins; another account's bucket needs the bucket policy to allow.
    func authorize(
        _ caller: Caller, action: String, resource: String, owner: String, policy: PolicyDocument?, conditions: [String: [String]] = [:]
    ) async throws(S3Error) {
        var identity: [PolicyDocument] = []
        if caller.kind != .root, let identityPolicies {
            do {
                identity = try await identityPolicies.identityPolicies(for: caller)
            } catch {
                throw .internalError
            }
        }
        var context = ConditionContext()
        if policy?.readsConditionContext == true || identity.contains(where: \.readsConditionContext) {
            context = caller.globalConditionContext(now: now())
            for (name, values) in conditions { context[name] = values }
        }
        let input = Authorizer.Input(
            request: PolicyRequest(principal: caller.policyPrincipal, action: action, resource: resource, context: context),
            identityPolicies: identity, resourcePolicy: policy, resourceAccount: owner, resourcePolicyRequired: false
        )
        if case .deny = Authorizer.authorize(input) { throw .accessDenied }
    }
}

extension S3Service {
    /// ListObjects / ListObjectsV2: `s3:ListBucket` on the bucket, then a page of keys under `prefix`,
    /// rolled up at `delimiter`, strictly after `after`.
    public func list(
        bucket name: String, prefix: String, delimiter: String?, after: String?, maxKeys: Int, caller: Caller, action: String = "s3:ListBucket"
    ) async throws(S3Error) -> ObjectListing {
        var conditions = ["s3:prefix": [prefix], "s3:max-keys": [String(maxKeys)]]
        if let delimiter { conditions["s3:delimiter"] = [delimiter] }
        _ = try await bucket(name, caller: caller, action: action, conditions: conditions)
        do {
            return try await objects.list(bucket: name, prefix: prefix, delimiter: delimiter, after: after, maxKeys: maxKeys)
        } catch {
            throw S3Error(error, bucket: name)
        }
    }
}
