import CofferCore
import CofferObjectStore
import Crypto
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
        bucket name: String, prefix: String, keyMarker: String?, uploadIDMarker: String?, maxUploads: Int, caller: Caller
    ) async throws(S3Error) -> (uploads: [MultipartUploadRecord], isTruncated: Bool, nextKeyMarker: String?, nextUploadIDMarker: String?) {
        _ = try await bucket(name, caller: caller, action: "s3:ListBucketMultipartUploads")
        do {
            return try await objects.listMultipartUploads(
                bucket: name, prefix: prefix, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker, maxUploads: maxUploads)
        } catch {
            throw S3Error(error, bucket: name)
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
