import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// PutObject, GetObject, HeadObject, DeleteObject.
extension S3Call {
    func putObject() async throws -> Response {
        let sse = try S3EncryptionHeaders.write(request.headers, secureTransport: caller.secureTransport)
        var conditions: [String: [String]] = [:]
        if let value = header(.amzSSE) { conditions["s3:x-amz-server-side-encryption"] = [value] }
        if let value = header(.amzSSEKMSKeyID) { conditions["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [value] }
        if case .customer = sse { conditions["s3:x-amz-server-side-encryption-customer-algorithm"] = ["AES256"] }
        let (upload, summary) = try await s3.beginPut(bucket: bucket, key: key, sse: sse, caller: caller, conditions: conditions)
        let outcome: S3UploadBody.Outcome
        do {
            outcome = try await S3UploadBody.stream(request.body, headers: request.headers, signing: chunkSigning) { bytes throws(ObjectStoreError) in
                try upload.write(bytes)
            }
        } catch {
            upload.abort()
            throw error
        }
        let object: StoredObject
        do {
            object = try await upload.complete(contentType: header(.contentType), metadata: userMetadata)
        } catch {
            throw S3Error(error, bucket: bucket, key: key)
        }
        var headers = S3Responses.encryptionHeaders(summary, echoContext: header(.amzSSEContext) != nil)
        headers[.eTag] = object.etag
        if let checksum = outcome.checksum, let name = HTTPField.Name(checksum.algorithm.headerName) { headers[name] = checksum.value }
        return S3Responses.empty(requestID: requestID, headers: headers)
    }

    func getObject(head: Bool) async throws -> Response {
        let customerKey = try S3EncryptionHeaders.customerKey(request.headers, secureTransport: caller.secureTransport, prefix: "x-amz-server-side-encryption-customer-")
        let (object, dataKey, summary) = try await s3.openObject(bucket: bucket, key: key, customerKey: customerKey, caller: caller, needKey: !head)
        var headers = S3Responses.encryptionHeaders(summary, echoContext: false)
        headers[.eTag] = object.etag
        headers[.lastModified] = S3Dates.http(object.lastModified)
        headers[.acceptRanges] = "bytes"
        headers[.contentType] = object.contentType ?? "binary/octet-stream"
        for (name, value) in object.metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-\(name)") { headers[field] = value }
        }
        for (parameter, field) in Self.responseOverrides {
            if let value = query(parameter) { headers[field] = value }
        }
        var status = HTTPResponse.Status.ok
        var range = 0..<object.size
        if let rangeHeader = header(.range) {
            switch S3Ranges.parse(rangeHeader, size: object.size) {
            case .satisfiable(let requested):
                range = requested
                status = .partialContent
                headers[.contentRange] = "bytes \(requested.lowerBound)-\(requested.upperBound - 1)/\(object.size)"
            case .unsatisfiable:
                throw S3Error("InvalidRange", "The requested range is not satisfiable", bucket: bucket, key: key)
            case .ignored:
                break
            }
        }
        headers[.contentLength] = String(range.count)
        if head {
            return Response(status: status, headers: headers.merging(S3Responses.headers(requestID: requestID)), body: ResponseBody())
        }
        guard let dataKey else { throw S3Error.internalError }
        var reader: ObjectReader
        do {
            reader = try s3.objects.reader(for: object, dataKey: dataKey, range: range)
        } catch {
            throw S3Error(error, bucket: bucket, key: key)
        }
        // The first piece is read before the answer starts, so a damaged object fails with an error
        // status rather than a truncated 200.
        let first: [UInt8]?
        do {
            first = try reader.next()
        } catch {
            throw S3Error(error, bucket: bucket, key: key)
        }
        let body = ResponseBody(contentLength: range.count) { [reader] writer in
            var reader = reader
            if let first { try await writer.write(ByteBuffer(bytes: first)) }
            while let piece = try reader.next() {
                try await writer.write(ByteBuffer(bytes: piece))
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers.merging(S3Responses.headers(requestID: requestID)), body: body)
    }

    /// `response-*` query parameters of GetObject/HeadObject and the headers they set.
    static let responseOverrides: [(String, HTTPField.Name)] = [
        ("response-content-type", .contentType), ("response-content-language", .contentLanguage), ("response-expires", .expires),
        ("response-cache-control", .cacheControl), ("response-content-disposition", .contentDisposition),
        ("response-content-encoding", .contentEncoding),
    ]

    func deleteObject() async throws -> Response {
        try await s3.deleteObject(bucket: bucket, key: key, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }
}

extension HTTPFields {
    /// These fields followed by `other`'s.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        merged.append(contentsOf: other)
        return merged
    }
}
