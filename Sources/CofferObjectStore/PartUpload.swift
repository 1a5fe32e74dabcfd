import Foundation

/// One part of a multipart upload being uploaded: like `ObjectUpload`, but `complete` records a part of the
/// upload, replacing any earlier part of the same number. Each part upload is a new sealed stream with a
/// fresh salt, so uploading a part number twice never repeats a key and nonce.
public final class PartUpload: Sendable {
    private let service: ObjectService
    private let uploadID: String
    /// The part number (1...10,000).
    public let partNumber: Int
    private let stream: SealedBlobWriter

    init(service: ObjectService, uploadID: String, partNumber: Int, stream: SealedBlobWriter) {
        self.service = service
        self.uploadID = uploadID
        self.partNumber = partNumber
        self.stream = stream
    }

    /// Plaintext bytes so far.
    public var size: Int { stream.size }

    /// Adds plaintext.
    public func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        try stream.write(bytes)
    }

    /// Seals the rest, makes the blob durable, records the part, and removes the blob of the part it replaced.
    /// `.noSuchUpload` if the upload was completed or aborted meanwhile.
    public func complete(checksum: String? = nil) async throws(ObjectStoreError) -> PartRecord {
        let (blob, size, etag) = try stream.finish()
        let record = PartRecord(number: partNumber, blob: blob, size: size, etag: etag, lastModified: service.now(), checksum: checksum)
        let replaced: PartRecord?
        do {
            replaced = try await service.catalog.putPart(record, uploadID: uploadID)
        } catch {
            try? service.blobs.remove(blob)
            throw ObjectStoreError(error)
        }
        if let replaced { try? service.blobs.remove(replaced.blob) }
        return record
    }

    /// Discards the part.
    public func abort() {
        stream.abort()
    }
}
