import Crypto
import Foundation

/// The at-rest format of an object's bytes (docs/object-format.md):
///
/// ```
/// header (48 bytes) ‖ chunk 0 ‖ chunk 1 ‖ … ‖ chunk n-1
/// header = "CFOB" ‖ version 1 ‖ 0 ‖ chunk size (UInt32 BE) ‖ salt (32) ‖ nonce prefix (4) ‖ 0 0
/// chunk i = AES-256-GCM(key, nonce_i, aad = header, plaintext_i) ‖ tag (16)
/// key = HKDF-SHA256(data key, salt, info = "coffer-object-v1" ‖ 0x00 ‖ binding)
/// nonce_i = nonce prefix ‖ UInt64 BE (i, top bit set on the final chunk)
/// ```
///
/// Every chunk but the last holds exactly `chunkSize` plaintext bytes; the last holds 0...chunkSize
/// (0 only for an empty object). Each stream (an object, or one upload of one multipart part) draws a
/// fresh salt, so no two streams share a key even under the same data key, and within a stream each
/// nonce is used once. The index in the nonce stops reordering, the final bit stops truncation and
/// extension, and the key's binding (e.g. bucket, key, upload and part) stops splicing between objects.
public enum SealedObjectFormat {
    /// `CFOB`.
    static let magic: [UInt8] = [0x43, 0x46, 0x4F, 0x42]
    static let version: UInt8 = 1
    /// Bytes before the first chunk.
    public static let headerSize = 48
    /// The AES-GCM tag after each chunk.
    public static let tagSize = 16
    /// The default and largest plaintext bytes per chunk.
    public static let maxChunkSize = 64 * 1024
    /// The smallest chunk size a header may declare.
    public static let minChunkSize = 1024
    static let saltSize = 32
    static let noncePrefixSize = 4
    static let finalBit: UInt64 = 1 << 63
    /// A chunk index must stay below the final bit.
    static let maxChunks: UInt64 = 1 << 62

    /// How many chunks a plaintext of `length` bytes takes (at least one).
    public static func chunkCount(plaintextLength length: Int, chunkSize: Int) -> Int {
        max(1, (length + chunkSize - 1) / chunkSize)
    }

    /// The stored size of a plaintext of `length` bytes.
    public static func sealedSize(plaintextLength length: Int, chunkSize: Int) -> Int {
        headerSize + length + tagSize * chunkCount(plaintextLength: length, chunkSize: chunkSize)
    }

    /// The plaintext length of a stored object of `size` bytes, or nil if no plaintext length seals to exactly
    /// that size.
    public static func plaintextLength(sealedSize size: Int, chunkSize: Int) -> Int? {
        guard chunkSize >= 1, size >= headerSize + tagSize else { return nil }
        let body = size - headerSize
        let chunks = (body + chunkSize + tagSize - 1) / (chunkSize + tagSize)
        let length = body - tagSize * chunks
        guard length >= 0, sealedSize(plaintextLength: length, chunkSize: chunkSize) == size else { return nil }
        return length
    }

    /// Which chunks hold the plaintext bytes `range` of an object of `length` bytes, where they are stored,
    /// and how many plaintext bytes of the first of them to skip.
    public static func chunkSpan(of range: Range<Int>, plaintextLength length: Int, chunkSize: Int) -> ChunkSpan? {
        guard range.lowerBound >= 0, range.upperBound <= length, !range.isEmpty else { return nil }
        let first = range.lowerBound / chunkSize
        let last = (range.upperBound - 1) / chunkSize
        let start = headerSize + first * (chunkSize + tagSize)
        let count = chunkCount(plaintextLength: length, chunkSize: chunkSize)
        let end = last == count - 1
            ? sealedSize(plaintextLength: length, chunkSize: chunkSize)
            : headerSize + (last + 1) * (chunkSize + tagSize)
        return ChunkSpan(
            chunks: first..<(last + 1), sealedBytes: start..<end, skip: range.lowerBound - first * chunkSize,
            plaintextCount: range.count, finalChunk: count - 1)
    }

    /// The chunks a ranged read decrypts.
    public struct ChunkSpan: Sendable, Equatable {
        /// Chunk indexes, in order.
        public var chunks: Range<Int>
        /// Where those chunks are stored in the sealed object.
        public var sealedBytes: Range<Int>
        /// Plaintext bytes of the first chunk before the range.
        public var skip: Int
        /// Plaintext bytes the range holds.
        public var plaintextCount: Int
        /// The object's last chunk index.
        public var finalChunk: Int
    }

    /// The per-stream key.
    static func streamKey(dataKey: SymmetricKey, salt: some DataProtocol, binding: [UInt8]) -> SymmetricKey {
        var info = Array("coffer-object-v1".utf8)
        info.append(0)
        info.append(contentsOf: binding)
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: dataKey, salt: salt, info: info, outputByteCount: 32)
    }

    /// The nonce of chunk `index`.
    static func nonce(prefix: ArraySlice<UInt8>, index: UInt64, final: Bool) throws(SealedObjectError) -> AES.GCM.Nonce {
        var bytes = Array(prefix)
        let value = index | (final ? finalBit : 0)
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        do {
            return try AES.GCM.Nonce(data: bytes)
        } catch {
            throw SealedObjectError(.corrupt, "invalid chunk nonce")
        }
    }
}
