import CofferCore
import CofferObjectStore
import CofferS3
import CofferS3Wire
import CofferWire
import Foundation
import HTTPTypes
import Hummingbird

/// ListObjects (v1) and ListObjectsV2.
extension S3Call {
    func listObjects(version2: Bool) async throws -> Response {
        let prefix = query("prefix") ?? ""
        let delimiter = query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let encodeURL: Bool
        do { encodeURL = try S3URLEncoding.wantsURLEncoding(query("encoding-type")) } catch { throw S3Error(error) }
        let maxKeys = try integer("max-keys", default: 1000)
        var after: String?
        let continuationToken = version2 ? query("continuation-token") : nil
        if version2 {
            if let token = continuationToken {
                do { after = try ContinuationToken.decode(token) } catch { throw S3Error(error) }
            } else {
                after = query("start-after").flatMap { $0.isEmpty ? nil : $0 }
            }
        } else {
            after = query("marker").flatMap { $0.isEmpty ? nil : $0 }
        }
        let listing = try await s3.list(bucket: bucket, prefix: prefix, delimiter: delimiter, after: after, maxKeys: maxKeys, caller: caller)
        func encoded(_ text: String) -> String { encodeURL ? S3URLEncoding.encodeForListing(text) : text }

        var xml = XMLWriter()
        xml.open("ListBucketResult", namespace: S3Responses.namespace)
        xml.element("Name", bucket)
        xml.element("Prefix", encoded(prefix))
        if version2 {
            if let continuationToken { xml.element("ContinuationToken", continuationToken) }
            if let startAfter = query("start-after"), !startAfter.isEmpty { xml.element("StartAfter", encoded(startAfter)) }
            xml.element("KeyCount", String(listing.objects.count + listing.commonPrefixes.count))
        } else {
            xml.element("Marker", encoded(query("marker") ?? ""))
        }
        xml.element("MaxKeys", String(maxKeys))
        if let delimiter { xml.element("Delimiter", encoded(delimiter)) }
        xml.element("IsTruncated", listing.isTruncated ? "true" : "false")
        if listing.isTruncated, let next = listing.nextMarker {
            if version2 {
                xml.element("NextContinuationToken", ContinuationToken.encode(next))
            } else if delimiter != nil {
                xml.element("NextMarker", encoded(next))
            }
        }
        if encodeURL { xml.element("EncodingType", "url") }
        let fetchOwner = !version2 || query("fetch-owner") == "true"
        for object in listing.objects {
            xml.element("Contents") { entry in
                entry.element("Key", encoded(object.key))
                entry.element("LastModified", S3Responses.timestamp(object.lastModified))
                entry.element("ETag", object.etag)
                entry.element("Size", String(object.size))
                entry.element("StorageClass", object.headers.storageClass ?? "STANDARD")
                if fetchOwner {
                    entry.element("Owner") { owner in
                        owner.element("ID", caller.account.rawValue)
                        owner.element("DisplayName", caller.account.rawValue)
                    }
                }
            }
        }
        for commonPrefix in listing.commonPrefixes {
            xml.element("CommonPrefixes") { $0.element("Prefix", encoded(commonPrefix)) }
        }
        xml.close("ListBucketResult")
        return S3Responses.xml(xml, requestID: requestID)
    }
}

extension S3Call {
    /// ListObjectVersions of a bucket that has never had versioning: every object is its only, latest
    /// version, with version id `null`, as S3 lists unversioned buckets.
    func listObjectVersions() async throws -> Response {
        let prefix = query("prefix") ?? ""
        let delimiter = query("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let encodeURL: Bool
        do { encodeURL = try S3URLEncoding.wantsURLEncoding(query("encoding-type")) } catch { throw S3Error(error) }
        let maxKeys = try integer("max-keys", default: 1000)
        let keyMarker = query("key-marker").flatMap { $0.isEmpty ? nil : $0 }
        let listing = try await s3.list(
            bucket: bucket, prefix: prefix, delimiter: delimiter, after: keyMarker, maxKeys: maxKeys, caller: caller, action: "s3:ListBucketVersions")
        func encoded(_ text: String) -> String { encodeURL ? S3URLEncoding.encodeForListing(text) : text }
        var xml = XMLWriter()
        xml.open("ListVersionsResult", namespace: S3Responses.namespace)
        xml.element("Name", bucket)
        xml.element("Prefix", encoded(prefix))
        xml.element("KeyMarker", encoded(keyMarker ?? ""))
        xml.element("VersionIdMarker", query("version-id-marker") ?? "")
        if listing.isTruncated, let next = listing.nextMarker {
            xml.element("NextKeyMarker", encoded(next))
            xml.element("NextVersionIdMarker", "null")
        }
        xml.element("MaxKeys", String(maxKeys))
        if let delimiter { xml.element("Delimiter", encoded(delimiter)) }
        xml.element("IsTruncated", listing.isTruncated ? "true" : "false")
        if encodeURL { xml.element("EncodingType", "url") }
        for object in listing.objects {
            xml.element("Version") { entry in
                entry.element("Key", encoded(object.key))
                entry.element("VersionId", "null")
                entry.element("IsLatest", "true")
                entry.element("LastModified", S3Responses.timestamp(object.lastModified))
                entry.element("ETag", object.etag)
                entry.element("Size", String(object.size))
                entry.element("StorageClass", object.headers.storageClass ?? "STANDARD")
                ownerElements(&entry, "Owner")
            }
        }
        for commonPrefix in listing.commonPrefixes {
            xml.element("CommonPrefixes") { $0.element("Prefix", encoded(commonPrefix)) }
        }
        xml.close("ListVersionsResult")
        return S3Responses.xml(xml, requestID: requestID)
    }
}
