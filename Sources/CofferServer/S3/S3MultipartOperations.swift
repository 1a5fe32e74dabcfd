import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
extension S3Call {
    func createMultipartUpload() async throws -> Response {
        let sse = try S3EncryptionHeaders.write(request.headers, secureTransport: caller.secureTransport)
        let checksumAlgorithm = try header("x-amz-checksum-algorithm").map { name -> String in
            guard let algorithm = ChecksumAlgorithm(s3Name: name.uppercased()) else {
                throw S3Error.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
            }
            return algorithm.rawValue
        }
        let (upload, summary) = try await s3.createMultipartUpload(
            bucket: bucket, key: key, sse: sse, caller: caller, conditions: writeConditions(sse), contentType: header(.contentType),
            headers: try objectHeaders, metadata: userMetadata, tags: try requestTags, checksumAlgorithm: checksumAlgorithm,
            checksumType: header("x-amz-checksum-type")
        )
        var xml = XMLWriter()
        xml.open("InitiateMultipartUploadResult", namespace: S3Responses.namespace)
        xml.element("Bucket", bucket)
        xml.element("Key", key)
        xml.element("UploadId", upload.uploadID)
        xml.close("InitiateMultipartUploadResult")
        var headers = S3Responses.encryptionHeaders(summary, echoContext: header(.amzSSEContext) != nil)
        if let checksumAlgorithm { headers[HTTPField.Name("x-amz-checksum-algorithm")!] = checksumAlgorithm }  // Invariant: a valid token.
        return S3Responses.xml(xml, requestID: requestID, headers: headers)
    }

    func uploadPart() async throws -> Response {
        let (uploadID, partNumber) = try partAddress()
        let customerKey = try S3EncryptionHeaders.customerKey(request.headers, secureTransport: caller.secureTransport, prefix: "x-amz-server-side-encryption-customer-")
        let (part, summary) = try await s3.uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber, customerKey: customerKey, caller: caller)
        let outcome: S3UploadBody.Outcome
        let record: PartRecord
        do {
            outcome = try await S3UploadBody.stream(request.body, headers: request.headers, signing: chunkSigning) { bytes throws(ObjectStoreError) in
                try part.write(bytes)
            }
            record = try await part.complete(checksum: outcome.checksum?.value)
        } catch {
            part.abort()
            throw mapped(error)
        }
        var headers = S3Responses.encryptionHeaders(summary, echoContext: false)
        headers[.eTag] = record.etag
        if let checksum = outcome.checksum, let name = HTTPField.Name(checksum.algorithm.headerName) { headers[name] = checksum.value }
        return S3Responses.empty(requestID: requestID, headers: headers)
    }

    func completeMultipartUpload() async throws -> Response {
        guard let uploadID = query("uploadId"), !uploadID.isEmpty else { throw S3Error.invalidArgument("Upload ID must not be empty.") }
        let body = try await collectBody()
        let completion: S3CompleteMultipartUpload
        do { completion = try S3CompleteMultipartUpload.parse(body) } catch { throw S3Error(error) }
        if header(.ifNoneMatch) != nil || header(.ifMatch) != nil {
            _ = try await s3.bucket(bucket, caller: caller, action: "s3:PutObject", key: key)
            try await checkWriteConditions()
        }
        let (object, summary) = try await s3.completeMultipartUpload(
            bucket: bucket, key: key, uploadID: uploadID, parts: completion.parts.map { ($0.partNumber, $0.eTag) }, checksum: nil, caller: caller)
        var xml = XMLWriter()
        xml.open("CompleteMultipartUploadResult", namespace: S3Responses.namespace)
        let encodedKey = key.split(separator: "/", omittingEmptySubsequences: false).map { S3URLEncoding.encodeForListing(String($0)) }.joined(separator: "/")
        xml.element("Location", "https://\(request.head.authority ?? "localhost")/\(bucket)/\(encodedKey)")
        xml.element("Bucket", bucket)
        xml.element("Key", key)
        xml.element("ETag", object.etag)
        if let checksum = object.checksum {
            xml.element("Checksum\(checksum.algorithm)", checksum.value)
            xml.element("ChecksumType", checksum.type)
        }
        xml.close("CompleteMultipartUploadResult")
        return S3Responses.xml(xml, requestID: requestID, headers: S3Responses.encryptionHeaders(summary, echoContext: false))
    }

    func abortMultipartUpload() async throws -> Response {
        guard let uploadID = query("uploadId"), !uploadID.isEmpty else { throw S3Error.invalidArgument("Upload ID must not be empty.") }
        try await s3.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func listParts() async throws -> Response {
        guard let uploadID = query("uploadId"), !uploadID.isEmpty else { throw S3Error.invalidArgument("Upload ID must not be empty.") }
        let marker = try query("part-number-marker").map { text -> Int in
            guard let value = Int(text), value >= 0 else { throw S3Error.invalidArgument("Provided part-number-marker not an integer or within integer range") }
            return value
        }
        let maxParts = try integer("max-parts", default: 1000)
        let page = try await s3.listParts(bucket: bucket, key: key, uploadID: uploadID, partNumberMarker: marker, maxParts: maxParts, caller: caller)
        var xml = XMLWriter()
        xml.open("ListPartsResult", namespace: S3Responses.namespace)
        xml.element("Bucket", bucket)
        xml.element("Key", key)
        xml.element("UploadId", uploadID)
        xml.element("PartNumberMarker", String(marker ?? 0))
        if let next = page.nextPartNumberMarker { xml.element("NextPartNumberMarker", String(next)) }
        xml.element("MaxParts", String(maxParts))
        xml.element("IsTruncated", page.isTruncated ? "true" : "false")
        if let algorithm = page.upload.checksumAlgorithm { xml.element("ChecksumAlgorithm", algorithm) }
        ownerElements(&xml, "Initiator")
        ownerElements(&xml, "Owner")
        xml.element("StorageClass", page.upload.headers.storageClass ?? "STANDARD")
        for part in page.parts {
            xml.element("Part") { entry in
                entry.element("PartNumber", String(part.number))
                entry.element("LastModified", S3Responses.timestamp(part.lastModified))
                entry.element("ETag", part.etag)
                entry.element("Size", String(part.size))
                if let checksum = part.checksum, let algorithm = page.upload.checksumAlgorithm { entry.element("Checksum\(algorithm)", checksum) }
            }
        }
        xml.close("ListPartsResult")
        return S3Responses.xml(xml, requestID: requestID)
    }

    func listMultipartUploads() async throws -> Response {
        let prefix = query("prefix") ?? ""
        let maxUploads = try integer("max-uploads", default: 1000)
        let keyMarker = query("key-marker").flatMap { $0.isEmpty ? nil : $0 }
        let uploadIDMarker = query("upload-id-marker").flatMap { $0.isEmpty ? nil : $0 }
        let delimiter = query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let page = try await s3.listMultipartUploads(
            bucket: bucket, prefix: prefix, delimiter: delimiter, keyMarker: keyMarker, uploadIDMarker: uploadIDMarker, maxUploads: maxUploads,
            caller: caller)
        var xml = XMLWriter()
        xml.open("ListMultipartUploadsResult", namespace: S3Responses.namespace)
        xml.element("Bucket", bucket)
        xml.element("KeyMarker", keyMarker ?? "")
        xml.element("UploadIdMarker", uploadIDMarker ?? "")
        if page.isTruncated {
            xml.element("NextKeyMarker", page.nextKeyMarker ?? "")
            xml.element("NextUploadIdMarker", page.nextUploadIDMarker ?? "")
        }
        if let delimiter { xml.element("Delimiter", delimiter) }
        xml.element("Prefix", prefix)
        xml.element("MaxUploads", String(maxUploads))
        xml.element("IsTruncated", page.isTruncated ? "true" : "false")
        for upload in page.uploads {
            xml.element("Upload") { entry in
                entry.element("Key", upload.key)
                entry.element("UploadId", upload.uploadID)
                ownerElements(&entry, "Initiator")
                ownerElements(&entry, "Owner")
                entry.element("StorageClass", upload.headers.storageClass ?? "STANDARD")
                entry.element("Initiated", S3Responses.timestamp(upload.initiated))
                if let algorithm = upload.checksumAlgorithm { entry.element("ChecksumAlgorithm", algorithm) }
            }
        }
        for common in page.commonPrefixes {
            xml.element("CommonPrefixes") { entry in entry.element("Prefix", common) }
        }
        xml.close("ListMultipartUploadsResult")
        return S3Responses.xml(xml, requestID: requestID)
    }

    /// `?uploadId=&partNumber=` of UploadPart / UploadPartCopy.
    func partAddress() throws -> (uploadID: String, partNumber: Int) {
        guard let uploadID = query("uploadId"), !uploadID.isEmpty else { throw S3Error.invalidArgument("Upload ID must not be empty.") }
        guard let text = query("partNumber"), let partNumber = Int(text), ObjectService.partNumbers.contains(partNumber) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", name: "partNumber", value: query("partNumber") ?? "")
        }
        return (uploadID, partNumber)
    }

    /// A non-negative integer query parameter, capped at 1,000 as S3 caps page sizes.
    func integer(_ name: String, default value: Int) throws -> Int {
        guard let text = query(name) else { return value }
        guard let parsed = Int(text), parsed >= 0 else { throw S3Error.invalidArgument("Provided \(name) not an integer or within integer range") }
        return min(parsed, 1000)
    }

    func ownerElements(_ xml: inout XMLWriter, _ element: String) {
        xml.element(element) { owner in
            owner.element("ID", caller.account.rawValue)
            owner.element("DisplayName", caller.account.rawValue)
        }
    }
}
