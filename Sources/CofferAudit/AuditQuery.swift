import Foundation

/// A LookupEvents query: one account, at most one attribute filter, an optional time range, one page.
public struct AuditQuery: Sendable, Hashable {
    /// The LookupEvents lookup attributes.
    public enum Attribute: Sendable, Hashable {
        case eventID(String)
        case eventName(String)
        case readOnly(Bool)
        case username(String)
        case resourceType(String)
        case resourceName(String)
        case eventSource(String)
        case accessKeyID(String)
    }

    /// The account whose events are searched.
    public var recipientAccount: String
    /// The single attribute filter, if any.
    public var attribute: Attribute?
    /// Events at or after this time.
    public var startTime: Date?
    /// Events at or before this time.
    public var endTime: Date?
    /// Page size, 1...50.
    public var maxResults: Int
    /// The opaque position returned by the previous page.
    public var nextToken: String?

    /// Creates a query.
    public init(
        recipientAccount: String,
        attribute: Attribute? = nil,
        startTime: Date? = nil,
        endTime: Date? = nil,
        maxResults: Int = 50,
        nextToken: String? = nil
    ) {
        self.recipientAccount = recipientAccount
        self.attribute = attribute
        self.startTime = startTime
        self.endTime = endTime
        self.maxResults = maxResults
        self.nextToken = nextToken
    }

    /// Throws `invalidQuery` unless `maxResults` is within 1...50.
    public func validate() throws {
        guard (1...50).contains(maxResults) else {
            throw AuditError(.invalidQuery, "maxResults must be between 1 and 50")
        }
    }
}
