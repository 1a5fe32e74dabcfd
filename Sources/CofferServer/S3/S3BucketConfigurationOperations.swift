import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Put/Get/DeleteBucketPolicy and Put/Get/DeleteBucketEncryption.
extension S3Call {
    func putBucketPolicy() async throws -> Response {
        let body = try await collectBody()
        guard let text = String(validating: body, as: UTF8.self) else {
            throw S3Error("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", bucket: bucket)
        }
        try await s3.putBucketPolicy(bucket, policy: text, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func getBucketPolicy() async throws -> Response {
        let text = try await s3.bucketPolicyText(bucket, caller: caller)
        var headers = S3Responses.headers(requestID: requestID)
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    func deleteBucketPolicy() async throws -> Response {
        try await s3.deleteBucketPolicy(bucket, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func putBucketEncryption() async throws -> Response {
        let body = try await collectBody()
        let parsed: S3ServerSideEncryptionConfiguration
        do { parsed = try S3ServerSideEncryptionConfiguration.parse(body) } catch { throw S3Error(error) }
        guard parsed.sseAlgorithm != .awsKMSDSSE else {
            throw S3Error("NotImplemented", "Dual-layer server-side encryption (aws:kms:dsse) is not supported by this server.")
        }
        let configuration = BucketEncryption(
            algorithm: parsed.sseAlgorithm.rawValue, kmsMasterKeyID: parsed.kmsMasterKeyID, bucketKeyEnabled: parsed.bucketKeyEnabled,
            blockedEncryptionTypes: parsed.blockedEncryptionTypes)
        try await s3.putBucketEncryption(bucket, configuration, caller: caller)
        return S3Responses.empty(requestID: requestID)
    }

    func getBucketEncryption() async throws -> Response {
        let configuration = try await s3.bucketEncryption(bucket, caller: caller)
        var xml = XMLWriter()
        xml.open("ServerSideEncryptionConfiguration", namespace: S3Responses.namespace)
        xml.element("Rule") { rule in
            rule.element("ApplyServerSideEncryptionByDefault") { byDefault in
                byDefault.element("SSEAlgorithm", configuration.algorithm)
                byDefault.element("KMSMasterKeyID", ifPresent: configuration.kmsMasterKeyID)
            }
            rule.element("BucketKeyEnabled", configuration.bucketKeyEnabled ? "true" : "false")
            if !configuration.blockedEncryptionTypes.isEmpty {
                rule.element("BlockedEncryptionTypes") { blocked in
                    for type in configuration.blockedEncryptionTypes { blocked.element("EncryptionType", type) }
                }
            }
        }
        xml.close("ServerSideEncryptionConfiguration")
        return S3Responses.xml(xml, requestID: requestID)
    }

    func deleteBucketEncryption() async throws -> Response {
        try await s3.deleteBucketEncryption(bucket, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }
}
