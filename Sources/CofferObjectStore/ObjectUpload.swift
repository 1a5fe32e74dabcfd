import CofferCore
import Foundation

/// One object being uploaded: plaintext goes in with `write`, sealed bytes go to a blob, and `complete`
/// makes it the key's current object. Constant memory: at most one chunk of plaintext is held.
public final class ObjectUpload: Sendable {
    private let service: ObjectService
    private let bucket: String
    private let key: String
    private let encryption: ObjectEncryption
    private let stream: SealedBlobWriter

    init(service: ObjectService, bucket: String, key: String, stream: SealedBlobWriter, encryption: ObjectEncryption) {
        self.service = service
        self.bucket = bucket
        self.key = key
        self.stream = stream
        self.encryption = encryption
    }

    /// Plaintext bytes so far.
    public var size: Int { stream.size }

    /// Adds plaintext.
    public func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        try stream.write(bytes)
    }

    /// Seals the rest, makes the blob durable, writes the record, and removes the blobs of the object it
    /// replaced. Returns the new record (ETag: the MD5 of the plaintext, as S3 gives for single uploads).
    public func complete(
        contentType: String? = nil, metadata: [String: String] = [:], headers: ObjectHeaders = ObjectHeaders(), tags: [S3Tag] = [],
        checksum: ObjectChecksum? = nil
    ) async throws(ObjectStoreError) -> StoredObject {
        let (blob, size, etag) = try stream.finish()
        let record = StoredObject(
            bucket: bucket, key: key, blob: blob, size: size, etag: etag, lastModified: service.now(), contentType: contentType,
            metadata: metadata, encryption: encryption, headers: headers, checksum: checksum, tags: tags)
        let replaced: StoredObject?
        do {
            replaced = try await service.catalog.putObject(record)
        } catch {
            try? service.blobs.remove(blob)
            throw ObjectStoreError(error)
        }
        if let replaced { service.removeBlobs(of: replaced) }
        return record
    }

    /// Discards the upload.
    public func abort() {
        stream.abort()
    }
}
