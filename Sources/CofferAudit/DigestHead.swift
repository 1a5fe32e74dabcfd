import Crypto
import Foundation

/// The newest digest: what the next digest chains to.
struct DigestHead: Sendable {
    var sequence: UInt64
    /// Path relative to the trail directory.
    var path: String
    /// SHA-256 hex of the `.json.gz` bytes.
    var hashValue: String
    /// Hex Ed25519 signature from the `.sig` file.
    var signature: String
    var endTime: String
    var lastSegmentSequence: UInt64
    var lastChain: ChainValue
    /// Segments this digest recorded as pruned.
    var prunedSequences: Set<UInt64>

    /// Digests are small; this bounds what startup and the verifier will read or inflate.
    static let maxDigestBytes = 256 << 20

    /// Loads the highest-numbered digest, or nil when there is none. A digest that cannot be read is an error:
    /// the trail refuses to start rather than fork the digest chain.
    static func load(layout: TrailLayout) throws -> DigestHead? {
        let candidates = FileIO.listRecursively(layout.digests, suffix: ".json.gz").compactMap { relative -> (UInt64, String)? in
            guard let sequence = TrailLayout.sequence(ofDigest: relative) else { return nil }
            return (sequence, TrailLayout.digestDirectory + "/" + relative)
        }
        guard let (sequence, path) = candidates.max(by: { $0.0 < $1.0 }) else { return nil }
        let bytes = try FileIO.readFile(layout.absolute(path), maxBytes: maxDigestBytes)
        guard let json = try? Gzip.decompress(bytes, maxSize: maxDigestBytes),
            let document = TrailJSON.decode(DigestDocument.self, from: json), document.digestSequence == sequence,
            let lastChain = ChainValue(hex: document.lastChain)
        else { throw AuditError(.corrupt, "the latest digest \(path) cannot be read") }
        let signaturePath = layout.absolute(TrailLayout.signatureFile(ofDigest: path))
        guard let signature = try FileIO.readIfPresent(signaturePath, maxBytes: 1024) else {
            throw AuditError(.corrupt, "the latest digest \(path) has no signature file")
        }
        return DigestHead(
            sequence: sequence,
            path: path,
            hashValue: Hex.encode(SHA256.hash(data: bytes)),
            signature: String(decoding: signature, as: UTF8.self),
            endTime: document.digestEndTime,
            lastSegmentSequence: document.lastSegmentSequence,
            lastChain: lastChain,
            prunedSequences: Set(document.prunedSegments.map(\.sequence))
        )
    }
}
