import CofferCore
import Crypto
import Foundation

/// Multipart uploads, as S3: create, upload parts (any order, a number again replaces it), list, complete
/// into one object whose parts stay separate sealed streams, or abort.
extension ObjectService {
    /// Part numbers run 1...10,000.
    public static let partNumbers = 1...10_000
    /// The most parts or uploads one listing returns, as S3.
    public static let maxListParts = 1000

    /// Starts a multipart upload of `key`. Its parts will be sealed under one data key, whose protection
    /// `encryption` records. `.noSuchBucket` when the bucket is missing.
    public func createMultipartUpload(
        bucket: String, key: String, encryption: ObjectEncryption, contentType: String? = nil, headers: ObjectHeaders = ObjectHeaders(),
        metadata: [String: String] = [:], tags: [S3Tag] = [], checksumAlgorithm: String? = nil, checksumType: String? = nil
    ) async throws(ObjectStoreError) -> MultipartUploadRecord {
        let record = MultipartUploadRecord(
            uploadID: MultipartUploadRecord.newUploadID(), bucket: bucket, key: key, initiated: now(), encryption: encryption,
            contentType: contentType, headers: headers, metadata: metadata, tags: tags, checksumAlgorithm: checksumAlgorithm,
            checksumType: checksumType)
        try await catalogCall { () async throws(CatalogError) in try await catalog.createUpload(record) }
        return record
    }

    /// The upload `uploadID` of `key`: `.noSuchBucket` when the bucket is missing, `.noSuchUpload` when the
    /// upload is unknown, finished, or of another bucket or key.
    public func multipartUpload(bucket: String, key: String, uploadID: String) async throws(ObjectStoreError) -> MultipartUploadRecord {
        try await requireBucket(bucket)
        let record = try await catalogCall { () async throws(CatalogError) in try await catalog.upload(id: uploadID) }
        guard let record, record.bucket == bucket, record.key == key else { throw .noSuchUpload }
        return record
    }

    /// Starts uploading part `partNumber` of an upload, sealed under `dataKey` (the upload's data key) and
    /// bound to bucket, key, upload id and part number. `.invalidArgument` outside 1...10,000.
    /// `md5ETag` false: a random part ETag and no MD5 (S3's SSE-KMS and SSE-C ETags are not digests).
    public func uploadPart(
        bucket: String, key: String, uploadID: String, partNumber: Int, dataKey: SymmetricKey, md5ETag: Bool = true
    ) async throws(ObjectStoreError) -> PartUpload {
        guard Self.partNumbers.contains(partNumber) else {
            throw .invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
        }
        _ = try await multipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        let binding = Self.binding(bucket: bucket, key: key, uploadID: uploadID, partNumber: partNumber)
        return PartUpload(service: self, uploadID: uploadID, partNumber: partNumber, stream: try makeStream(dataKey: dataKey, binding: binding, md5ETag: md5ETag))
    }

    /// Up to `maxParts` (at most 1,000) parts numbered above `partNumberMarker`, in order. `nextPartNumberMarker`
    /// is the last part number returned (nil when none was).
    public func listParts(bucket: String, key: String, uploadID: String, partNumberMarker: Int? = nil, maxParts: Int = ObjectService.maxListParts)
        async throws(ObjectStoreError) -> (parts: [PartRecord], isTruncated: Bool, nextPartNumberMarker: Int?)
    {
        _ = try await multipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        let limit = min(max(0, maxParts), Self.maxListParts)
        guard limit > 0 else { return ([], false, nil) }
        var parts = try await catalogCall { () async throws(CatalogError) in
            try await catalog.parts(uploadID: uploadID, after: max(0, partNumberMarker ?? 0), limit: limit + 1)
        }
        let truncated = parts.count > limit
        if truncated { parts.removeLast(parts.count - limit) }
        return (parts, truncated, parts.last?.number)
    }

    /// Up to `maxUploads` (at most 1,000) uploads in progress in `bucket` whose keys start with `prefix`, by key
    /// (UTF-8 bytes) then initiation: those after `keyMarker`, and, when `uploadIDMarker` names an upload of
    /// `keyMarker`, the later uploads of that key (S3 ignores `uploadIDMarker` without `keyMarker`). With a
    /// non-empty `delimiter`, uploads whose keys contain it after the prefix are rolled into one common prefix (up
    /// to and including the delimiter), which counts toward `maxUploads` like an upload; a common prefix at or
    /// before `keyMarker` is not returned again. The next markers are the last upload or common prefix returned
    /// (nil when none was).
    public func listMultipartUploads(
        bucket: String, prefix: String = "", delimiter: String? = nil, keyMarker: String? = nil, uploadIDMarker: String? = nil,
        maxUploads: Int = ObjectService.maxListParts
    ) async throws(ObjectStoreError) -> (
        uploads: [MultipartUploadRecord], commonPrefixes: [String], isTruncated: Bool, nextKeyMarker: String?, nextUploadIDMarker: String?
    ) {
        let limit = min(max(0, maxUploads), Self.maxListParts)
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        var uploads: [MultipartUploadRecord] = []
        var commonPrefixes: [String] = []
        var truncated = false
        var next: (key: String?, uploadID: String?) = (nil, nil)
        var from: (key: String?, uploadID: String?) = (keyMarker, keyMarker == nil ? nil : uploadIDMarker)
        var rolledInto: String?
        guard limit > 0 else {
            // Still tells a missing bucket apart.
            _ = try await catalogCall { () async throws(CatalogError) in
                try await catalog.listUploads(bucket: bucket, prefix: prefix, keyMarker: nil, uploadIDMarker: nil, limit: 0)
            }
            return ([], [], false, nil, nil)
        }
        fetching: while true {
            let batch = delimiter == nil ? limit - uploads.count + 1 : Self.delimitedBatch
            let position = from
            let page = try await catalogCall { () async throws(CatalogError) in
                try await catalog.listUploads(bucket: bucket, prefix: prefix, keyMarker: position.key, uploadIDMarker: position.uploadID, limit: batch)
            }
            for upload in page {
                from = (upload.key, upload.uploadID)
                if let delimiter, let common = Self.commonPrefix(of: upload.key, prefix: prefix, delimiter: delimiter) {
                    guard common != rolledInto else { continue }
                    rolledInto = common
                    if let keyMarker, !keyMarker.utf8.lexicographicallyPrecedes(common.utf8) { continue }
                    if uploads.count + commonPrefixes.count == limit {
                        truncated = true
                        break fetching
                    }
                    commonPrefixes.append(common)
                    next = (common, nil)
                    continue
                }
                if uploads.count + commonPrefixes.count == limit {
                    truncated = true
                    break fetching
                }
                uploads.append(upload)
                next = (upload.key, upload.uploadID)
            }
            if page.count < batch { break }
        }
        return (uploads, commonPrefixes, truncated, next.key, next.uploadID)
    }

    /// Completes an upload from the listed parts, as S3: numbers strictly ascending (`.invalidPartOrder`), each
    /// uploaded with that ETag, quotes optional (`.invalidPart`), each but the last at least `minimumPartSize`
    /// (`.entityTooSmall`). The object's ETag is the MD5 of the parts' binary MD5s, then `-<count>`; its
    /// Last-Modified is the upload's initiation. In one catalog transaction the object replaces the key's
    /// current record and the upload and its parts go; then the replaced object's blobs and the blobs of
    /// uploaded parts not listed are removed. `checksum` is stored as given.
    public func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts listed: [(number: Int, etag: String)], checksum: ObjectChecksum? = nil
    ) async throws(ObjectStoreError) -> StoredObject {
        let upload = try await multipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        guard !listed.isEmpty else { throw .invalidArgument("You must specify at least one part") }
        for (earlier, later) in zip(listed, listed.dropFirst()) where later.number <= earlier.number {
            throw .invalidPartOrder
        }
        let uploaded = try await catalogCall { () async throws(CatalogError) in
            try await catalog.parts(uploadID: uploadID, after: 0, limit: Self.partNumbers.upperBound)
        }
        let byNumber = Dictionary(uploaded.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        var chosen: [PartRecord] = []
        for entry in listed {
            guard let part = byNumber[entry.number], Self.sameETag(part.etag, entry.etag) else { throw .invalidPart }
            chosen.append(part)
        }
        for part in chosen.dropLast() where part.size < minimumPartSize {
            throw .entityTooSmall
        }
        var digests: [UInt8] = []
        for part in chosen {
            guard let digest = Self.md5Bytes(ofETag: part.etag) else { throw .corrupt("a part's ETag is damaged") }
            digests += digest
        }
        let etag = "\"\(SealedBlobWriter.hex(Insecure.MD5.hash(data: digests)))-\(chosen.count)\""
        // Invariant: `listed` is not empty, so neither is `chosen`.
        let first = chosen[0]
        let object = StoredObject(
            bucket: bucket, key: key, blob: first.blob, size: chosen.reduce(0) { $0 + $1.size }, etag: etag, lastModified: upload.initiated,
            contentType: upload.contentType, metadata: upload.metadata, encryption: upload.encryption, headers: upload.headers,
            checksum: checksum, tags: upload.tags,
            parts: chosen.map { ObjectPart(number: $0.number, blob: $0.blob, size: $0.size, etag: $0.etag, checksum: $0.checksum, uploadID: uploadID) })
        let completion = try await catalogCall { () async throws(CatalogError) in try await catalog.completeUpload(uploadID, as: object) }
        for part in completion.discardedParts { try? blobs.remove(part.blob) }
        if let replaced = completion.replaced { removeBlobs(of: replaced) }
        return object
    }

    /// Discards an upload: its record, its parts and their blobs. `.noSuchUpload` when it is unknown.
    public func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws(ObjectStoreError) {
        _ = try await multipartUpload(bucket: bucket, key: key, uploadID: uploadID)
        let parts = try await catalogCall { () async throws(CatalogError) in try await catalog.abortUpload(uploadID) }
        for part in parts { try? blobs.remove(part.blob) }
    }

    /// ETags compared as S3 does on completion: without the quotes, hex in either case.
    static func sameETag(_ stored: String, _ given: String) -> Bool {
        unquoted(stored).lowercased() == unquoted(given).lowercased()
    }

    private static func unquoted(_ etag: String) -> Substring {
        var text = Substring(etag.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("\"") { text = text.dropFirst() }
        if text.hasSuffix("\"") { text = text.dropLast() }
        return text
    }

    /// The 16 bytes of a quoted hex MD5 ETag.
    static func md5Bytes(ofETag etag: String) -> [UInt8]? {
        let hex = Array(unquoted(etag).utf8)
        guard hex.count == 32 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 32, by: 2) {
            guard let high = hexValue(hex[index]), let low = hexValue(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
