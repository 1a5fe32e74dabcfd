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

    public init(catalog: any ObjectCatalog, blobs: any BlobStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.catalog = catalog
        self.blobs = blobs
        self.now = now
    }

    /// What ties a stream to its object: bucket and key, each length-prefixed.
    static func binding(bucket: String, key: String) -> [UInt8] {
        var bytes = Array("object".utf8)
        for part in [bucket, key] {
            withUnsafeBytes(of: UInt32(part.utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: part.utf8)
        }
        return bytes
    }

    /// Starts an upload of `key` into `bucket` sealed under `dataKey`.
    public func upload(bucket: String, key: String, dataKey: SymmetricKey, encryption: ObjectEncryption) async throws(ObjectStoreError) -> ObjectUpload {
        let found: S3Bucket?
        do {
            found = try await catalog.bucket(named: bucket)
        } catch {
            throw ObjectStoreError(error)
        }
        guard found != nil else { throw .noSuchBucket }
        do {
            let sealer = try ObjectSealer(dataKey: dataKey, binding: Self.binding(bucket: bucket, key: key))
            let writer = try blobs.makeWriter()
            return ObjectUpload(service: self, bucket: bucket, key: key, sealer: sealer, writer: writer, encryption: encryption)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }

    /// The current record of `key`.
    public func object(bucket: String, key: String) async throws(ObjectStoreError) -> StoredObject {
        let record: StoredObject?
        do {
            guard try await catalog.bucket(named: bucket) != nil else { throw ObjectStoreError.noSuchBucket }
            record = try await catalog.object(bucket: bucket, key: key)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
        guard let record else { throw .noSuchKey }
        return record
    }

    /// A reader of `range` (the whole object when nil) of `object`, which must be the record `object(bucket:key:)`
    /// returned; `dataKey` is its data key.
    public func reader(for object: StoredObject, dataKey: SymmetricKey, range: Range<Int>? = nil) throws(ObjectStoreError) -> ObjectReader {
        try ObjectReader(object: object, dataKey: dataKey, range: range, blobs: blobs)
    }

    /// Deletes `key` (no error when it does not exist, as S3 answers 204 either way).
    public func delete(bucket: String, key: String) async throws(ObjectStoreError) {
        let removed: StoredObject?
        do {
            guard try await catalog.bucket(named: bucket) != nil else { throw ObjectStoreError.noSuchBucket }
            removed = try await catalog.deleteObject(bucket: bucket, key: key)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
        if let removed { try? blobs.remove(removed.blob) }
    }

    /// Deletes blobs that no record names and that are not being written (at startup, after a crash
    /// between a blob's commit and its record).
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
}
