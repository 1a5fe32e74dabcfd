import CofferCore
import CofferIdentity
import CofferS3
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The S3 REST surface: requests whose credential scope names `s3` (and unsigned requests that are not
/// another service's) are routed here before any body is read, so that uploads stream.
extension CofferResponder {
    /// Whether a request is an S3 call: signed for `s3` (without an `X-Amz-Target`, which names a JSON
    /// service), or an unsigned GET/HEAD/PUT/DELETE outside Coffer's own paths (answered as S3 answers
    /// anonymous requests).
    static func isS3Request(_ request: Request, target: String?, queryNamespace: String?) -> Bool {
        guard target == nil, queryNamespace == nil else { return false }
        if let authorization = request.headers[.authorization] {
            return authorization.contains("/s3/aws4_request")
        }
        if let query = request.uri.query, query.contains("X-Amz-Credential=") {
            return query.contains("%2Fs3%2Faws4_request") || query.contains("/s3/aws4_request")
        }
        if let query = request.uri.query, query.contains("AWSAccessKeyId=") { return true }
        let path = request.head.path ?? "/"
        let anonymousS3Methods: [HTTPRequest.Method] = [.get, .head, .put, .delete]
        return anonymousS3Methods.contains(request.method) && !path.hasPrefix("/moto-api/") && !path.hasPrefix("/coffer-test/")
    }

    func s3Response(_ request: Request, rawPath: String, context: Context, draft: AuditDraft) async -> Response {
        let requestID = draft.requestID
        let parts = rawPath.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var address: S3Address?
        draft.update { $0.service = "s3" }
        do {
            let parsed = try S3Address(rawPath: String(parts[0]), rawQuery: parts.count > 1 ? String(parts[1]) : "", host: request.head.authority)
            address = parsed
            let operation = S3Operation.route(
                method: request.method, bucket: parsed.bucket, key: parsed.key, query: parsed.query, copySource: request.headers[.amzCopySource] != nil
            )
            draft.update { state in
                state.eventName = operation?.rawValue ?? "Unknown"
                var members: [String: JSONValue] = [:]
                if let bucket = parsed.bucket { members["bucketName"] = .string(bucket) }
                if let key = parsed.key { members["key"] = .string(key) }
                if let host = request.head.authority { members["Host"] = .string(host) }
                state.requestMembers = members
            }
            guard let operation else {
                throw S3Error("NotImplemented", "A header or query you provided implies functionality that is not implemented.")
            }
            var signed = Self.sigV4Request(request, rawPath: rawPath, body: [])
            signed.bodyIsStreamed = true
            let authentication: SigV4Authentication<Principal>
            if SigV2QueryVerifier.isPresigned(signed), request.headers[.authorization] == nil {
                authentication = try await SigV2QueryVerifier.verify(
                    signed, virtualHostBucket: S3Address.virtualHostBucket(request.head.authority), lookup: secret)
            } else {
                guard SigV4Verifier.hasAuthentication(signed) else { throw S3Error.accessDenied }
                authentication = try await authenticate(signed, expectedService: "s3")
            }
            guard let region = Region(authentication.region) else {
                throw S3Error("AuthorizationHeaderMalformed", "The authorization header is malformed; the region '\(authentication.region)' is wrong.")
            }
            let caller = makeCaller(authentication.principal, region: region, context: context)
            draft.update { $0.caller = caller }
            let call = S3Call(request: request, address: parsed, caller: caller, authentication: authentication, requestID: requestID, s3: s3)
            let response = try await call.perform(operation)
            logger.debug("request", metadata: ["request-id": "\(requestID)", "operation": "s3:\(operation.rawValue)", "status": "\(response.status.code)"])
            return response
        } catch {
            if draft.snapshot.caller == nil { await noteUnverifiedCaller(request, draft: draft) }
            let description = AWSErrorTable.describeS3(error, presigned: address?.query["X-Amz-Signature"] != nil || address?.query["Signature"] != nil)
            draft.update { $0.error = description }
            logFailure(error, description, requestID: requestID, operation: "s3:\(draft.snapshot.eventName)", logger: logger)
            return Self.s3ErrorResponse(description, address: address, requestID: requestID, head: request.method == .head)
        }
    }

    /// S3's error document: Code, Message, the bucket or key it concerns, RequestId (no body for HEAD).
    static func s3ErrorResponse(_ description: AWSErrorDescription, address: S3Address?, requestID: String, head: Bool) -> Response {
        let status = HTTPResponse.Status(code: description.status)
        guard !head else { return S3Responses.empty(status: status, requestID: requestID) }
        var xml = XMLWriter()
        xml.open("Error")
        xml.element("Code", description.name)
        xml.element("Message", description.message)
        for (name, value) in description.details { xml.element(name, value) }
        if let bucket = address?.bucket { xml.element("BucketName", bucket) }
        if let key = address?.key { xml.element("Key", key) }
        xml.element("RequestId", requestID)
        xml.element("HostId", requestID)
        xml.close("Error")
        return S3Responses.xml(xml, status: status, requestID: requestID)
    }
}

extension S3Call {
    /// Runs the operation.
    func perform(_ operation: S3Operation) async throws -> Response {
        switch operation {
        case .listBuckets: return try await listBuckets()
        case .createBucket: return try await createBucket()
        case .headBucket: return try await headBucket()
        case .deleteBucket: return try await deleteBucket()
        case .getBucketLocation: return try await getBucketLocation()
        case .getBucketVersioning: return try await getBucketVersioning()
        case .listObjects: return try await listObjects(version2: false)
        case .listObjectsV2: return try await listObjects(version2: true)
        case .listObjectVersions: return try await listObjectVersions()
        case .putObject: return try await putObject()
        case .getObject: return try await getObject(head: false)
        case .headObject: return try await getObject(head: true)
        case .deleteObject: return try await deleteObject()
        case .createMultipartUpload: return try await createMultipartUpload()
        case .uploadPart: return try await uploadPart()
        case .completeMultipartUpload: return try await completeMultipartUpload()
        case .abortMultipartUpload: return try await abortMultipartUpload()
        case .listParts: return try await listParts()
        case .listMultipartUploads: return try await listMultipartUploads()
        case .uploadPartCopy: return try await uploadPartCopy()
        case .copyObject: return try await copyObject()
        case .deleteObjects: return try await deleteObjects()
        case .getObjectTagging: return try await getObjectTagging()
        case .putObjectTagging: return try await putObjectTagging()
        case .deleteObjectTagging: return try await deleteObjectTagging()
        case .getBucketPolicy: return try await getBucketPolicy()
        case .putBucketPolicy: return try await putBucketPolicy()
        case .deleteBucketPolicy: return try await deleteBucketPolicy()
        case .getBucketEncryption: return try await getBucketEncryption()
        case .putBucketEncryption: return try await putBucketEncryption()
        case .deleteBucketEncryption: return try await deleteBucketEncryption()
        case .getBucketTagging: return try await getBucketTagging()
        case .putBucketTagging: return try await putBucketTagging()
        case .deleteBucketTagging: return try await deleteBucketTagging()
        }
    }
}
