import Foundation

/// A digest file's JSON document. The signature (in the `.sig` file beside it) covers the exact
/// uncompressed bytes of this document as stored.
struct DigestDocument: Codable, Sendable, Equatable {
    static let format = "coffer-audit-digest/1"

    var digestFormat: String
    var digestSequence: UInt64
    var digestStartTime: String
    var digestEndTime: String
    var digestS3Object: String
    var previousDigestS3Object: String?
    var previousDigestHashValue: String?
    var previousDigestHashAlgorithm: String
    var previousDigestSignature: String?
    var publicKeyFingerprint: String
    var digestSignatureAlgorithm: String
    /// The highest segment sequence listed by this or any earlier digest.
    var lastSegmentSequence: UInt64
    /// The trail's chain value after that segment.
    var lastChain: String
    var segments: [DigestSegment]
    var logFiles: [DigestLogFile]
    var prunedSegments: [DigestSegment]
    var prunedLogFiles: [DigestLogFile]

    private enum CodingKeys: String, CodingKey {
        case digestFormat, digestSequence, digestStartTime, digestEndTime, digestS3Object, previousDigestS3Object
        case previousDigestHashValue, previousDigestHashAlgorithm, previousDigestSignature, publicKeyFingerprint
        case digestSignatureAlgorithm, lastSegmentSequence, lastChain, segments, logFiles, prunedSegments, prunedLogFiles
    }

    init(
        digestSequence: UInt64, digestStartTime: String, digestEndTime: String, digestS3Object: String,
        previousDigestS3Object: String?, previousDigestHashValue: String?, previousDigestSignature: String?,
        publicKeyFingerprint: String, lastSegmentSequence: UInt64, lastChain: String, segments: [DigestSegment],
        logFiles: [DigestLogFile], prunedSegments: [DigestSegment], prunedLogFiles: [DigestLogFile]
    ) {
        self.digestFormat = Self.format
        self.digestSequence = digestSequence
        self.digestStartTime = digestStartTime
        self.digestEndTime = digestEndTime
        self.digestS3Object = digestS3Object
        self.previousDigestS3Object = previousDigestS3Object
        self.previousDigestHashValue = previousDigestHashValue
        self.previousDigestHashAlgorithm = "SHA-256"
        self.previousDigestSignature = previousDigestSignature
        self.publicKeyFingerprint = publicKeyFingerprint
        self.digestSignatureAlgorithm = "Ed25519"
        self.lastSegmentSequence = lastSegmentSequence
        self.lastChain = lastChain
        self.segments = segments
        self.logFiles = logFiles
        self.prunedSegments = prunedSegments
        self.prunedLogFiles = prunedLogFiles
    }

    /// Encodes every key, writing JSON `null` for absent previous-digest values.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digestFormat, forKey: .digestFormat)
        try container.encode(digestSequence, forKey: .digestSequence)
        try container.encode(digestStartTime, forKey: .digestStartTime)
        try container.encode(digestEndTime, forKey: .digestEndTime)
        try container.encode(digestS3Object, forKey: .digestS3Object)
        try container.encode(previousDigestS3Object, forKey: .previousDigestS3Object)
        try container.encode(previousDigestHashValue, forKey: .previousDigestHashValue)
        try container.encode(previousDigestHashAlgorithm, forKey: .previousDigestHashAlgorithm)
        try container.encode(previousDigestSignature, forKey: .previousDigestSignature)
        try container.encode(publicKeyFingerprint, forKey: .publicKeyFingerprint)
        try container.encode(digestSignatureAlgorithm, forKey: .digestSignatureAlgorithm)
        try container.encode(lastSegmentSequence, forKey: .lastSegmentSequence)
        try container.encode(lastChain, forKey: .lastChain)
        try container.encode(segments, forKey: .segments)
        try container.encode(logFiles, forKey: .logFiles)
        try container.encode(prunedSegments, forKey: .prunedSegments)
        try container.encode(prunedLogFiles, forKey: .prunedLogFiles)
    }
}
