import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird

/// CopyObject and UploadPartCopy.
extension S3Call {
    func copyObject() async throws -> Response {
        let source = try copySource()
        let sse = try S3EncryptionHeaders.write(request.headers, secureTransport: caller.secureTransport)
        let replaceMetadata = try directive("x-amz-metadata-directive")
        let replaceTags = try directive("x-amz-tagging-directive")
        let storageClass = try requestStorageClass
        if source.bucket == bucket, source.key == key, !replaceMetadata, sse == .bucketDefault, header("x-amz-storage-class") == nil {
            throw S3Error.invalidRequest(
                "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
        }
        let (original, sourceKey) = try await s3.openCopySource(source, caller: caller)
        try refuseArchived(original)
        try checkCopyConditions(original)
        var headers = replaceMetadata ? try objectHeaders : original.headers
        headers.storageClass = storageClass
        let tags = replaceTags ? try requestTags : original.tags
        let checksumAlgorithm = try header("x-amz-checksum-algorithm").map { name -> ChecksumAlgorithm in
            guard let algorithm = ChecksumAlgorithm(s3Name: name.uppercased()) else {
                throw S3Error.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
            }
            return algorithm
        }
        var hasher = checksumAlgorithm.map { ChecksumHasher($0) }
        let (upload, summary) = try await s3.beginPut(bucket: bucket, key: key, sse: sse, caller: caller, conditions: writeConditions(sse))
        let object: StoredObject
        do {
            try s3.copyBytes(of: original, dataKey: sourceKey) { bytes throws(ObjectStoreError) in
                hasher?.update(bytes)
                try upload.write(bytes)
            }
            // A requested algorithm gets a checksum computed over the copied bytes; otherwise a whole-object
            // checksum of the source still holds.
            let checksum = hasher.map { ObjectChecksum(algorithm: $0.algorithm.rawValue, value: $0.finalizeBase64(), type: "FULL_OBJECT") }
                ?? (original.parts.isEmpty ? original.checksum : nil)
            object = try await upload.complete(
                contentType: replaceMetadata ? header(.contentType) : original.contentType,
                metadata: replaceMetadata ? userMetadata : original.metadata, headers: headers, tags: tags,
                checksum: checksum)
        } catch {
            upload.abort()
            throw mapped(error)
        }
        var xml = XMLWriter()
        xml.open("CopyObjectResult", namespace: S3Responses.namespace)
        xml.element("LastModified", S3Responses.timestamp(object.lastModified))
        xml.element("ETag", object.etag)
        if let checksum = object.checksum {
            xml.element("ChecksumType", checksum.type)
            xml.element("Checksum\(checksum.algorithm)", checksum.value)
        }
        xml.close("CopyObjectResult")
        return S3Responses.xml(xml, requestID: requestID, headers: S3Responses.encryptionHeaders(summary, echoContext: header(.amzSSEContext) != nil))
    }

    func uploadPartCopy() async throws -> Response {
        let (uploadID, partNumber) = try partAddress()
        let source = try copySource()
        let (original, sourceKey) = try await s3.openCopySource(source, caller: caller)
        try refuseArchived(original)
        try checkCopyConditions(original)
        var range = 0..<original.size
        if let text = header("x-amz-copy-source-range") {
            let bounds = text.hasPrefix("bytes=") ? text.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false) : []
            guard bounds.count == 2, let first = Int(bounds[0]), let last = Int(bounds[1]), first >= 0, first <= last else {
                throw S3Error.invalidArgument(
                    "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
            }
            guard last < original.size else {
                throw S3Error.invalidArgument("Range specified is not valid for source object of size: \(original.size)")
            }
            range = first..<(last + 1)
        }
        let customerKey = try S3EncryptionHeaders.customerKey(request.headers, secureTransport: caller.secureTransport, prefix: "x-amz-server-side-encryption-customer-")
        let (part, summary) = try await s3.uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, customerKey: customerKey, caller: caller)
        let record: PartRecord
        do {
            try s3.copyBytes(of: original, dataKey: sourceKey, range: range) { bytes throws(ObjectStoreError) in try part.write(bytes) }
            record = try await part.complete()
        } catch {
            part.abort()
            throw mapped(error)
        }
        var xml = XMLWriter()
        xml.open("CopyPartResult", namespace: S3Responses.namespace)
        xml.element("LastModified", S3Responses.timestamp(record.lastModified))
        xml.element("ETag", record.etag)
        xml.close("CopyPartResult")
        return S3Responses.xml(xml, requestID: requestID, headers: S3Responses.encryptionHeaders(summary, echoContext: false))
    }

    /// `x-amz-copy-source` (`bucket/key` or `/bucket/key`, percent-encoded) and the source's SSE-C key.
    func copySource() throws -> S3Service.CopySource {
        guard var text = header(.amzCopySource) else { throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey") }
        if let query = text.firstIndex(of: "?") {
            guard text[query...].hasPrefix("?versionId=") else { throw S3Error.invalidArgument("Invalid copy source") }
            text = String(text[..<query])
        }
        if text.hasPrefix("/") { text.removeFirst() }
        let decoded: String
        do { decoded = try S3URLEncoding.decodePath(text) } catch { throw S3Error(error) }
        let parts = decoded.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
        }
        let customerKey = try S3EncryptionHeaders.customerKey(
            request.headers, secureTransport: caller.secureTransport, prefix: "x-amz-copy-source-server-side-encryption-customer-")
        return S3Service.CopySource(bucket: String(parts[0]), key: String(parts[1]), customerKey: customerKey)
    }

    /// Whether a `COPY`/`REPLACE` directive header says REPLACE.
    func directive(_ name: String) throws -> Bool {
        switch header(name) {
        case nil, "COPY"?: return false
        case "REPLACE"?: return true
        default: throw S3Error.invalidArgument("Unknown \(name == "x-amz-metadata-directive" ? "metadata" : "tagging") directive.")
        }
    }

    /// `x-amz-copy-source-if-*`: any failure is 412 (a copy never answers 304).
    func checkCopyConditions(_ source: StoredObject) throws {
        let conditions = ConditionalRequest(
            ifMatch: header("x-amz-copy-source-if-match"), ifNoneMatch: header("x-amz-copy-source-if-none-match"),
            ifModifiedSince: header("x-amz-copy-source-if-modified-since"), ifUnmodifiedSince: header("x-amz-copy-source-if-unmodified-since"))
        guard conditions.evaluateCopySource(eTag: source.etag, lastModified: source.lastModified) == .proceed else {
            let ifMatchFailed = conditions.ifMatch.map { !ConditionalRequest.eTagListMatches($0, eTag: source.etag) } ?? false
            let ifNoneMatchFailed = conditions.ifNoneMatch.map { ConditionalRequest.eTagListMatches($0, eTag: source.etag) } ?? false
            let condition = ifMatchFailed ? "x-amz-copy-source-If-Match" : ifNoneMatchFailed ? "x-amz-copy-source-If-None-Match"
                : conditions.ifModifiedSince != nil ? "x-amz-copy-source-If-Modified-Since" : "x-amz-copy-source-If-Unmodified-Since"
            throw S3Error.preconditionFailed(condition, bucket: bucket, key: key)
        }
    }
}
