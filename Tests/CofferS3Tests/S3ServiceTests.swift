import CofferCore
import CofferCrypto
import CofferKMS
import CofferObjectStore
import CofferS3
import Crypto
import Foundation
import Testing

/// S3's rules over in-memory stores: SSE modes and their data keys, bucket keys, bucket defaults and policies.
struct S3ServiceTests {
    let kms: KMSService
    let keyring: ObjectKeyring
    let s3: S3Service
    let directory: URL
    let alice = Caller(account: AccountID("111122223333")!, principalARN: "arn:aws:iam::111122223333:root", accessKeyID: "AKIAALICE", region: .usEast1)
    let bob = Caller(account: AccountID("444455556666")!, principalARN: "arn:aws:iam::444455556666:root", accessKeyID: "AKIABOB", region: .usEast1)

    init() throws {
        kms = KMSService(store: InMemoryKeyStore(), rootKey: RootKey.generate())
        keyring = ObjectKeyring(rootKey: RootKey.generate(), kms: kms)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-s3-\(UUID().uuidString)")
        let objects = ObjectService(catalog: InMemoryObjectCatalog(), blobs: try LocalBlobStore(directory: directory))
        s3 = S3Service(objects: objects, keyring: keyring, identityPolicies: nil)
    }

    func put(_ bucket: String, _ key: String, _ data: [UInt8], _ sse: SSERequest, caller: Caller? = nil) async throws -> SSESummary {
        let (upload, summary) = try await s3.beginPut(bucket: bucket, key: key, sse: sse, caller: caller ?? alice)
        try upload.write(data)
        _ = try await upload.complete()
        return summary
    }

    func get(_ bucket: String, _ key: String, customerKey: [UInt8]? = nil, caller: Caller? = nil) async throws -> [UInt8] {
        let opened = try await s3.openObject(bucket: bucket, key: key, customerKey: customerKey, caller: caller ?? alice)
        var reader = try s3.objects.reader(for: opened.object, dataKey: try #require(opened.dataKey))
        var out: [UInt8] = []
        while let piece = try reader.next() { out += piece }
        return out
    }

    func blobBytes() throws -> [UInt8] {
        var all: [UInt8] = []
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if let data = FileManager.default.contents(atPath: url.path) { all += data }
        }
        return all
    }

    @Test func everyModeRoundTripsAndNothingIsStoredInTheClear() async throws {
        _ = try await s3.createBucket("photos", locationConstraint: nil, caller: alice)
        let marker = Array("PLAINTEXT-MARKER-".utf8)
        let customer = Array(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        #expect(try await put("photos", "default", marker + [1], .bucketDefault).algorithm == "AES256")
        let kmsSummary = try await put("photos", "kms", marker + [2], .kms(keyID: nil, context: ["team": "a"], bucketKey: nil))
        #expect(kmsSummary.algorithm == "aws:kms")
        #expect(kmsSummary.kmsContext == ["team": "a", "aws:s3:arn": "arn:aws:s3:::photos/kms"])
        #expect(try await put("photos", "c", marker + [3], .customer(key: customer)).customerKeyMD5 == ObjectKeyring.base64MD5(customer))
        #expect(try await get("photos", "default") == marker + [1])
        #expect(try await get("photos", "kms") == marker + [2])
        #expect(try await get("photos", "c", customerKey: customer) == marker + [3])
        let stored = try blobBytes()
        #expect(!stored.isEmpty)
        #expect(stored.firstRange(of: marker) == nil)
        #expect(stored.firstRange(of: customer) == nil)
    }

    @Test func customerKeysAreCheckedNotStored() async throws {
        _ = try await s3.createBucket("vault", locationConstraint: nil, caller: alice)
        let key = [UInt8](repeating: 7, count: 32)
        _ = try await put("vault", "doc", [1, 2, 3], .customer(key: key))
        await #expect { try await get("vault", "doc") } throws: { ($0 as? S3Error)?.code == "InvalidRequest" }
        await #expect { try await get("vault", "doc", customerKey: [UInt8](repeating: 8, count: 32)) } throws: { ($0 as? S3Error)?.code == "AccessDenied" }
        #expect(try await get("vault", "doc", customerKey: key) == [1, 2, 3])
    }

    @Test func disabledKeysStopReadsAndWrites() async throws {
        _ = try await s3.createBucket("kmsbucket", locationConstraint: nil, caller: alice)
        let key = try await kms.createKey(CreateKeyParameters(), caller: alice)
        _ = try await put("kmsbucket", "k", [9], .kms(keyID: key.id, context: [:], bucketKey: false))
        try await kms.disableKey(key.id, caller: alice)
        await #expect { try await get("kmsbucket", "k") } throws: { ($0 as? S3Error)?.code == "KMS.DisabledException" }
        await #expect { try await put("kmsbucket", "k2", [9], .kms(keyID: key.id, context: [:], bucketKey: true)) } throws: {
            ($0 as? S3Error)?.code == "KMS.DisabledException"
        }
    }

    @Test func bucketKeysMakeOneKMSCallEvenForConcurrentWriters() async throws {
        _ = try await s3.createBucket("bulk", locationConstraint: nil, caller: alice)
        let key = try await kms.createKey(CreateKeyParameters(), caller: alice)
        let before = keyring.kmsCallCount
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<32 {
                group.addTask { _ = try await put("bulk", "o\(index)", [UInt8(index)], .kms(keyID: key.id, context: [:], bucketKey: true)) }
            }
            try await group.waitForAll()
        }
        #expect(keyring.kmsCallCount == before + 1)
        for index in 0..<32 { #expect(try await get("bulk", "o\(index)") == [UInt8(index)]) }
        // Reads reuse the bucket key this principal already opened: no further KMS call.
        #expect(keyring.kmsCallCount == before + 1)
        _ = try await put("bulk", "plain-kms", [1], .kms(keyID: key.id, context: [:], bucketKey: false))
        #expect(keyring.kmsCallCount == before + 2)
    }

    @Test func bucketDefaultsApplyAndBlockCustomerKeys() async throws {
        _ = try await s3.createBucket("defaults", locationConstraint: nil, caller: alice)
        let key = try await kms.createKey(CreateKeyParameters(), caller: alice)
        try await s3.putBucketEncryption(
            "defaults", BucketEncryption(algorithm: "aws:kms", kmsMasterKeyID: key.arn, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"]),
            caller: alice)
        let summary = try await put("defaults", "x", [1], .bucketDefault)
        #expect(summary.kmsKeyARN == key.arn)
        #expect(summary.bucketKeyEnabled)
        #expect(try await put("defaults", "y", [1], .s3).algorithm == "AES256")
        await #expect { try await put("defaults", "z", [1], .customer(key: [UInt8](repeating: 1, count: 32))) } throws: {
            ($0 as? S3Error)?.code == "AccessDenied"
        }
        try await s3.deleteBucketEncryption("defaults", caller: alice)
        #expect(try await put("defaults", "w", [1], .bucketDefault).algorithm == "AES256")
    }

    @Test func bucketPoliciesGrantOtherAccountsAndDenyInsecureTransport() async throws {
        _ = try await s3.createBucket("shared", locationConstraint: nil, caller: alice)
        _ = try await put("shared", "doc", [5], .s3)
        await #expect { try await get("shared", "doc", caller: bob) } throws: { ($0 as? S3Error)?.code == "AccessDenied" }
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"},
              {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::shared","arn:aws:s3:::shared/*"],
               "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """
        try await s3.putBucketPolicy("shared", policy: policy, caller: alice)
        #expect(try await get("shared", "doc", caller: bob) == [5])
        var insecure = alice
        insecure.secureTransport = false
        await #expect { try await get("shared", "doc", caller: insecure) } throws: { ($0 as? S3Error)?.code == "AccessDenied" }
        await #expect { try await s3.putBucketPolicy("shared", policy: "{\"Statement\":[{\"Effect\":\"Allow\"}]}", caller: alice) } throws: {
            ($0 as? S3Error)?.code == "MalformedPolicy"
        }
        // Bob may read but not see or change the policy: another account gets 405, as on AWS.
        await #expect { try await s3.bucketPolicyText("shared", caller: bob) } throws: { ($0 as? S3Error)?.code == "MethodNotAllowed" }
    }
}
