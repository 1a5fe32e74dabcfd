import CofferCore
import CofferObjectStore
import Foundation
import GRDB

/// Row codecs of the S3 tables. Encryption, headers and tags have the same columns in `s3_objects` and
/// `s3_uploads`.
extension SQLiteObjectCatalog {
    static let encryptionColumns = "sse, kms_key_arn, data_key, context, bucket_key, ssec_mac, ssec_salt"
    static let headerColumns = "content_encoding, content_disposition, content_language, cache_control, expires, storage_class"

    static func bucket(_ row: Row) -> S3Bucket {
        S3Bucket(name: row["name"], account: row["account"], region: row["region"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    /// An object row, with its parts (read in `db`) when it is a multipart object.
    static func object(_ row: Row, in db: Database) throws(CatalogError) -> StoredObject {
        let keyBytes: Data = row["key"], blobText: String = row["blob"]
        guard let blob = BlobID(blobText), let key = String(validating: keyBytes, as: UTF8.self) else {
            throw .storage("an object record is damaged")
        }
        var checksum: ObjectChecksum?
        if let algorithm: String = row["checksum_algorithm"], let value: String = row["checksum_value"], let type: String = row["checksum_type"] {
            checksum = ObjectChecksum(algorithm: algorithm, value: value, type: type)
        }
        var parts: [ObjectPart] = []
        if let count: Int = row["parts_count"] {
            let bucket: String = row["bucket"]
            let rows = try fetch {
                try Row.fetchAll(
                    db, sql: "SELECT * FROM s3_object_parts WHERE bucket = ? AND key = ? ORDER BY number", arguments: [bucket, keyBytes])
            }
            parts = try rows.map(objectPart)
            guard parts.count == count else { throw .storage("an object record's parts are damaged") }
        }
        return StoredObject(
            bucket: row["bucket"], key: key, blob: blob, size: row["size"], etag: row["etag"],
            lastModified: Date(timeIntervalSince1970: row["last_modified"]), contentType: row["content_type"],
            metadata: try decode([String: String].self, from: row["metadata"], what: "metadata"), encryption: try encryption(row),
            headers: headers(row), checksum: checksum, tags: try tags(row), parts: parts)
    }

    private static func objectPart(_ row: Row) throws(CatalogError) -> ObjectPart {
        let blobText: String = row["blob"]
        guard let blob = BlobID(blobText) else { throw .storage("an object part record is damaged") }
        return ObjectPart(number: row["number"], blob: blob, size: row["size"], etag: row["etag"], checksum: row["checksum"], uploadID: row["upload_id"])
    }

    /// The `s3_objects` columns of `object`, in the order of `objectColumns`.
    static let objectColumns = """
        bucket, key, blob, size, etag, last_modified, content_type, metadata, \(encryptionColumns), \(headerColumns), \
        checksum_algorithm, checksum_value, checksum_type, tags, parts_count
        """

    static func objectArguments(_ object: StoredObject) throws(CatalogError) -> StatementArguments {
        var arguments: StatementArguments = [
            object.bucket, Data(object.key.utf8), object.blob.rawValue, object.size, object.etag, object.lastModified.timeIntervalSince1970,
            object.contentType, try encode(object.metadata, what: "metadata"),
        ]
        arguments += try encryptionArguments(object.encryption)
        arguments += headerArguments(object.headers)
        arguments += [object.checksum?.algorithm, object.checksum?.value, object.checksum?.type, try encodeTags(object.tags), object.partsCount]
        return arguments
    }

    static func objectPartArguments(_ part: ObjectPart, of object: StoredObject) -> StatementArguments {
        [object.bucket, Data(object.key.utf8), part.number, part.uploadID, part.blob.rawValue, part.size, part.etag, part.checksum]
    }

    static func upload(_ row: Row) throws(CatalogError) -> MultipartUploadRecord {
        let keyBytes: Data = row["key"]
        guard let key = String(validating: keyBytes, as: UTF8.self) else { throw .storage("an upload record is damaged") }
        return MultipartUploadRecord(
            uploadID: row["upload_id"], bucket: row["bucket"], key: key, initiated: Date(timeIntervalSince1970: row["initiated"]),
            encryption: try encryption(row), contentType: row["content_type"], headers: headers(row),
            metadata: try decode([String: String].self, from: row["metadata"], what: "metadata"), tags: try tags(row),
            checksumAlgorithm: row["checksum_algorithm"], checksumType: row["checksum_type"])
    }

    static let uploadColumns = """
        upload_id, bucket, key, initiated, content_type, metadata, \(encryptionColumns), \(headerColumns), tags, checksum_algorithm, checksum_type
        """

    static func uploadArguments(_ upload: MultipartUploadRecord) throws(CatalogError) -> StatementArguments {
        var arguments: StatementArguments = [
            upload.uploadID, upload.bucket, Data(upload.key.utf8), upload.initiated.timeIntervalSince1970, upload.contentType,
            try encode(upload.metadata, what: "metadata"),
        ]
        arguments += try encryptionArguments(upload.encryption)
        arguments += headerArguments(upload.headers)
        arguments += [try encodeTags(upload.tags), upload.checksumAlgorithm, upload.checksumType]
        return arguments
    }

    static func part(_ row: Row) throws(CatalogError) -> PartRecord {
        let blobText: String = row["blob"]
        guard let blob = BlobID(blobText) else { throw .storage("a part record is damaged") }
        return PartRecord(
            number: row["number"], blob: blob, size: row["size"], etag: row["etag"], lastModified: Date(timeIntervalSince1970: row["last_modified"]),
            checksum: row["checksum"])
    }

    // MARK: Shared column groups

    private static func encryption(_ row: Row) throws(CatalogError) -> ObjectEncryption {
        let sse: String = row["sse"]
        switch sse {
        case "s3":
            guard let key: Data = row["data_key"] else { throw .storage("an SSE-S3 record has no data key") }
            return .s3(sealedDataKey: Array(key))
        case "kms":
            guard let arn: String = row["kms_key_arn"], let blobBytes: Data = row["data_key"], let contextText: String = row["context"],
                let context = try? JSONDecoder().decode([String: String].self, from: Data(contextText.utf8))
            else { throw .storage("an SSE-KMS record is damaged") }
            return .kms(keyARN: arn, ciphertextBlob: Array(blobBytes), context: context, bucketKey: row["bucket_key"])
        case "customer":
            guard let mac: Data = row["ssec_mac"], let salt: Data = row["ssec_salt"] else { throw .storage("an SSE-C record is damaged") }
            return .customer(keyMAC: Array(mac), salt: Array(salt))
        default:
            throw .storage("a record has an unknown encryption mode")
        }
    }

    private static func encryptionArguments(_ encryption: ObjectEncryption) throws(CatalogError) -> StatementArguments {
        switch encryption {
        case .s3(let sealed):
            return ["s3", nil, Data(sealed), nil, false, nil, nil]
        case .kms(let keyARN, let blob, let context, let bucketKey):
            return ["kms", keyARN, Data(blob), try encode(context, what: "the encryption context"), bucketKey, nil, nil]
        case .customer(let keyMAC, let salt):
            return ["customer", nil, nil, nil, false, Data(keyMAC), Data(salt)]
        }
    }

    private static func headers(_ row: Row) -> ObjectHeaders {
        ObjectHeaders(
            contentEncoding: row["content_encoding"], contentDisposition: row["content_disposition"], contentLanguage: row["content_language"],
            cacheControl: row["cache_control"], expires: row["expires"], storageClass: row["storage_class"])
    }

    private static func headerArguments(_ headers: ObjectHeaders) -> StatementArguments {
        [headers.contentEncoding, headers.contentDisposition, headers.contentLanguage, headers.cacheControl, headers.expires, headers.storageClass]
    }

    /// Tags as a JSON array of [key, value] pairs, keeping their order.
    private static func tags(_ row: Row) throws(CatalogError) -> [S3Tag] {
        let pairs = try decode([[String]].self, from: row["tags"], what: "tags")
        var tags: [S3Tag] = []
        for pair in pairs {
            guard pair.count == 2 else { throw .storage("a record's tags are damaged") }
            tags.append(S3Tag(key: pair[0], value: pair[1]))
        }
        return tags
    }

    static func encodeTags(_ tags: [S3Tag]) throws(CatalogError) -> String {
        try encode(tags.map { [$0.key, $0.value] }, what: "tags")
    }

    private static func encode(_ value: some Encodable, what: String) throws(CatalogError) -> String {
        do {
            return String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        } catch {
            throw .storage("\(what) cannot be encoded")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws(CatalogError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .storage("a record's \(what) is damaged")
        }
    }
}
