import CofferCore
import CofferObjectStore
import Crypto
import CofferS3Wire
import Foundation

/// Multipart uploads with S3's rules: the upload's data key is made (and, for SSE-KMS, protected by KMS) when
/// it starts; every part is sealed under it; SSE-C parts must bring the same customer key.
extension S3Service {
    /// CreateMultipartUpload.
    public func createMultipartUpload(
        bucket name: String, key: String, sse: SSERequest, caller: Caller, conditions: [String: [String]] = [:],
        contentType: String?, headers: ObjectHeaders, metadata: [String: String], tags: [S3Tag], checksumAlgorithm: String?, checksumType: String?
    ) async throws(S3Error) -> (upload: MultipartUploadRecord, encryption: SSESummary) {
        try Self.validateKey(key)
        _ = try await bucket(name, caller: caller, action: "s3:PutObject", key: key, conditions: conditions)
        let resolved = try await resolve(sse, bucket: name)
        let (_, record, summary) = try await keyring.newDataKey(resolved, bucket: name, key: key, caller: caller)
        do {
            let upload = try await objects.createMultipartUpload(
                bucket: name, key: key, encryption: record, contentType: contentType, headers: headers, metadata: metadata, tags: tags,
                checksumAlgorithm: checksumAlgorithm, checksumType: checksumType)
            return (upload, summary)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// UploadPart (and UploadPartCopy's destination): the part's upload, sealed under the upload's data key.
    public func uploadPart(
        bucket name: String, key: String, uploadID: String, partNumber: Int, customerKey: [UInt8]?, caller: Caller
    ) async throws(S3Error) -> (part: PartUpload, encryption: SSESummary) {
        _ = try await bucket(name, caller: caller, action: "s3:PutObject", key: key)
        let upload = try await multipartUpload(name, key: key, uploadID: uploadID)
        if customerKey != nil, !upload.encryption.isCustomer {
            throw S3Error.invalidRequest("The encryption parameters are not applicable to this object.")
        }
        let dataKey = try await keyring.dataKey(of: upload.encryption, customerKey: customerKey, caller: caller)
        do {
            let part = try await objects.uploadPart(
                bucket: name, key: key, uploadID: uploadID, partNumber: partNumber, dataKey: dataKey, md5ETag: upload.encryption.hasMD5ETags)
            return (part, ObjectKeyring.summary(of: upload.encryption, customerKey: customerKey))
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// CompleteMultipartUpload.
    public func completeMultipartUpload(
        bucket name: String, key: String, uploadID: String, parts: [(number: Int, etag: String)], checksum: ObjectChecksum?, caller: Caller
    ) async throws(S3Error) -> (object: StoredObject, encryption: SSESummary) {
        _ = try await bucket(name, caller: caller, action: "s3:PutObject", key: key)
        let upload = try await multipartUpload(name, key: key, uploadID: uploadID)
        var checksum = checksum
        if checksum == nil { checksum = try await multipartChecksum(of: upload, listed: parts.map(\.number)) }
        do {
            let object = try await objects.completeMultipartUpload(bucket: name, key: key, uploadID: uploadID, parts: parts, checksum: checksum)
            return (object, ObjectKeyring.summary(of: object.encryption, customerKey: nil))
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// AbortMultipartUpload.
    public func abortMultipartUpload(bucket name: String, key: String, uploadID: String, caller: Caller) async throws(S3Error) {
        _ = try await bucket(name, caller: caller, action: "s3:AbortMultipartUpload", key: key)
        do {
            try await objects.abortMultipartUpload(bucket: name, key: key, uploadID: uploadID)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// ListParts.
    public func listParts(
        bucket name: String, key: String, uploadID: String, partNumberMarker: Int?, maxParts: Int, caller: Caller
    ) async throws(S3Error) -> (upload: MultipartUploadRecord, parts: [PartRecord], isTruncated: Bool, nextPartNumberMarker: Int?) {
        _ = try await bucket(name, caller: caller, action: "s3:ListMultipartUploadParts", key: key)
        let upload = try await multipartUpload(name, key: key, uploadID: uploadID)
        do {
            let page = try await objects.listParts(bucket: name, key: key, uploadID: uploadID, partNumberMarker: partNumberMarker, maxParts: maxParts)
            return (upload, page.parts, page.isTruncated, page.nextPartNumberMarker)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }

    /// ListMultipartUploads.
    public func listMultipartUploads(
        bucket name: String, prefix: String, delimiter: String? = nil, keyMarker: String?, uploadIDMarker: String?, maxUploads: Int,
        caller: Caller
    ) async throws(S3Error) -> (
        uploads: [MultipartUploadRecord], commonPrefixes: [String], isTruncated: Bool, nextKeyMarker: String?, nextUploadIDMarker: String?
    ) {
        _ = try await bucket(name, caller: caller, action: "s3:ListBucketMultipartUploads")
        do {
            return try await objects.listMultipartUploads(
                bucket: name, prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker, maxUploads: maxUploads)
        } catch {
            throw S3Error(error, bucket: name)
        }
    }

    /// The object checksum of an upload started with a checksum algorithm, from its listed parts' checksums:
    /// COMPOSITE (`checksum of the part checksums-N`) or, when asked for or for CRC64NVME, FULL_OBJECT (the CRCs
    /// combined). Nil when the upload has no algorithm or a listed part carries no checksum.
    private func multipartChecksum(of upload: MultipartUploadRecord, listed numbers: [Int]) async throws(S3Error) -> ObjectChecksum? {
        guard let name = upload.checksumAlgorithm, let algorithm = ChecksumAlgorithm(s3Name: name) else { return nil }
        var byNumber: [Int: PartRecord] = [:]
        var marker: Int?
        repeat {
            let page: (parts: [PartRecord], isTruncated: Bool, nextPartNumberMarker: Int?)
            do {
                page = try await objects.listParts(bucket: upload.bucket, key: upload.key, uploadID: upload.uploadID, partNumberMarker: marker)
            } catch {
                throw S3Error(error, bucket: upload.bucket, key: upload.key)
            }
            for part in page.parts { byNumber[part.number] = part }
            marker = page.isTruncated ? page.nextPartNumberMarker : nil
        } while marker != nil
        var listed: [PartRecord] = []
        for number in numbers {
            guard let part = byNumber[number], part.checksum != nil else { return nil }
            listed.append(part)
        }
        let type = upload.checksumType ?? (algorithm.supportsCompositeMultipart ? "COMPOSITE" : "FULL_OBJECT")
        do {
            let value = type == "FULL_OBJECT"
                ? try MultipartChecksum.fullObject(algorithm: algorithm, parts: listed.map { ($0.checksum ?? "", UInt64($0.size)) })
                : try MultipartChecksum.composite(algorithm: algorithm, partChecksums: listed.map { $0.checksum ?? "" })
            return ObjectChecksum(algorithm: algorithm.rawValue, value: value, type: type)
        } catch {
            throw S3Error.invalidRequest("The upload's part checksums cannot be combined as \(type): \(error)")
        }
    }

    private func multipartUpload(_ name: String, key: String, uploadID: String) async throws(S3Error) -> MultipartUploadRecord {
        do {
            return try await objects.multipartUpload(bucket: name, key: key, uploadID: uploadID)
        } catch {
            throw S3Error(error, bucket: name, key: key)
        }
    }
}

extension ObjectEncryption {
    var isCustomer: Bool {
        if case .customer = self { return true }
        return false
    }

    /// Whether S3 gives objects so protected ETags that are the MD5 of their data (SSE-S3 only).
    var hasMD5ETags: Bool {
        if case .s3 = self { return true }
        return false
    }
}
