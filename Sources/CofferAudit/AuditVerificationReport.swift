/// What `AuditVerifier.verify` checked and found.
public struct AuditVerificationReport: Sendable, CustomStringConvertible {
    /// Digests whose signature verified and whose bytes match what their successor recorded.
    public var digestsVerified = 0
    /// Log files whose SHA-256 matches their digest.
    public var logFilesVerified = 0
    /// Events found in their log file, in order, byte-identical to the chained copy in a verified segment.
    public var eventsVerified = 0
    /// Everything wrong; empty means the trail is intact.
    public var problems: [AuditProblem] = []

    /// Whether no problem was found.
    public var isValid: Bool { problems.isEmpty }

    /// An empty report.
    public init() {}

    /// The problems of one kind.
    public func problems(_ kind: AuditProblem.Kind) -> [AuditProblem] {
        problems.filter { $0.kind == kind }
    }

    /// One line per problem, then the counts.
    public var description: String {
        var lines = problems.map(\.description)
        lines.append(
            "\(isValid ? "VALID" : "INVALID"): \(digestsVerified) digests, \(logFilesVerified) log files, "
                + "\(eventsVerified) events verified; \(problems.count) problems")
        return lines.joined(separator: "\n")
    }
}
