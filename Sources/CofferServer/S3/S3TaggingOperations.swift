import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import HTTPTypes
import Hummingbird

/// Get/Put/DeleteObjectTagging, Get/Put/DeleteBucketTagging and DeleteObjects.
extension S3Call {
    func getObjectTagging() async throws -> Response {
        let tags = try await s3.objectTags(bucket: bucket, key: key, caller: caller)
        return S3Responses.xml(Self.tagging(tags), requestID: requestID)
    }

    func putObjectTagging() async throws -> Response {
        let body = try await collectBody()
        let tags: [S3Tag]
        do { tags = try S3Tagging.parse(body, kind: .object) } catch { throw S3Error(error) }
        try await s3.setObjectTags(bucket: bucket, key: key, tags: tags, caller: caller)
        return S3Responses.empty(requestID: requestID)
    }

    func deleteObjectTagging() async throws -> Response {
        try await s3.setObjectTags(bucket: bucket, key: key, tags: [], caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func getBucketTagging() async throws -> Response {
        let tags = try await s3.bucketTags(bucket, caller: caller)
        return S3Responses.xml(Self.tagging(tags), requestID: requestID)
    }

    func putBucketTagging() async throws -> Response {
        let body = try await collectBody()
        let tags: [S3Tag]
        do { tags = try S3Tagging.parse(body, kind: .bucket) } catch { throw S3Error(error) }
        try await s3.putBucketTags(bucket, tags: tags, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    func deleteBucketTagging() async throws -> Response {
        try await s3.deleteBucketTags(bucket, caller: caller)
        return S3Responses.empty(status: .noContent, requestID: requestID)
    }

    /// A `<Tagging>` document.
    static func tagging(_ tags: [S3Tag]) -> XMLWriter {
        var xml = XMLWriter()
        xml.open("Tagging", namespace: S3Responses.namespace)
        xml.element("TagSet") { set in
            for tag in tags {
                set.element("Tag") { entry in
                    entry.element("Key", tag.key)
                    entry.element("Value", tag.value)
                }
            }
        }
        xml.close("Tagging")
        return xml
    }

    /// DeleteObjects: each key deleted (or its error reported) on its own; Quiet reports errors only.
    func deleteObjects() async throws -> Response {
        guard header(.contentMD5) != nil || request.headers.contains(where: { $0.name.canonicalName.hasPrefix("x-amz-checksum-") })
            || header("x-amz-sdk-checksum-algorithm") != nil || header(.amzTrailer) != nil
        else {
            throw S3Error.invalidRequest("Missing required header for this request: Content-MD5")
        }
        let body = try await collectBody()
        let delete: S3DeleteObjects
        do { delete = try S3DeleteObjects.parse(body) } catch { throw S3Error(error) }
        // A missing bucket fails the whole request (404), as on S3; keys are then authorized one by one.
        if let first = delete.objects.first { _ = try await s3.bucket(bucket, caller: caller, action: "s3:DeleteObject", key: first.key) }
        var xml = XMLWriter()
        xml.open("DeleteResult", namespace: S3Responses.namespace)
        for object in delete.objects {
            do throws(S3Error) {
                try await s3.deleteObject(bucket: bucket, key: object.key, caller: caller)
                if !delete.quiet { xml.element("Deleted") { $0.element("Key", object.key) } }
            } catch {
                xml.element("Error") { entry in
                    entry.element("Key", object.key)
                    entry.element("Code", error.code)
                    entry.element("Message", error.message)
                }
            }
        }
        xml.close("DeleteResult")
        return S3Responses.xml(xml, requestID: requestID)
    }
}
