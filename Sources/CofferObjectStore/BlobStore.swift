/// Where sealed object streams live. An object becomes visible only through its metadata record,
/// which names a blob after the blob is durable.
public protocol BlobStore: Sendable {
    /// Starts a new blob; nothing is visible until `commit()`.
    func makeWriter() throws(BlobStoreError) -> any BlobWriter
    /// Bytes `range` of a committed blob.
    func read(_ id: BlobID, range: Range<Int>) throws(BlobStoreError) -> [UInt8]
    /// The size of a committed blob.
    func size(of id: BlobID) throws(BlobStoreError) -> Int
    /// Deletes a blob (no error if it is already gone).
    func remove(_ id: BlobID) throws(BlobStoreError)
    /// Every committed blob, for sweeping blobs no metadata record names.
    func allBlobs() throws(BlobStoreError) -> [BlobID]
}

/// Writes one blob: `append` any number of times, then `commit` (durable, then visible under its id) or
/// `abort`. A writer dropped without either leaves only a temporary file, removed at the next start.
public protocol BlobWriter: AnyObject, Sendable {
    func append(_ bytes: [UInt8]) throws(BlobStoreError)
    /// Makes the blob durable and returns its id.
    func commit() throws(BlobStoreError) -> BlobID
    /// Discards what was written.
    func abort()
}

/// A blob's name: 32 lowercase hex characters of randomness.
public struct BlobID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only the 32-hex form, so an id read from metadata can never name a path outside the store.
    public init?(_ text: String) {
        guard text.utf8.count == 32, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return nil
        }
        rawValue = text
    }

    /// A fresh random id.
    public static func random() -> BlobID {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        let text = String(decoding: (0..<32).map { _ in digits[Int((generator.next() as UInt8) & 0x0F)] }, as: UTF8.self)
        // Invariant: 32 lowercase hex digits always parse.
        return BlobID(text)!
    }

    public var description: String { rawValue }
}

/// A blob store failure (I/O or a missing blob). Messages name paths, never contents.
public struct BlobStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case io
        case notFound
        case invalidRange
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
