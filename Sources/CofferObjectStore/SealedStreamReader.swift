import Crypto
import Foundation

/// Reads a plaintext range of one sealed stream (a single-PUT object or one part) chunk by chunk: each `next()`
/// reads one sealed chunk from the blob, authenticates it, and returns the part of it inside the range.
struct SealedStreamReader: Sendable {
    private let opener: ObjectOpener
    private let span: SealedObjectFormat.ChunkSpan?
    private let blob: BlobID
    private let blobs: any BlobStore
    private var chunk = 0
    private var offset = 0
    private var produced = 0

    /// Checks the stream's header and stored size before anything is read; `range` must lie inside
    /// 0..<`length`.
    init(blob: BlobID, binding: [UInt8], length: Int, range: Range<Int>, dataKey: SymmetricKey, blobs: any BlobStore) throws(ObjectStoreError) {
        self.blob = blob
        self.blobs = blobs
        do {
            let header = try blobs.read(blob, range: 0..<SealedObjectFormat.headerSize)
            let opener = try ObjectOpener(dataKey: dataKey, header: header, binding: binding)
            let expected = SealedObjectFormat.sealedSize(plaintextLength: length, chunkSize: opener.chunkSize)
            guard try blobs.size(of: blob) == expected else { throw ObjectStoreError.corrupt("the stored object has the wrong size") }
            self.opener = opener
            if range.isEmpty {
                // Still authenticate something: an empty read of an empty stream opens its only chunk.
                span = nil
                if length == 0 {
                    _ = try opener.open(chunk: try blobs.read(blob, range: SealedObjectFormat.headerSize..<expected), index: 0, final: true)
                }
            } else {
                guard let span = SealedObjectFormat.chunkSpan(of: range, plaintextLength: length, chunkSize: opener.chunkSize) else {
                    throw ObjectStoreError.invalidRange
                }
                self.span = span
                chunk = span.chunks.lowerBound
                offset = span.sealedBytes.lowerBound
            }
        } catch {
            throw ObjectStoreError(mapping: error)
        }
    }

    /// The next piece of the range, or nil at its end.
    mutating func next() throws(ObjectStoreError) -> [UInt8]? {
        guard let span, chunk < span.chunks.upperBound else { return nil }
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
