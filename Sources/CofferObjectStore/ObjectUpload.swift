import Crypto
import Foundation
import Synchronization

/// One object being uploaded: plaintext goes in with `write`, sealed bytes go to a blob, and `complete`
/// makes it the key's current object. Constant memory: at most one chunk of plaintext is held.
public final class ObjectUpload: Sendable {
    private struct State {
        var sealer: ObjectSealer
        var md5 = Insecure.MD5()
        var closed = false
    }

    private let service: ObjectService
    private let bucket: String
    private let key: String
    private let writer: any BlobWriter
    private let encryption: ObjectEncryption
    private let state: Mutex<State>

    init(service: ObjectService, bucket: String, key: String, sealer: ObjectSealer, writer: any BlobWriter, encryption: ObjectEncryption) {
        self.service = service
        self.bucket = bucket
        self.key = key
        self.writer = writer
        self.encryption = encryption
        self.state = Mutex(State(sealer: sealer))
    }

    deinit {
        writer.abort()
    }

    /// Plaintext bytes so far.
    public var size: Int { state.withLock { $0.sealer.plaintextLength } }

    /// Adds plaintext.
    public func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        let sealed: Result<[UInt8], ObjectStoreError> = state.withLock { state in
            guard !state.closed else { return .failure(.uploadClosed) }
            state.md5.update(data: bytes)
            do throws(SealedObjectError) {
                return .success(try state.sealer.seal(bytes))
            } catch {
                return .failure(ObjectStoreError(error))
            }
        }
        let output = try sealed.get()
        guard !output.isEmpty else { return }
        do {
            try writer.append(output)
        } catch {
            throw ObjectStoreError(error)
        }
    }

    /// Seals the rest, makes the blob durable, writes the record, and removes the blob of the object it
    /// replaced. Returns the new record (ETag: the MD5 of the plaintext, as S3 gives for single uploads).
    public func complete(contentType: String? = nil, metadata: [String: String] = [:]) async throws(ObjectStoreError) -> StoredObject {
        let finished: Result<(tail: [UInt8], size: Int, etag: String), ObjectStoreError> = state.withLock { state in
            guard !state.closed else { return .failure(.uploadClosed) }
            state.closed = true
            do throws(SealedObjectError) {
                let tail = try state.sealer.finish()
                let digest = state.md5.finalize().map { String(format: "%02x", $0) }.joined()
                return .success((tail, state.sealer.plaintextLength, "\"\(digest)\""))
            } catch {
                return .failure(ObjectStoreError(error))
            }
        }
        let (tail, size, etag) = try finished.get()
        let blob: BlobID
        do {
            try writer.append(tail)
            blob = try writer.commit()
        } catch {
            writer.abort()
            throw ObjectStoreError(error)
        }
        let record = StoredObject(
            bucket: bucket, key: key, blob: blob, size: size, etag: etag, lastModified: service.now(), contentType: contentType,
            metadata: metadata, encryption: encryption)
        let replaced: StoredObject?
        do {
            replaced = try await service.catalog.putObject(record)
        } catch {
            try? service.blobs.remove(blob)
            throw ObjectStoreError(error)
        }
        if let replaced { try? service.blobs.remove(replaced.blob) }
        return record
    }

    /// Discards the upload.
    public func abort() {
        state.withLock { $0.closed = true }
        writer.abort()
    }
}
