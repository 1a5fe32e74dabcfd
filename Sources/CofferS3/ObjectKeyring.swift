import CofferCore
import CofferCrypto
import CofferKMS
import CofferObjectStore
import Crypto
import Foundation
import Synchronization

/// Makes and reopens the data keys of objects, per SSE mode:
/// - SSE-S3: a random key sealed under the root key (a service-owned key no user can name);
/// - SSE-KMS: a KMS data key made in-process for the caller, with `kms:ViaService` s3, the encryption
///   context `aws:s3:arn` (plus the caller's own pairs); with a bucket key, one KMS data key per bucket
///   and key lifetime serves many objects (each object's stream key is still unique: docs/object-format.md);
/// - SSE-C: the caller's key, of which only a salted MAC is kept.
public final class ObjectKeyring: Sendable {
    static let sseS3Label = "s3/sse-s3-data-key"
    static let customerMACLabel = Array("coffer s3 sse-c key check v1".utf8)

    let rootKey: RootKey
    let kms: KMSService
    /// How long a bucket key is used before a new one is made.
    let bucketKeyLifetime: TimeInterval
    let now: @Sendable () -> Date
    let auditor: any KMSCallAuditor
    private let bucketKeys = Mutex<[BucketKeySlot: BucketKeyEntry]>([:])
    private let openedBucketKeys = Mutex<[OpenedSlot: CachedKey]>([:])
    private let kmsCalls = Atomic<Int>(0)

    struct BucketKeySlot: Hashable {
        var bucket: String
        var kmsKey: String
        var principal: String
        var region: String
    }

    struct OpenedSlot: Hashable {
        var ciphertext: [UInt8]
        var principal: String
    }

    /// A slot's bucket key, or the one KMS call making it that concurrent writers wait for.
    enum BucketKeyEntry {
        case ready(CachedKey)
        case making(Task<CachedKey, any Error>)
    }

    struct CachedKey: Sendable {
        var key: SymmetricKey
        var keyARN: String
        var ciphertext: [UInt8]
        var expires: Date
    }

    public init(
        rootKey: RootKey, kms: KMSService, auditor: any KMSCallAuditor = UnauditedKMSCalls(), bucketKeyLifetime: TimeInterval = 3600,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.rootKey = rootKey
        self.kms = kms
        self.auditor = auditor
        self.bucketKeyLifetime = bucketKeyLifetime
        self.now = now
    }

    /// How many KMS data-key operations (GenerateDataKey, Decrypt) S3 has made since start.
    public var kmsCallCount: Int { kmsCalls.load(ordering: .relaxed) }

    /// The ARN S3 uses for an object, which SSE-KMS binds its data key to.
    public static func objectARN(bucket: String, key: String) -> String { "arn:aws:s3:::\(bucket)/\(key)" }
    public static func bucketARN(_ bucket: String) -> String { "arn:aws:s3:::\(bucket)" }

    /// A fresh data key for a new object (or multipart upload) of `bucket`/`key`, the record of how it is
    /// kept, and what responses report.
    func newDataKey(_ sse: ResolvedSSE, bucket: String, key: String, caller: Caller) async throws(S3Error) -> (SymmetricKey, ObjectEncryption, SSESummary) {
        switch sse {
        case .s3:
            let dataKey = SymmetricKey(size: .bits256)
            let sealed: [UInt8]
            do {
                sealed = try dataKey.withUnsafeBytes { try rootKey.seal(Array($0), label: Self.sseS3Label) }
            } catch {
                throw .internalError
            }
            return (dataKey, .s3(sealedDataKey: sealed), SSESummary(algorithm: "AES256"))
        case .kms(let keyID, let extraContext, let bucketKey):
            let service = caller.viaS3
            let keyID = try await kmsKeyID(keyID, caller: service)
            if bucketKey {
                let context = ["aws:s3:arn": Self.bucketARN(bucket)]
                let cached = try await bucketKeyFor(bucket: bucket, keyID: keyID, context: context, caller: service)
                return (
                    cached.key, .kms(keyARN: cached.keyARN, ciphertextBlob: cached.ciphertext, context: context, bucketKey: true),
                    SSESummary(algorithm: "aws:kms", kmsKeyARN: cached.keyARN, kmsContext: context, bucketKeyEnabled: true)
                )
            }
            var context = extraContext
            context["aws:s3:arn"] = Self.objectARN(bucket: bucket, key: key)
            let made = try await generateDataKey(keyID: keyID, context: context, caller: service)
            return (
                SymmetricKey(data: made.plaintext), .kms(keyARN: made.key.arn, ciphertextBlob: made.ciphertext, context: context, bucketKey: false),
                SSESummary(algorithm: "aws:kms", kmsKeyARN: made.key.arn, kmsContext: context)
            )
        case .customer(let customerKey):
            let salt = SecureRandom.bytes(32)
            let mac = Self.customerKeyMAC(customerKey, salt: salt)
            return (SymmetricKey(data: customerKey), .customer(keyMAC: mac, salt: salt), SSESummary(algorithm: nil, customerKeyMD5: Self.base64MD5(customerKey)))
        }
    }

    /// The data key of an existing object (or upload). SSE-C objects need the caller's key, and refuse
    /// any other; SSE-KMS objects need the caller to be allowed kms:Decrypt (through S3).
    func dataKey(of encryption: ObjectEncryption, customerKey: [UInt8]?, caller: Caller) async throws(S3Error) -> SymmetricKey {
        switch encryption {
        case .s3(let sealed):
            do {
                return SymmetricKey(data: try rootKey.open(sealed, label: Self.sseS3Label))
            } catch {
                throw .internalError
            }
        case .kms(let keyARN, let ciphertext, let context, let bucketKey):
            let service = caller.viaS3
            if bucketKey {
                let slot = OpenedSlot(ciphertext: ciphertext, principal: caller.principalARN)
                if let cached = openedBucketKeys.withLock({ $0[slot] }), cached.expires > now() {
                    do {
                        _ = try await kms.checkCachedUse(keyARN: keyARN, operation: "Decrypt", context: EncryptionContext(context), caller: service)
                    } catch {
                        throw Self.mapKMS(error)
                    }
                    return cached.key
                }
            }
            let opened: (plaintext: [UInt8], key: KMSKey)
            do {
                kmsCalls.add(1, ordering: .relaxed)
                opened = try await auditor.audited("Decrypt", keyID: keyARN, context: context, numberOfBytes: nil, caller: service) { [kms] in
                    try await kms.decrypt(ciphertext: ciphertext, context: EncryptionContext(context), keyID: nil, caller: service)
                }
            } catch {
                throw Self.mapKMS(error)
            }
            let key = SymmetricKey(data: opened.plaintext)
            if bucketKey {
                let entry = CachedKey(key: key, keyARN: keyARN, ciphertext: ciphertext, expires: now().addingTimeInterval(bucketKeyLifetime))
                openedBucketKeys.withLock { cache in
                    if cache.count >= 4096 { cache.removeAll() }
                    cache[OpenedSlot(ciphertext: ciphertext, principal: caller.principalARN)] = entry
                }
            }
            return key
        case .customer(let mac, let salt):
            guard let customerKey else {
                throw S3Error.invalidRequest("The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.")
            }
            guard Bytes.constantTimeEquals(Self.customerKeyMAC(customerKey, salt: salt), mac) else {
                throw S3Error.accessDenied
            }
            return SymmetricKey(data: customerKey)
        }
    }

    /// What responses report about an object's encryption (`customerKey`: the SSE-C key the caller sent).
    static func summary(of encryption: ObjectEncryption, customerKey: [UInt8]?) -> SSESummary {
        switch encryption {
        case .s3: return SSESummary(algorithm: "AES256")
        case .kms(let keyARN, _, let context, let bucketKey):
            return SSESummary(algorithm: "aws:kms", kmsKeyARN: keyARN, kmsContext: context, bucketKeyEnabled: bucketKey)
        case .customer: return SSESummary(algorithm: nil, customerKeyMD5: customerKey.map(base64MD5))
        }
    }

    /// The key an SSE-KMS request names, or the ARN of the account's `alias/aws/s3` key (created on first use).
    private func kmsKeyID(_ keyID: String?, caller: Caller) async throws(S3Error) -> String {
        if let keyID, !keyID.isEmpty { return keyID }
        do {
            return try await kms.awsManagedKey(service: "s3", caller: caller).arn
        } catch {
            throw Self.mapKMS(error)
        }
    }

    /// The current bucket key of (bucket, KMS key, principal), made with one GenerateDataKey call when
    /// there is none or it expired; a reuse re-checks access and key state.
    private func bucketKeyFor(bucket: String, keyID: String, context: [String: String], caller: Caller) async throws(S3Error) -> CachedKey {
        let slot = BucketKeySlot(bucket: bucket, kmsKey: keyID, principal: caller.principalARN, region: caller.region.rawValue)
        let now = now()
        // One KMS call per slot and lifetime: the first writer to miss starts it, the others wait for it.
        let (found, starter): (BucketKeyEntry, Bool) = bucketKeys.withLock { cache in
            switch cache[slot] {
            case .ready(let cached)? where cached.expires > now:
                return (.ready(cached), false)
            case .making(let task)?:
                return (.making(task), false)
            default:
                let task = Task { [self] () async throws -> CachedKey in
                    let made = try await generateDataKey(keyID: keyID, context: context, caller: caller)
                    return CachedKey(
                        key: SymmetricKey(data: made.plaintext), keyARN: made.key.arn, ciphertext: made.ciphertext,
                        expires: now.addingTimeInterval(bucketKeyLifetime))
                }
                if cache.count >= 4096 { cache.removeAll() }
                cache[slot] = .making(task)
                return (.making(task), true)
            }
        }
        let entry: CachedKey
        do {
            switch found {
            case .ready(let cached): entry = cached
            case .making(let task): entry = try await task.value
            }
        } catch {
            bucketKeys.withLock { cache in
                if case .making = cache[slot] { cache[slot] = nil }
            }
            throw Self.mapKMS(error)
        }
        if starter {
            bucketKeys.withLock { $0[slot] = .ready(entry) }
            openedBucketKeys.withLock { cache in
                if cache.count >= 4096 { cache.removeAll() }
                cache[OpenedSlot(ciphertext: entry.ciphertext, principal: caller.principalARN)] = entry
            }
        } else {
            // A cached key, or one another request made: access and key state are checked again for this one.
            do {
                _ = try await kms.checkCachedUse(keyARN: entry.keyARN, operation: "GenerateDataKey", context: EncryptionContext(context), caller: caller)
            } catch {
                throw Self.mapKMS(error)
            }
        }
        return entry
    }


    /// One audited GenerateDataKey (32 bytes) for S3.
    private func generateDataKey(keyID: String, context: [String: String], caller: Caller) async throws(S3Error) -> (plaintext: [UInt8], ciphertext: [UInt8], key: KMSKey) {
        do {
            kmsCalls.add(1, ordering: .relaxed)
            return try await auditor.audited("GenerateDataKey", keyID: keyID, context: context, numberOfBytes: 32, caller: caller) { [kms] in
                try await kms.generateDataKey(keyID: keyID, byteCount: 32, context: EncryptionContext(context), caller: caller)
            }
        } catch {
            throw Self.mapKMS(error)
        }
    }

    static func mapKMS(_ error: any Error) -> S3Error {
        if let error = error as? S3Error { return error }
        if let error = error as? KMSError { return S3Error(kms: error) }
        return .internalError
    }

    /// HMAC-SHA256 over the customer key under a random per-object salt: enough to recognise the key later,
    /// useless for recovering it.
    static func customerKeyMAC(_ key: [UInt8], salt: [UInt8]) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: salt))
        mac.update(data: customerMACLabel)
        mac.update(data: key)
        return Array(mac.finalize())
    }

    /// The base64 MD5 of an SSE-C key, as S3 echoes it.
    public static func base64MD5(_ key: [UInt8]) -> String {
        Data(Insecure.MD5.hash(data: key)).base64EncodedString()
    }
}

extension Caller {
    /// The caller as S3 presents it to KMS: the same principal, with `kms:ViaService` s3.
    var viaS3: Caller {
        var caller = self
        caller.viaService = "s3"
        return caller
    }
}
