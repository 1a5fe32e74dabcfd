import Foundation

/// One event as the trail stores it: the complete CloudTrail record JSON (one object, no trailing newline,
/// built by the caller) plus the fields LookupEvents filters on.
public struct AuditRecord: Sendable, Hashable {
    /// The event's UUID string (CloudTrail `eventID`).
    public var eventID: String
    /// When the event happened; the trail keeps millisecond precision.
    public var eventTime: Date
    /// The service, e.g. `kms.amazonaws.com`.
    public var eventSource: String
    /// The API action, e.g. `Encrypt`.
    public var eventName: String
    /// The 12-digit account whose trail the event belongs to.
    public var recipientAccount: String
    /// The region, e.g. `us-east-1`.
    public var region: String
    /// The caller's user name, if any.
    public var username: String?
    /// The access key the request was signed with, if any.
    public var accessKeyID: String?
    /// Whether the action only reads.
    public var readOnly: Bool
    /// The resources the event touched.
    public var resources: [AuditResource]
    /// The complete CloudTrail record: one JSON object, no line breaks.
    public var json: [UInt8]

    /// Creates a record from its lookup fields and its CloudTrail JSON bytes.
    public init(
        eventID: String,
        eventTime: Date,
        eventSource: String,
        eventName: String,
        recipientAccount: String,
        region: String,
        username: String? = nil,
        accessKeyID: String? = nil,
        readOnly: Bool,
        resources: [AuditResource] = [],
        json: [UInt8]
    ) {
        self.eventID = eventID
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.eventName = eventName
        self.recipientAccount = recipientAccount
        self.region = region
        self.username = username
        self.accessKeyID = accessKeyID
        self.readOnly = readOnly
        self.resources = resources
        self.json = json
    }
}
