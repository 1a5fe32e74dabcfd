import Crypto
import Foundation

/// Reads a plaintext range of a stored object chunk by chunk: each `next()` reads one sealed chunk from a
/// blob, authenticates it, and returns the part of it inside the range. A multipart object is read part by
/// part; only the parts the range overlaps are opened, and in each only the chunks it touches. Damaged bytes
/// are never returned.
public struct ObjectReader: Sendable {
    /// One stream the range overlaps, and the overlap in that stream's plaintext.
    private struct Segment: Sendable {
        var blob: BlobID
        var binding: [UInt8]
        var length: Int
        var range: Range<Int>
    }

    /// The plaintext range being read.
    public let range: Range<Int>
    private let segments: [Segment]
    private let dataKey: SymmetricKey
    private let blobs: any BlobStore
    private var index = 0
    private var current: SealedStreamReader?

    init(object: StoredObject, dataKey: SymmetricKey, range requested: Range<Int>?, blobs: any BlobStore) throws(ObjectStoreError) {
        let range = requested ?? 0..<object.size
        guard range.lowerBound >= 0, range.upperBound <= object.size else { throw .invalidRange }
        self.range = range
        self.dataKey = dataKey
        self.blobs = blobs
        if object.parts.isEmpty {
            segments = [
                Segment(blob: object.blob, binding: ObjectService.binding(bucket: object.bucket, key: object.key), length: object.size, range: range)
            ]
        } else {
            guard object.parts.reduce(0, { $0 + $1.size }) == object.size else {
                throw .corrupt("the object's parts do not add up to its size")
            }
            var segments: [Segment] = []
            var start = 0
            for part in object.parts {
                let end = start + part.size
                if start < range.upperBound, range.lowerBound < end {
                    let binding = ObjectService.binding(bucket: object.bucket, key: object.key, uploadID: part.uploadID, partNumber: part.number)
                    segments.append(
                        Segment(
                            blob: part.blob, binding: binding, length: part.size,
                            range: (max(range.lowerBound, start) - start)..<(min(range.upperBound, end) - start)))
                }
                start = end
            }
            if segments.isEmpty, let first = object.parts.first {
                // An empty range still opens a stream, to check the key and the stored size.
                let binding = ObjectService.binding(bucket: object.bucket, key: object.key, uploadID: first.uploadID, partNumber: first.number)
                segments = [Segment(blob: first.blob, binding: binding, length: first.size, range: 0..<0)]
            }
            self.segments = segments
        }
        // Open the first stream now, so a wrong key or a damaged blob fails before any byte is sent.
        if let first = segments.first { current = try open(first) }
    }

    /// The next piece of the range, or nil at its end.
    public mutating func next() throws(ObjectStoreError) -> [UInt8]? {
        while index < segments.count {
            if current == nil { current = try open(segments[index]) }
            if let piece = try current?.next() { return piece }
            current = nil
            index += 1
        }
        return nil
    }

    private func open(_ segment: Segment) throws(ObjectStoreError) -> SealedStreamReader {
        try SealedStreamReader(blob: segment.blob, binding: segment.binding, length: segment.length, range: segment.range, dataKey: dataKey, blobs: blobs)
    }
}
