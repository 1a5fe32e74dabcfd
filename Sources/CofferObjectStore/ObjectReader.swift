import Crypto
import Foundation

/// Reads a plaintext range of a stored object chunk by chunk: each `next()` reads one sealed chunk from the
/// blob, authenticates it, and returns the part of it inside the range. Damaged bytes are never returned.
public struct ObjectReader: Sendable {
    /// The plaintext range being read.
    public let range: Range<Int>
    private let opener: ObjectOpener?
    private let span: SealedObjectFormat.ChunkSpan?
    private let blob: BlobID
    private let blobs: any BlobStore
    private var chunk: Int
    private var offset: Int
    private var produced = 0

    init(object: StoredObject, dataKey: SymmetricKey, range requested: Range<Int>?, blobs: any BlobStore) throws(ObjectStoreError) {
        let range = requested ?? 0..<object.size
        guard range.lowerBound >= 0, range.upperBound <= object.size else { throw .invalidRange }
        self.range = range
        self.blob = object.blob
        self.blobs = blobs
        do {
            let header = try blobs.read(object.blob, range: 0..<SealedObjectFormat.headerSize)
            let opener = try ObjectOpener(dataKey: dataKey, header: header, binding: ObjectService.binding(bucket: object.bucket, key: object.key))
            let expected = SealedObjectFormat.sealedSize(plaintextLength: object.size, chunkSize: opener.chunkSize)
            guard try blobs.size(of: object.blob) == expected else { throw ObjectStoreError.corrupt("the stored object has the wrong size") }
            self.opener = opener
            if range.isEmpty {
                // Still authenticate something: an empty read of an empty object opens its only chunk.
                self.span = nil
                if object.size == 0 {
                    _ = try opener.open(chunk: try blobs.read(object.blob, range: SealedObjectFormat.headerSize..<expected), index: 0, final: true)
                }
                chunk = 0
                offset = 0
            } else {
                // Invariant: a non-empty range inside the object always has a span.
                let span = SealedObjectFormat.chunkSpan(of: range, plaintextLength: object.size, chunkSize: opener.chunkSize)!
                self.span = span
                chunk = span.chunks.lowerBound
                offset = span.sealedBytes.lowerBound
            }
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }

    /// The next piece of the range, or nil at its end.
    public mutating func next() throws(ObjectStoreError) -> [UInt8]? {
        guard let span, let opener, chunk < span.chunks.upperBound else { return nil }
        let final = chunk == span.finalChunk
        let end = final ? span.sealedBytes.upperBound : offset + opener.chunkSize + SealedObjectFormat.tagSize
        let plaintext: [UInt8]
        do {
            plaintext = try opener.open(chunk: try blobs.read(blob, range: offset..<end), index: chunk, final: final)
        } catch {
            throw ObjectStoreError(mapping: error)
        }
        let from = chunk == span.chunks.lowerBound ? span.skip : 0
        let count = min(plaintext.count - from, span.plaintextCount - produced)
        chunk += 1
        offset = end
        produced += count
        return Array(plaintext[from..<(from + count)])
    }
}
