/// Why an object operation failed, in the terms the S3 layer maps to error codes.
public enum ObjectStoreError: Error, Sendable, Equatable {
    case noSuchBucket
    case noSuchKey
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
        case .bucketAlreadyExists, .bucketAlreadyOwnedByYou, .bucketNotEmpty: self = .storage("unexpected bucket state")
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
