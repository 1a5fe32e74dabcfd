import Crypto
import Foundation

/// Offline validation of a trail directory: digest signatures and chain, log file and segment hashes, the
/// per-event hash chain, and each log file's records against the chained events. Never trusts the input:
/// sizes are bounded and anything unparsable is reported, not trapped on.
public enum AuditVerifier {
    /// Size bounds for hostile input.
    static let maxLogFileBytes = 256 << 20
    static let maxLogFileExpandedBytes = 512 << 20
    static let maxSegmentBytes = 1 << 30
    static let maxSignatureBytes = 1024

    /// Validates everything under `directory` between start and end with `publicKey`.
    /// Digests whose period overlaps [start, end] are checked with everything they list; nil means unbounded.
    public static func verify(directory: URL, publicKey: Curve25519.Signing.PublicKey, start: Date?, end: Date?) throws
        -> AuditVerificationReport
    {
        let layout = TrailLayout(directory: directory)
        guard FileIO.isDirectory(layout.root) else { throw AuditError(.io, "\(layout.root) is not a directory") }
        var run = VerificationRun(layout: layout, publicKey: publicKey, start: start, end: end)
        run.verify()
        return run.report
    }
}
