/// `segments/<seq>.json`: what delivering one segment produced. Written after its log files.
struct DeliveryRecord: Codable, Sendable, Equatable {
    var segment: DigestSegment
    var logFiles: [DigestLogFile]
    /// Bytes on disk: the segment file plus its log files (retention accounting).
    var bytes: Int
}
