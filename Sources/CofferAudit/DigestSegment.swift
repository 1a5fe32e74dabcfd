/// A closed segment as digests and delivery records list it.
struct DigestSegment: Codable, Sendable, Equatable {
    /// `segments/<16-digit sequence>.log`
    var segment: String
    var sequence: UInt64
    /// SHA-256 hex of the segment file's bytes.
    var hashValue: String
    /// The chain value the segment starts from (the previous segment's last, or zeros).
    var previousChain: String
    /// The chain value of the segment's last event (equals `previousChain` when empty).
    var lastChain: String
    var events: Int
    var openedTime: String
    var closedTime: String
}
