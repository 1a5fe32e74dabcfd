import Crypto
import Foundation
import Synchronization

/// One sealed stream being written to a blob, with the MD5 of its plaintext alongside (or, where S3's ETag is
/// not an MD5, a random one): the common half of `ObjectUpload` and `PartUpload`. Constant memory: at most one
/// chunk of plaintext is held.
final class SealedBlobWriter: Sendable {
    private struct State {
        var sealer: ObjectSealer
        var md5: Insecure.MD5?
        var closed = false
    }

    private let writer: any BlobWriter
    private let state: Mutex<State>

    init(sealer: ObjectSealer, writer: any BlobWriter, md5ETag: Bool) {
        self.writer = writer
        self.state = Mutex(State(sealer: sealer, md5: md5ETag ? Insecure.MD5() : nil))
    }

    deinit {
        writer.abort()
    }

    /// Plaintext bytes so far.
    var size: Int { state.withLock { $0.sealer.plaintextLength } }

    /// Seals `bytes` and appends what completes chunks to the blob.
    func write(_ bytes: [UInt8]) throws(ObjectStoreError) {
        let sealed: Result<[UInt8], ObjectStoreError> = state.withLock { state in
            guard !state.closed else { return .failure(.uploadClosed) }
            state.md5?.update(data: bytes)
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

    /// Seals the rest and makes the blob durable. Returns it with the plaintext size and the quoted hex MD5
    /// of the plaintext (S3's ETag of a single upload or of a part).
    func finish() throws(ObjectStoreError) -> (blob: BlobID, size: Int, etag: String) {
        let finished: Result<(tail: [UInt8], size: Int, etag: String), ObjectStoreError> = state.withLock { state in
            guard !state.closed else { return .failure(.uploadClosed) }
            state.closed = true
            do throws(SealedObjectError) {
                let tail = try state.sealer.finish()
                var generator = SystemRandomNumberGenerator()
                let digest = state.md5.map { Array($0.finalize()) } ?? (0..<16).map { _ in generator.next() as UInt8 }
                return .success((tail, state.sealer.plaintextLength, "\"\(Self.hex(digest))\""))
            } catch {
                return .failure(ObjectStoreError(error))
            }
        }
        let (tail, size, etag) = try finished.get()
        do {
            try writer.append(tail)
            return (try writer.commit(), size, etag)
        } catch {
            writer.abort()
            throw ObjectStoreError(error)
        }
    }

    /// Discards what was written.
    func abort() {
        state.withLock { $0.closed = true }
        writer.abort()
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

