/// A delivered CloudTrail log file as digests and delivery records list it.
struct DigestLogFile: Codable, Sendable, Equatable {
    /// Path relative to the trail directory.
    var s3Object: String
    /// SHA-256 hex of the `.json.gz` bytes.
    var hashValue: String
    var recipientAccountId: String
    var awsRegion: String
    var segmentSequence: UInt64
    var events: Int
    var oldestEventTime: String
    var newestEventTime: String
    /// Chain values of the file's first and last events (in the trail-wide chain).
    var firstEventChain: String
    var lastEventChain: String
}
