/// Why an object operation failed, in the terms the S3 layer maps to error codes.
public enum ObjectStoreError: Error, Sendable, Equatable {
    case noSuchBucket
    case noSuchKey
    /// Another account owns a bucket of that name.
    case bucketAlreadyExists
    /// The caller's account already owns a bucket of that name.
    case bucketAlreadyOwnedByYou
    /// A bucket that still holds objects cannot be deleted.
    case bucketNotEmpty
    /// The multipart upload does not exist (never did, completed, aborted, or of another bucket or key).
    case noSuchUpload
    /// A part named at completion was not uploaded, or its ETag does not match.
    case invalidPart
    /// The parts named at completion are not in strictly ascending order.
    case invalidPartOrder
    /// A part other than the last is smaller than the minimum part size.
    case entityTooSmall
    /// The object has no part of the requested number (GET with `partNumber`).
    case invalidPartNumber
    /// A request argument is out of bounds; the message is fit for the client.
    case invalidArgument(String)
    /// The requested range does not overlap the object (S3's InvalidRange).
    case invalidRange
    /// The stored bytes failed authentication or are damaged: never returned.
    case corrupt(String)
    /// The upload was already completed or aborted.
    case uploadClosed
    /// Disk or database failure.
    case storage(String)

    /// Any failure of the layers below, in these terms.
    init(mapping error: any Error) {
        switch error {
        case let error as ObjectStoreError: self = error
        case let error as CatalogError: self.init(error)
        case let error as BlobStoreError: self.init(error)
        case let error as SealedObjectError: self.init(error)
        default: self = .storage("\(error)")
        }
    }

    init(_ error: CatalogError) {
        switch error {
        case .noSuchBucket: self = .noSuchBucket
        case .bucketAlreadyExists: self = .bucketAlreadyExists
        case .bucketAlreadyOwnedByYou: self = .bucketAlreadyOwnedByYou
        case .bucketNotEmpty: self = .bucketNotEmpty
        case .noSuchKey: self = .noSuchKey
        case .noSuchUpload: self = .noSuchUpload
        case .invalidPart: self = .invalidPart
        case .storage(let message): self = .storage(message)
        }
    }

    init(_ error: BlobStoreError) {
        switch error.code {
        case .notFound, .invalidRange: self = .corrupt(error.message)
        case .io: self = .storage(error.message)
        }
    }

    init(_ error: SealedObjectError) {
        switch error.code {
        case .corrupt: self = .corrupt(error.message)
        case .invalidArgument: self = .storage(error.message)
        }
    }
}
