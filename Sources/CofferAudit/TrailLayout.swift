import Crypto
import Foundation

/// Where every file of a trail lives, relative to the trail directory.
struct TrailLayout: Sendable {
    /// The trail directory (absolute, no trailing slash).
    let root: String

    init(directory: URL) {
        var path = directory.standardizedFileURL.path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        root = path
    }

    static let segmentsDirectory = "segments"
    static let temporaryDirectory = "tmp"
    static let logsDirectory = "AWSLogs"
    static let digestDirectory = "AWSLogs/CloudTrail-Digest"

    func absolute(_ relative: String) -> String { root + "/" + relative }

    var segments: String { absolute(Self.segmentsDirectory) }
    var temporary: String { absolute(Self.temporaryDirectory) }
    var logs: String { absolute(Self.logsDirectory) }
    var digests: String { absolute(Self.digestDirectory) }

    static func sequenceText(_ sequence: UInt64) -> String {
        let text = String(sequence)
        return String(repeating: "0", count: max(0, 16 - text.count)) + text
    }

    /// `segments/<16-digit sequence>.log`
    static func segment(_ sequence: UInt64) -> String { "\(segmentsDirectory)/\(sequenceText(sequence)).log" }
    /// `segments/<16-digit sequence>.json`: the delivery record.
    static func deliveryRecord(_ sequence: UInt64) -> String { "\(segmentsDirectory)/\(sequenceText(sequence)).json" }
    /// `segments/<16-digit sequence>.pruned.json`: a delivery record whose files were pruned, until a digest lists it.
    static func prunedRecord(_ sequence: UInt64) -> String { "\(segmentsDirectory)/\(sequenceText(sequence)).pruned.json" }

    /// Parses `<16 digits>.<suffix>` names in the segments directory.
    static func sequence(ofSegmentFile name: String, suffix: String) -> UInt64? {
        guard name.hasSuffix(suffix) else { return nil }
        let stem = name.dropLast(suffix.count)
        guard stem.count == 16, stem.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return UInt64(stem)
    }

    /// `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 alphanumerics>.json.gz`
    static func logFile(account: String, region: String, time: Date, unique: String) -> String {
        let utc = UTCTime(time)
        return "\(logsDirectory)/\(account)/CloudTrail/\(region)/\(utc.datePath)/\(account)_CloudTrail_\(region)_\(utc.compactMinutes)_\(unique).json.gz"
    }

    /// 16 alphanumerics derived from the segment's last chain value, account and region, so re-delivering a
    /// segment after a crash produces the same names.
    static func uniqueSuffix(last: ChainValue, account: String, region: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        var hasher = SHA256()
        hasher.update(data: Array("coffer-audit-log-file-name".utf8))
        hasher.update(data: last.bytes)
        hasher.update(data: Array("\(account)/\(region)".utf8))
        let digest = Array(hasher.finalize())
        return String(decoding: digest.prefix(16).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    /// The time encoded in a log file name, if it has the expected shape.
    static func logFileTime(_ relativePath: String) -> Date? {
        guard let name = relativePath.split(separator: "/").last, name.hasSuffix(".json.gz") else { return nil }
        let parts = name.dropLast(".json.gz".count).split(separator: "_")
        guard parts.count == 5, parts[1] == "CloudTrail" else { return nil }
        return UTCTime.parseCompactMinutes(parts[3])
    }

    /// `AWSLogs/CloudTrail-Digest/YYYY/MM/DD/coffer_CloudTrail-Digest_<YYYYMMDDTHHmmssZ>_<16-digit sequence>.json.gz`
    static func digestFile(time: Date, sequence: UInt64) -> String {
        let utc = UTCTime(time)
        return "\(digestDirectory)/\(utc.datePath)/coffer_CloudTrail-Digest_\(utc.compactSeconds)_\(sequenceText(sequence)).json.gz"
    }

    /// The signature file beside a digest: the same path with `.json.gz` replaced by `.sig`.
    static func signatureFile(ofDigest digest: String) -> String {
        String(digest.dropLast(".json.gz".count)) + ".sig"
    }

    /// The sequence number in a digest file name.
    static func sequence(ofDigest relativePath: String) -> UInt64? {
        guard let name = relativePath.split(separator: "/").last, name.hasSuffix(".json.gz") else { return nil }
        guard let last = name.dropLast(".json.gz".count).split(separator: "_").last, last.count == 16 else { return nil }
        return UInt64(last)
    }

    /// Whether a path taken from a (possibly hostile) digest stays inside the trail directory.
    static func isSafeRelative(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count < 1024, !path.hasPrefix("/") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Whether an account id is 12 ASCII digits.
    static func isValidAccount(_ account: String) -> Bool {
        account.utf8.count == 12 && account.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Whether a region is 1–32 of `[a-z0-9-]`.
    static func isValidRegion(_ region: String) -> Bool {
        (1...32).contains(region.utf8.count)
            && region.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
