import Crypto
import Foundation

/// Objects at rest: every upload is sealed (docs/object-format.md) into a blob that becomes visible only
/// when its catalog record is written, after the blob is durable. The service does not know SSE modes:
/// the caller brings each object's data key and the record of how that key is kept (`ObjectEncryption`),
/// and brings the data key back to read.
public final class ObjectService: Sendable {
    let catalog: any ObjectCatalog
    let blobs: any BlobStore
    let now: @Sendable () -> Date
    /// The smallest size of a multipart part other than the last (S3: 5 MiB).
    public let minimumPartSize: Int

    /// S3's minimum part size, 5 MiB.
    public static let defaultMinimumPartSize = 5 * 1024 * 1024

    public init(
        catalog: any ObjectCatalog, blobs: any BlobStore, minimumPartSize: Int = ObjectService.defaultMinimumPartSize,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.catalog = catalog
        self.blobs = blobs
        self.minimumPartSize = minimumPartSize
        self.now = now
    }

    /// What ties a single-PUT stream to its object: bucket and key, each length-prefixed.
    static func binding(bucket: String, key: String) -> [UInt8] {
        var bytes = Array("object".utf8)
        for field in [bucket, key] { appendLengthPrefixed(field, to: &bytes) }
        return bytes
    }

    /// What ties a part's stream to its upload: bucket, key and upload id, each length-prefixed, then the part
    /// number (UInt32 big-endian).
    static func binding(bucket: String, key: String, uploadID: String, partNumber: Int) -> [UInt8] {
        var bytes = Array("part".utf8)
        for field in [bucket, key, uploadID] { appendLengthPrefixed(field, to: &bytes) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: partNumber).bigEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    private static func appendLengthPrefixed(_ field: String, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt32(field.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: field.utf8)
    }

    /// Starts an upload of `key` into `bucket` sealed under `dataKey`.
    /// With `md5ETag` false (SSE-KMS and SSE-C objects, whose S3 ETags are not digests of their data) the
    /// ETag is random and no MD5 is computed.
    public func upload(
        bucket: String, key: String, dataKey: SymmetricKey, encryption: ObjectEncryption, md5ETag: Bool = true
    ) async throws(ObjectStoreError) -> ObjectUpload {
        try await requireBucket(bucket)
        let stream = try makeStream(dataKey: dataKey, binding: Self.binding(bucket: bucket, key: key), md5ETag: md5ETag)
        return ObjectUpload(service: self, bucket: bucket, key: key, stream: stream, encryption: encryption)
    }

    /// The current record of `key`.
    public func object(bucket: String, key: String) async throws(ObjectStoreError) -> StoredObject {
        try await requireBucket(bucket)
        guard let record = try await catalogCall({ () async throws(CatalogError) in try await catalog.object(bucket: bucket, key: key) }) else {
            throw .noSuchKey
        }
        return record
    }

    /// A reader of `range` (the whole object when nil) of `object`, which must be the record `object(bucket:key:)`
    /// returned; `dataKey` is its data key.
    public func reader(for object: StoredObject, dataKey: SymmetricKey, range: Range<Int>? = nil) throws(ObjectStoreError) -> ObjectReader {
        try ObjectReader(object: object, dataKey: dataKey, range: range, blobs: blobs)
    }

    /// The plaintext bytes of part `partNumber` (GET and HEAD with `partNumber`): a single-PUT object has
    /// exactly part 1, the whole object. `.invalidPartNumber` for any other number.
    public func partRange(of object: StoredObject, partNumber: Int) throws(ObjectStoreError) -> Range<Int> {
        guard !object.parts.isEmpty else {
            guard partNumber == 1 else { throw .invalidPartNumber }
            return 0..<object.size
        }
        var start = 0
        for part in object.parts {
            if part.number == partNumber { return start..<(start + part.size) }
            start += part.size
        }
        throw .invalidPartNumber
    }

    /// Deletes `key` (no error when it does not exist, as S3 answers 204 either way).
    public func delete(bucket: String, key: String) async throws(ObjectStoreError) {
        try await requireBucket(bucket)
        let removed = try await catalogCall { () async throws(CatalogError) in try await catalog.deleteObject(bucket: bucket, key: key) }
        if let removed { removeBlobs(of: removed) }
    }

    /// Deletes blobs that no record names, neither an object nor a part of an upload in progress, and that are
    /// not being written (at startup, after a crash between a blob's commit and its record).
    public func sweepOrphans() async throws(ObjectStoreError) -> Int {
        do {
            let referenced = try await catalog.referencedBlobs()
            var removed = 0
            for id in try blobs.allBlobs() where !referenced.contains(id) {
                try blobs.remove(id)
                removed += 1
            }
            return removed
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }

    // MARK: Shared steps

    /// A new sealed stream into a new blob.
    func makeStream(dataKey: SymmetricKey, binding: [UInt8], md5ETag: Bool = true) throws(ObjectStoreError) -> SealedBlobWriter {
        do {
            return SealedBlobWriter(sealer: try ObjectSealer(dataKey: dataKey, binding: binding), writer: try blobs.makeWriter(), md5ETag: md5ETag)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }

    /// Best-effort removal of an object's blobs once its record is gone (a leftover is swept later).
    func removeBlobs(of object: StoredObject) {
        for blob in object.blobs { try? blobs.remove(blob) }
    }

    /// `.noSuchBucket` unless `bucket` exists.
    func requireBucket(_ bucket: String) async throws(ObjectStoreError) {
        guard try await catalogCall({ () async throws(CatalogError) in try await catalog.bucket(named: bucket) }) != nil else {
            throw .noSuchBucket
        }
    }

    /// Runs a catalog call, its failure in `ObjectStoreError` terms.
    func catalogCall<T>(_ body: () async throws(CatalogError) -> T) async throws(ObjectStoreError) -> T {
        do {
            return try await body()
        } catch {
            throw ObjectStoreError(error)
        }
    }
}
