import CofferCore
import CofferObjectStore
import Crypto
import Foundation

/// CopyObject and UploadPartCopy: the source is opened with its own key (the caller needs s3:GetObject on it,
/// and its SSE-C key if it has one) and re-sealed under the destination's, so a copy can move an object
/// between any SSE modes. Bytes stream through; nothing is held whole.
extension S3Service {
    /// What a copy reads.
    public struct CopySource: Sendable {
        public var bucket: String
        public var key: String
        public var customerKey: [UInt8]?
        public init(bucket: String, key: String, customerKey: [UInt8]?) {
            self.bucket = bucket
            self.key = key
            self.customerKey = customerKey
        }
    }

    /// Opens a copy source for reading (s3:GetObject on it).
    public func openCopySource(_ source: CopySource, caller: Caller) async throws(S3Error) -> (object: StoredObject, dataKey: SymmetricKey) {
        let opened = try await openObject(bucket: source.bucket, key: source.key, customerKey: source.customerKey, caller: caller, copySource: true)
        guard let dataKey = opened.dataKey else { throw .internalError }
        return (opened.object, dataKey)
    }

    /// Streams `range` of `source` (opened with `dataKey`) into `write`.
    public func copyBytes(
        of source: StoredObject, dataKey: SymmetricKey, range: Range<Int>? = nil, into write: ([UInt8]) throws(ObjectStoreError) -> Void
    ) throws(S3Error) {
        do {
            var reader = try objects.reader(for: source, dataKey: dataKey, range: range)
            while let piece = try reader.next() { try write(piece) }
        } catch {
            throw S3Error(error, bucket: source.bucket, key: source.key)
        }
    }
}
