/// A failure of the audit trail. Messages name files and operations, never event contents or keys.
public struct AuditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The record cannot be stored (bad account, region, size or JSON framing).
        case invalidRecord
        /// A lookup query is malformed (e.g. `maxResults` outside 1...50).
        case invalidQuery
        /// A lookup `nextToken` is not one this index issued.
        case invalidNextToken
        /// A file operation (write, fsync, rename, read) failed.
        case io
        /// Stored audit data is damaged in a way recovery must not paper over.
        case corrupt
        /// The trail refuses appends after an unrecoverable write failure; restart to recover.
        case unavailable
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation without secrets.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "audit \(code.rawValue): \(message)" }
}
