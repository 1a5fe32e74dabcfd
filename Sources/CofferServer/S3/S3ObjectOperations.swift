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
        let tags = try requestTags
        let (upload, summary) = try await s3.beginPut(bucket: bucket, key: key, sse: sse, caller: caller, conditions: writeConditions(sse))
        let outcome: S3UploadBody.Outcome
        let object: StoredObject
        do {
            try await checkWriteConditions()
            outcome = try await S3UploadBody.stream(request.body, headers: request.headers, signing: chunkSigning) { bytes throws(ObjectStoreError) in
                try upload.write(bytes)
            }
            try await checkWriteConditions()
            object = try await upload.complete(
                contentType: header(.contentType), metadata: userMetadata, headers: try objectHeaders, tags: tags,
                checksum: outcome.checksum.map { ObjectChecksum(algorithm: $0.algorithm.rawValue, value: $0.value, type: "FULL_OBJECT") })
        } catch {
            upload.abort()
            throw mapped(error)
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
        headers[.lastModified] = HTTPDate.format(object.lastModified)
        headers[.acceptRanges] = "bytes"
        headers[.contentType] = object.contentType ?? "binary/octet-stream"
        let stored: [(HTTPField.Name, String?)] = [
            (.contentEncoding, object.headers.contentEncoding), (.contentDisposition, object.headers.contentDisposition),
            (.contentLanguage, object.headers.contentLanguage), (.cacheControl, object.headers.cacheControl), (.expires, object.headers.expires),
        ]
        for case let (field, value?) in stored { headers[field] = value }
        if let storageClass = object.headers.storageClass { headers[HTTPField.Name("x-amz-storage-class")!] = storageClass }  // Invariant: a valid token.
        if !head { try refuseArchived(object) }
        if !object.tags.isEmpty { headers[HTTPField.Name("x-amz-tagging-count")!] = String(object.tags.count) }  // Invariant: a valid token.
        let conditional = ConditionalRequest(
            ifMatch: header(.ifMatch), ifNoneMatch: header(.ifNoneMatch), ifModifiedSince: header(.ifModifiedSince),
            ifUnmodifiedSince: header(.ifUnmodifiedSince))
        switch conditional.evaluate(eTag: object.etag, lastModified: object.lastModified) {
        case .proceed: break
        case .notModified:
            var notModified = HTTPFields()
            notModified[.eTag] = object.etag
            notModified[.lastModified] = headers[.lastModified]
            return S3Responses.empty(status: .notModified, requestID: requestID, headers: notModified)
        case .preconditionFailed:
            let ifMatchFailed = header(.ifMatch).map { !ConditionalRequest.eTagListMatches($0, eTag: object.etag) } ?? false
            throw S3Error.preconditionFailed(ifMatchFailed ? "If-Match" : "If-Unmodified-Since", bucket: bucket, key: key)
        }
        for (name, value) in object.metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-\(name)") { headers[field] = value }
        }
        for (parameter, field) in Self.responseOverrides {
            if let value = query(parameter) { headers[field] = value }
        }
        var status = HTTPResponse.Status.ok
        var range = 0..<object.size
        if let partText = query("partNumber") {
            guard let partNumber = Int(partText), ObjectService.partNumbers.contains(partNumber) else {
                throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
            }
            guard header(.range) == nil else { throw S3Error.invalidRequest("Cannot specify both Range header and partNumber query parameter") }
            do { range = try s3.objects.partRange(of: object, partNumber: partNumber) } catch { throw S3Error(error, bucket: bucket, key: key) }
            // S3 answers a part read with 206 and a Content-Range, even for part 1 of a single-PUT object.
            status = .partialContent
            headers[.contentRange] = HTTPRange.contentRange(range, size: object.size)
            headers[HTTPField.Name("x-amz-mp-parts-count")!] = String(object.partsCount ?? 1)  // Invariant: a valid token.
        } else if let rangeHeader = header(.range) {
            switch HTTPRange.parse(rangeHeader, size: object.size) {
            case .satisfiable(let requested):
                range = requested
                status = .partialContent
                headers[.contentRange] = HTTPRange.contentRange(requested, size: object.size)
            case .unsatisfiable:
                throw S3Error("InvalidRange", "The requested range is not satisfiable", bucket: bucket, key: key)
            case .ignored:
                break
            }
        }
        // The stored checksum covers the whole object, so it goes out only with the whole object (as on S3).
        if header("x-amz-checksum-mode")?.uppercased() == "ENABLED", let checksum = object.checksum, status == .ok,
            let name = ChecksumAlgorithm(s3Name: checksum.algorithm).flatMap({ HTTPField.Name($0.headerName) }) {
            headers[name] = checksum.value
            headers[HTTPField.Name("x-amz-checksum-type")!] = checksum.type  // Invariant: a valid token.
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

    /// An object-store failure in S3's terms for this call's bucket and key; other errors as they are.
    func mapped(_ error: any Error) -> any Error {
        (error as? ObjectStoreError).map { S3Error($0, bucket: bucket, key: key) } ?? error
    }

    /// Conditional writes (`If-None-Match: *`, `If-Match: <etag>`) against the key's current object, for a caller
    /// already authorized to write it. Checked before the body is read and again just before the object is
    /// committed (not atomically with the commit: two racing writers can both pass).
    func checkWriteConditions() async throws {
        let ifNoneMatch = header(.ifNoneMatch)
        let ifMatch = header(.ifMatch)
        guard ifNoneMatch != nil || ifMatch != nil else { return }
        if let ifNoneMatch, ifNoneMatch.trimmingCharacters(in: .whitespaces) != "*" {
            throw S3Error("NotImplemented", "A header you provided implies functionality that is not implemented: If-None-Match accepts only '*'.")
        }
        let current: StoredObject?
        do {
            current = try await s3.objects.object(bucket: bucket, key: key)
        } catch .noSuchKey {
            current = nil
        } catch {
            throw S3Error(error, bucket: bucket, key: key)
        }
        if ifNoneMatch != nil, current != nil { throw S3Error.preconditionFailed("If-None-Match", bucket: bucket, key: key) }
        if let ifMatch {
            guard let current else { throw S3Error.noSuchKey(bucket, key) }
            guard ConditionalRequest.eTagListMatches(ifMatch, eTag: current.etag) else {
                throw S3Error.preconditionFailed("If-Match", bucket: bucket, key: key)
            }
        }
    }

    /// The policy condition keys a write carries (`s3:x-amz-server-side-encryption`, ...).
    func writeConditions(_ sse: SSERequest) -> [String: [String]] {
        var conditions: [String: [String]] = [:]
        if let value = header(.amzSSE) { conditions["s3:x-amz-server-side-encryption"] = [value] }
        if let value = header(.amzSSEKMSKeyID) { conditions["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [value] }
        if case .customer = sse { conditions["s3:x-amz-server-side-encryption-customer-algorithm"] = ["AES256"] }
        return conditions
    }

    /// The content headers and storage class a write stores with the object.
    var objectHeaders: ObjectHeaders {
        get throws {
            ObjectHeaders(
                contentEncoding: header(.contentEncoding).flatMap(Self.storedContentEncoding), contentDisposition: header(.contentDisposition),
                contentLanguage: header(.contentLanguage), cacheControl: header(.cacheControl), expires: header(.expires),
                storageClass: try requestStorageClass)
        }
    }

    /// `x-amz-storage-class`, validated; nil for STANDARD or none.
    var requestStorageClass: String? {
        get throws {
            guard let value = header("x-amz-storage-class") else { return nil }
            guard Self.storageClasses.contains(value) else { throw S3Error("InvalidStorageClass", "The storage class you specified is not valid") }
            return value == "STANDARD" ? nil : value
        }
    }

    static let storageClasses: Set<String> = [
        "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "OUTPOSTS",
        "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE",
    ]

    /// Archived objects (GLACIER, DEEP_ARCHIVE) answer HEAD but not GET or copy until restored, which Coffer does not do.
    func refuseArchived(_ object: StoredObject) throws {
        if let storageClass = object.headers.storageClass, storageClass == "GLACIER" || storageClass == "DEEP_ARCHIVE" {
            throw S3Error("InvalidObjectState", "The operation is not valid for the object's storage class", bucket: object.bucket, key: object.key)
        }
    }

    /// `aws-chunked` is how the body travelled, not what it is: S3 does not store it.
    static func storedContentEncoding(_ value: String) -> String? {
        let kept = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "aws-chunked" }
        return kept.isEmpty ? nil : kept.joined(separator: ",")
    }

    /// The `x-amz-tagging` header's tags.
    var requestTags: [S3Tag] {
        get throws {
            guard let value = header("x-amz-tagging") else { return [] }
            do {
                return try S3Tagging.parseHeader(value)
            } catch {
                throw S3Error(error)
            }
        }
    }

    /// `response-*` query parameters of GetObject/HeadObject and the headers they set.
    static let responseOverrides: [(String, HTTPField.Name)] = [
        ("response-content-type", .contentType), ("response-content-language", .contentLanguage), ("response-expires", .expires),
        ("response-cache-control", .cacheControl), ("response-content-disposition", .contentDisposition),
        ("response-content-encoding", .contentEncoding),
    ]

    func deleteObject() async throws -> Response {
        if let expected = header(.ifMatch) {
            _ = try await s3.bucket(bucket, caller: caller, action: "s3:DeleteObject", key: key)
            let current = try? await s3.objects.object(bucket: bucket, key: key)
            guard let current else { throw S3Error.noSuchKey(bucket, key) }
            guard ConditionalRequest.eTagListMatches(expected, eTag: current.etag) else {
                throw S3Error.preconditionFailed("If-Match", bucket: bucket, key: key)
            }
        }
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
