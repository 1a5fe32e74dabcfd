/// One thing the verifier found wrong.
public struct AuditProblem: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A log file's (or segment's) bytes differ from what its digest lists.
        case logFileModified
        /// A listed log file (or segment) is gone and was not pruned.
        case logFileMissing
        /// A log file (or segment) that should be in a digest is in none.
        case logFileUnlisted
        /// An event's bytes differ from the chained original (same eventID).
        case eventModified
        /// A chained event is absent from its log file.
        case eventDeleted
        /// A log file holds an event the chain does not.
        case eventInserted
        /// A log file holds the right events in the wrong order.
        case eventsReordered
        /// A log file holds the content listed for another log file.
        case filesReordered
        /// A digest's bytes differ from what the next digest recorded, or no longer match their signature.
        case digestModified
        /// A digest referenced by the next digest is gone.
        case digestMissing
        /// A digest's signature is missing, or does not verify with the given key and is not the one recorded.
        case digestSignatureInvalid
        /// Digests, or the segments they list, do not link up (sequence, time, previous digest, chain).
        case digestChainBroken
        /// A segment ends early: events the digest lists are not in it.
        case segmentTruncated
    }

    /// What is wrong.
    public var kind: Kind
    /// The file concerned, relative to the trail directory.
    public var file: String
    /// The event concerned: its eventID, or `#n` (1-based position) when it has none.
    public var event: String?
    /// A human-readable explanation.
    public var detail: String

    /// Creates a problem.
    public init(kind: Kind, file: String, event: String? = nil, detail: String) {
        self.kind = kind
        self.file = file
        self.event = event
        self.detail = detail
    }

    public var description: String {
        "\(kind.rawValue): \(file)" + (event.map { " event \($0)" } ?? "") + ": \(detail)"
    }
}
