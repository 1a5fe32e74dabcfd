import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, GetBucketVersioning.
extension S3Call {
    func listBuckets() async throws -> Response {
        let buckets = try await s3.listBuckets(caller: caller)
        var xml = XMLWriter()
        xml.open("ListAllMyBucketsResult", namespace: S3Responses.namespace)
        xml.element("Owner") { owner in
            owner.element("ID", caller.account.rawValue)
            owner.element("DisplayName", caller.account.rawValue)
        }
        xml.element("Buckets") { list in
            for bucket in buckets {
                list.element("Bucket") { entry in
                    entry.element("Name", bucket.name)
                    entry.element("CreationDate", S3Responses.timestamp(bucket.createdAt))
                    entry.element("BucketRegion", bucket.region)
                }
            }
        }
        xml.close("ListAllMyBucketsResult")
        return S3Responses.xml(xml, requestID: requestID)
    }

    func createBucket() async throws -> Response {
        let body = try await collectBody()
        let constraint: String?
        do {
            constraint = body.isEmpty ? nil : try S3CreateBucketConfiguration.parse(body).locationConstraint
        } catch {
            throw S3Error(error)
        }
        _ = try await s3.createBucket(bucket, locationConstraint: constraint, caller: caller)
        var headers = HTTPFields()
        headers[.location] = "/\(bucket)"
        return S3Responses.empty(requestID: requestID, headers: headers)
    }

    func headBucket() async throws -> Response {
        let found = try await s3.bucket(bucket, caller: caller, action: "s3:ListBucket")
        var headers = HTTPFields()
        headers[.amzBucketRegion] = found.region
        return S3Responses.empty(requestID: requestID, headers: headers)
    }

    func deleteBucket() async throws -> Response {
        try await s3.deleteBucket(bucket, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func getBucketLocation() async throws -> Response {
        let found = try await s3.bucket(bucket, caller: caller, action: "s3:GetBucketLocation")
        var xml = XMLWriter()
        xml.open("LocationConstraint", namespace: S3Responses.namespace)
        // us-east-1 is the empty constraint, as on AWS.
        if found.region != "us-east-1" { xml.text(found.region) }
        xml.close("LocationConstraint")
        return S3Responses.xml(xml, requestID: requestID)
    }

    func getBucketVersioning() async throws -> Response {
        _ = try await s3.bucket(bucket, caller: caller, action: "s3:GetBucketVersioning")
        var xml = XMLWriter()
        xml.open("VersioningConfiguration", namespace: S3Responses.namespace)
        xml.close("VersioningConfiguration")
        return S3Responses.xml(xml, requestID: requestID)
    }
}

extension HTTPField.Name {
    static let amzBucketRegion = HTTPField.Name("x-amz-bucket-region")!  // Invariant: a valid token.
}
