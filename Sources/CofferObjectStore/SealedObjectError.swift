/// Why sealing or opening an object failed. Messages never hold key material or plaintext.
public struct SealedObjectError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The stored bytes are not a valid sealed object: wrong header, size, or a chunk that does not
        /// authenticate (tampering, truncation, reordering, or the wrong key or binding).
        case corrupt
        /// The caller used the API wrongly (e.g. an unsupported chunk size, a range outside the object).
        case invalidArgument
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
